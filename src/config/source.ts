/**
 * YAML text to a plain value, keeping where every node was written so problems can be reported at their
 * line and column. Syntax errors, duplicate keys, runaway nesting and alias bombs become located diagnostics, never
 * exceptions.
 */
import {
  Composer,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  visit,
  YAMLParseError,
  type Document,
  type Node,
  type Pair,
  type YAMLError,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import { pointerSegments } from './pointer.js';
import { flowDepthGuard, structureProblems, TOO_DEEP } from './structure.js';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface SourcePositions {
  /**
   * Where the node at `path` (a JSON pointer) was written; with `key`, where its key was written. A path that does
   * not exist falls back to its nearest existing ancestor.
   */
  locate(path: string, target?: 'key' | 'value'): Position;
}

export interface ParsedSource {
  /** The document as plain data; undefined when it could not be read. */
  value: unknown;
  positions: SourcePositions;
  diagnostics: Diagnostic[];
}

/** For a file that was not parsed. */
const NOWHERE: SourcePositions = { locate: () => ({ line: 1, column: 1 }) };

/** More aliases than any hand-written file needs; a "billion laughs" file stops here instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

export function parseSource(file: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const parsed = parseDocumentOnce(text, lineCounter);
  const at = (offset: number, severity: Severity, message: string, path = ''): Diagnostic => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, severity, path, message };
  };
  if (parsed.runawayOffset !== undefined)
    return { value: undefined, positions: NOWHERE, diagnostics: [at(parsed.runawayOffset, 'error', TOO_DEEP)] };
  const { document } = parsed;
  const positions = documentPositions(document, lineCounter);
  // The parser recurses into nested collections and gives up where its stack ends; what follows is only its echo.
  const exhausted = document.errors.find((error) => error.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) return { value: undefined, positions, diagnostics: [at(exhausted.pos[0], 'error', TOO_DEEP)] };
  const diagnostics = [
    ...document.errors.map((error) => at(error.pos[0], 'error', describeYamlError(error))),
    ...document.warnings.map((warning) => at(warning.pos[0], 'warning', describeYamlError(warning))),
  ];
  if (document.errors.length > 0) return { value: undefined, positions, diagnostics };
  if (document.contents === null) {
    diagnostics.push(
      at(
        0,
        'error',
        'the file is empty; an environment file starts with `apiVersion: strata.dev/v1alpha1` and `kind: Environment`',
      ),
    );
    return { value: undefined, positions, diagnostics };
  }
  const problems = structureProblems(document);
  if (problems.length > 0) {
    diagnostics.push(...problems.map((problem) => at(problem.offset, 'error', problem.message, problem.path)));
    return { value: undefined, positions, diagnostics };
  }
  try {
    return { value: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), positions, diagnostics };
  } catch (error) {
    // yaml's own limit: an anchor repeated more often than MAX_ALIAS_COUNT, counting the aliases inside it.
    if (!(error instanceof ReferenceError)) throw error;
    const offset = firstAliasOffset(document) ?? 0;
    diagnostics.push(
      at(
        offset,
        'error',
        `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} per anchor); write the values out instead of nesting aliases`,
      ),
    );
    return { value: undefined, positions, diagnostics };
  }
}

/**
 * yaml's parseDocument, with the text lexed once: each token passes the flow-depth guard before the parser sees it,
 * so a runaway file stops at its first bracket too deep instead of being lexed twice, or parsed for seconds.
 */
function parseDocumentOnce(
  text: string,
  lineCounter: LineCounter,
): { document: Document.Parsed; runawayOffset?: undefined } | { runawayOffset: number } {
  const parser = new Parser(lineCounter.addNewLine);
  const guard = flowDepthGuard();
  let runaway = false;
  function* tokens() {
    lineCounter.addNewLine(0);
    for (const lexeme of new Lexer().lex(text)) {
      if (guard.exceeds(lexeme)) {
        runaway = true;
        return;
      }
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  // Duplicate keys are found by structureProblems, in linear time.
  const composer = new Composer({ uniqueKeys: false });
  let document: Document.Parsed | undefined;
  for (const composed of composer.compose(tokens(), true, text.length)) {
    if (!document) {
      document = composed;
      continue;
    }
    document.errors.push(
      new YAMLParseError([composed.range[0], composed.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'),
    );
    break;
  }
  if (runaway) return { runawayOffset: guard.offset };
  // compose(…, forceDoc) yields a document for any text, an empty one included.
  return { document: document! };
}

function describeYamlError(error: YAMLError): string {
  const text = error.message.replace(/\s+/g, ' ').trim();
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return 'tab used for indentation; YAML indents with spaces only';
    case 'MULTIPLE_DOCS':
      return 'more than one YAML document (`---`); an environment file holds exactly one, so split it into one file per environment';
    default:
      return `YAML syntax error: ${text}`;
  }
}

function firstAliasOffset(document: Document): number | undefined {
  let offset: number | undefined;
  visit(document, {
    Alias(_, alias) {
      offset = alias.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function documentPositions(document: Document, lineCounter: LineCounter): SourcePositions {
  // Each mapping's keys, indexed the first time a path goes through it: a file with 100,000 unknown keys has as many
  // diagnostics, and searching the mapping for each would take minutes.
  const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndexes.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const name = isScalar(item.key) ? String(item.key.value) : undefined;
        if (name !== undefined && !index.has(name)) index.set(name, item);
      }
      keyIndexes.set(map, index);
    }
    return index.get(key);
  };
  const offsetOf = (node: Node | null | undefined): number | undefined => node?.range?.[0];
  return {
    locate(path, target = 'value') {
      let node = document.contents;
      let key: Node | undefined;
      // Only the offset is followed down the path: one line:column lookup per call, however deep the node.
      let found = offsetOf(node);
      for (const segment of pointerSegments(path)) {
        if (isAlias(node)) node = node.resolve(document) ?? null;
        if (isMap(node)) {
          const pair = pairOf(node, segment);
          if (!pair) break;
          key = pair.key as Node;
          node = (pair.value as Node | null) ?? null;
          found = offsetOf(node) ?? offsetOf(key);
        } else if (isSeq(node)) {
          const item = node.items[Number(segment)] as Node | undefined;
          if (item === undefined) break;
          key = undefined;
          node = item;
          found = offsetOf(item);
        } else {
          break;
        }
        if (target === 'key' && key) found = offsetOf(key) ?? found;
      }
      if (found === undefined) return { line: 1, column: 1 };
      const { line, col } = lineCounter.linePos(found);
      return { line, column: col };
    },
  };
}
