/**
 * YAML text to a plain value, keeping where every node was written so problems can be reported at their
 * line and column. Syntax errors, duplicate keys and alias bombs become located diagnostics, never exceptions.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import { pointerSegments } from './pointer.js';

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

/** More aliases than any hand-written file needs; a "billion laughs" file stops here instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

export function parseSource(file: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const positions = documentPositions(document, lineCounter);
  const at = (offset: number, severity: Severity, message: string): Diagnostic => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, severity, path: '', message };
  };
  const diagnostics = [
    ...document.errors.map((error) => at(error.pos[0], 'error', describeYamlError(error, text))),
    ...document.warnings.map((warning) => at(warning.pos[0], 'warning', describeYamlError(warning, text))),
  ];
  if (document.errors.length > 0) return { value: undefined, positions, diagnostics };
  if (document.contents === null) {
    diagnostics.push(at(0, 'error', 'the file is empty; an environment file starts with `apiVersion: strata.dev/v1alpha1` and `kind: Environment`'));
    return { value: undefined, positions, diagnostics };
  }
  try {
    return { value: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), positions, diagnostics };
  } catch {
    const offset = firstAliasOffset(document) ?? 0;
    diagnostics.push(
      at(offset, 'error', `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} per anchor); write the values out instead of nesting aliases`),
    );
    return { value: undefined, positions, diagnostics };
  }
}

function describeYamlError(error: YAMLError, source: string): string {
  const text = error.message.replace(/\s+/g, ' ').trim();
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = source.slice(error.pos[0]).split(/[:\n]/)[0]?.trim();
      return `duplicate key \`${key}\`: a key may appear once in a mapping; remove or rename one of them`;
    }
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
  const position = (node: Node | null | undefined): Position | undefined => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    locate(path, target = 'value') {
      let node = document.contents as Node | null;
      let key: Node | undefined;
      let found: Position | undefined = position(node);
      for (const segment of pointerSegments(path)) {
        if (isAlias(node)) node = node.resolve(document) ?? null;
        if (isMap(node)) {
          const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
          if (!pair) break;
          key = pair.key as Node;
          node = (pair.value as Node | null) ?? null;
          found = position(node) ?? position(key);
        } else if (isSeq(node)) {
          const item = node.items[Number(segment)] as Node | undefined;
          if (item === undefined) break;
          key = undefined;
          node = item;
          found = position(item);
        } else {
          break;
        }
        if (target === 'key' && key) found = position(key) ?? found;
      }
      return found ?? { line: 1, column: 1 };
    },
  };
}
