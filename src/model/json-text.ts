/**
 * JSON text read strictly, for the files strata reads back (saved plans, observed snapshots). `JSON.parse` alone says
 * too little and accepts too much: its messages are the engine's (and differ between Node versions), it keeps the
 * last of two equal keys without a word (so a person reading the file and strata could see different values), and it
 * nests as deep as the text does (so whatever recurses into the value next can overflow the stack). This scanner
 * checks the text first, without recursion: every syntax error is located by line and column, a repeated key is
 * refused, and nesting is bounded; only then does `JSON.parse` build the value.
 */
import { clip } from './clip.js';

/** Far deeper than a plan file nests (a bucket policy's condition inside a change sits about 12 levels down). */
export const MAX_JSON_DEPTH = 64;

export type JsonReadResult =
  { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

interface Container {
  kind: 'object' | 'array';
  keys: Set<string>;
}

class JsonProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const SPACE = /[ \t\n\r]*/y;
/** What a string holds between quotes, escapes and control characters aside. */
// eslint-disable-next-line no-control-regex -- JSON forbids these unescaped inside a string
const PLAIN_CHARACTERS = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

export function readJsonText(text: string): JsonReadResult {
  try {
    scan(text);
  } catch (error) {
    if (!(error instanceof JsonProblem)) throw error;
    return { ok: false, ...position(text, error.offset), message: error.message };
  }
  return { ok: true, value: JSON.parse(text) as unknown };
}

function scan(text: string): void {
  const stack: Container[] = [];
  let index = 0;
  const skipSpace = () => {
    SPACE.lastIndex = index;
    SPACE.test(text);
    index = SPACE.lastIndex;
  };
  const unexpected = (where: string): JsonProblem =>
    index >= text.length
      ? new JsonProblem(`the JSON ends ${where} (was the file cut short?)`, index)
      : new JsonProblem(`unexpected ${describeCharacter(text, index)} ${where}`, index);
  const readString = (): string => {
    const start = index;
    index += 1;
    for (;;) {
      PLAIN_CHARACTERS.lastIndex = index;
      PLAIN_CHARACTERS.test(text);
      index = PLAIN_CHARACTERS.lastIndex;
      if (index >= text.length) throw new JsonProblem('a string is not closed (was the file cut short?)', start);
      const code = text.charCodeAt(index);
      if (code === 0x22) break;
      if (code < 0x20)
        throw new JsonProblem(
          `${describeCharacter(text, index)} inside a string; write it escaped (\\n, \\u0000)`,
          index,
        );
      if (code === 0x5c) {
        ESCAPE.lastIndex = index + 1;
        if (!ESCAPE.test(text))
          throw new JsonProblem('a backslash in a string starts no valid escape (\\n, \\", \\u0041, ...)', index);
        index = ESCAPE.lastIndex;
      }
    }
    index += 1;
    return text.slice(start, index);
  };
  let expect: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    skipSpace();
    const top = stack.at(-1);
    if (expect === 'key') {
      if (text[index] !== '"') throw unexpected('where a key in double quotes should be');
      const start = index;
      const written = readString();
      const key = written.includes('\\') ? (JSON.parse(written) as string) : written.slice(1, -1);
      if (top?.keys.has(key))
        throw new JsonProblem(
          `key "${clip(key)}" appears twice in one object; JSON readers disagree on which one counts`,
          start,
        );
      top?.keys.add(key);
      skipSpace();
      if (text[index] !== ':') throw unexpected('where `:` should follow a key');
      index += 1;
      expect = 'value';
      continue;
    }
    if (expect === 'after') {
      if (top === undefined) {
        if (index < text.length) throw unexpected('after the end of the JSON value');
        return;
      }
      const close = top.kind === 'object' ? '}' : ']';
      if (text[index] === ',') {
        index += 1;
        expect = top.kind === 'object' ? 'key' : 'value';
      } else if (text[index] === close) {
        index += 1;
        stack.pop();
      } else {
        throw unexpected(`where \`,\` or \`${close}\` should be`);
      }
      continue;
    }
    const character = text[index];
    if (character === '{' || character === '[') {
      if (stack.length >= MAX_JSON_DEPTH)
        throw new JsonProblem(
          `nests more than ${MAX_JSON_DEPTH} levels deep; strata never writes files this deep`,
          index,
        );
      const kind = character === '{' ? 'object' : 'array';
      stack.push({ kind, keys: new Set() });
      index += 1;
      skipSpace();
      if (text[index] === (kind === 'object' ? '}' : ']')) {
        index += 1;
        stack.pop();
        expect = 'after';
      } else {
        expect = kind === 'object' ? 'key' : 'value';
      }
      continue;
    }
    if (character === '"') {
      readString();
    } else if (character === '-' || (character !== undefined && character >= '0' && character <= '9')) {
      NUMBER.lastIndex = index;
      if (!NUMBER.test(text)) throw unexpected('where a number should be');
      index = NUMBER.lastIndex;
    } else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, index));
      if (literal === undefined) throw unexpected('where a value should be');
      index += literal.length;
    }
    expect = 'after';
  }
}

/** Controls, invisible formatting (a byte order mark) and line separators are named by code point, not written out. */
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]/u;

function describeCharacter(text: string, index: number): string {
  const character = String.fromCodePoint(text.codePointAt(index) ?? 0);
  if (!INVISIBLE.test(character)) return `\`${character}\``;
  return `character U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** 1-based line and column (in UTF-16 code units, as editors count) of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
