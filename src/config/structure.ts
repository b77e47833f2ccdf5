/**
 * The shape of a parsed YAML document, checked in one pass without recursion before anything recurses into it
 * (`toJS`, ajv, the planner): nesting depth, alias expansion, keys that are not plain scalars, duplicate keys.
 * The yaml library checks duplicate keys itself, but by comparing each key with every other, which makes a file of
 * 50,000 keys take half a minute.
 */
import { CST, isAlias, isCollection, isMap, isScalar, isSeq, type Alias, type Document, type Node } from 'yaml';
import { childPointer } from './pointer.js';

/** Far deeper than any environment file nests (a bucket policy's conditions, the deepest part, sit 8 levels down). */
export const MAX_DEPTH = 32;
/** Nodes once aliases are expanded; a file within the size limit holds fewer than this written out. */
export const MAX_EXPANDED_NODES = 1_000_000;

export const TOO_DEEP = `nests more than ${MAX_DEPTH} levels deep; an environment file needs a handful, so look for brackets or indentation that run away`;

/** Lexer tokens that mark a place but are not text of the file. */
const MARKERS = new Set(['doc-mode', 'flow-error-end', 'scalar']);

/**
 * Follows flow brackets (`[`, `{`) through the lexer's tokens, one at a time, so the parser can be stopped before it
 * sees them open more than MAX_DEPTH deep: it takes seconds over a megabyte of them (the document's own depth, block
 * levels included, is checked after parsing). `exceeds` answers for the next token; `offset` is where it starts.
 */
export function flowDepthGuard(): { exceeds(token: string): boolean; readonly offset: number } {
  let offset = 0;
  let depth = 0;
  return {
    exceeds(token) {
      const type = CST.tokenType(token);
      if (type === 'flow-map-start' || type === 'flow-seq-start') depth += 1;
      else if (type === 'flow-map-end' || type === 'flow-seq-end') depth = Math.max(0, depth - 1);
      if (depth > MAX_DEPTH) return true;
      if (type === null || !MARKERS.has(type)) offset += token.length;
      return false;
    },
    get offset() {
      return offset;
    },
  };
}

export interface StructureProblem {
  /** Offset in the text. */
  offset: number;
  /** JSON pointer of the node, as far as it is known. */
  path: string;
  message: string;
}

interface Visit {
  node: unknown;
  /** Collections that contain this node. */
  depth: number;
  path: string;
  /** The alias this node is reached through, when it is: problems inside an expansion are reported there. */
  alias: Alias | undefined;
}

/** Every duplicate or non-scalar key; or the first place the document nests or expands too far. */
export function structureProblems(document: Document): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const anchors = new Map<string, Node>();
  const stack: Visit[] = [{ node: document.contents, depth: 0, path: '', alias: undefined }];
  let expanded = 0;
  while (stack.length > 0) {
    const { node, depth, path, alias } = stack.pop() as Visit;
    if (node === null || node === undefined) continue;
    const at = (message: string): StructureProblem => ({ offset: offsetOf(alias ?? (node as Node)), path, message });
    expanded += 1;
    if (expanded > MAX_EXPANDED_NODES) {
      return [
        at(
          `aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} values; write the values out instead of repeating aliases`,
        ),
      ];
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target)
        return [
          ...problems,
          at(`alias \`*${node.source}\` names no anchor before it; define \`&${node.source}\` on a value above it`),
        ];
      stack.push({ node: target, depth, path, alias: alias ?? node });
      continue;
    }
    // Anchors are recorded in document order as written, so an alias finds the last one before it, as YAML says.
    if (alias === undefined && (isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
    if (!isCollection(node)) continue;
    const childDepth = depth + 1;
    if (childDepth > MAX_DEPTH) {
      return [
        ...problems,
        at(
          alias
            ? `aliases expand more than ${MAX_DEPTH} levels deep; write the values out instead of nesting aliases`
            : TOO_DEEP,
        ),
      ];
    }
    const children: Visit[] = [];
    if (isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (!isScalar(key)) {
          if (alias === undefined)
            problems.push({
              offset: offsetOf(key ?? node),
              path,
              message: 'a key is a list, a mapping or an alias; write keys as plain names',
            });
          continue;
        }
        const name = String(key.value);
        // Inside an alias's expansion the path stays the alias's own: that is where the problem is written.
        const keyPath = alias ? path : childPointer(path, name);
        if (alias === undefined && keys.has(name)) {
          problems.push({
            offset: offsetOf(key),
            path: keyPath,
            message: `duplicate key \`${name}\`: a key may appear once in a mapping; remove or rename one of them`,
          });
        }
        keys.add(name);
        children.push({ node: pair.value, depth: childDepth, path: keyPath, alias });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) =>
        children.push({ node: item, depth: childDepth, path: alias ? path : childPointer(path, index), alias }),
      );
    }
    // Last pushed is visited first: children go on in reverse, so the walk keeps document order.
    for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index] as Visit);
  }
  return problems;
}

function offsetOf(node: Node): number {
  return node.range?.[0] ?? 0;
}
