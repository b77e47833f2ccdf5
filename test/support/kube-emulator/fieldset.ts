/**
 * Field sets as server-side apply keeps them (structured-merge-diff): each owned path is a list of path elements,
 * `f:<field>`, `k:{"name":"x"}` (an item of a keyed list), `v:"x"` (a member of a set). Sets are encoded as the
 * `fieldsV1` trees of managedFields, where `".": {}` marks a node that is itself owned as well as its children.
 */
import { childPath, deepEqual, isMapField, isPlainObject, itemPath, listKind } from './schema.js';

export type PathElements = string[];
/** Member paths, each JSON-encoded, for set arithmetic. */
export type FieldSet = Set<string>;
export type FieldsV1 = { [element: string]: FieldsV1 };

const encode = (path: PathElements) => JSON.stringify(path);
export const decode = (member: string) => JSON.parse(member) as PathElements;

function sortedKey(item: Record<string, unknown>, keys: string[]): string {
  const picked: Record<string, unknown> = {};
  for (const key of [...keys].sort()) if (item[key] !== undefined) picked[key] = item[key];
  return `k:${JSON.stringify(picked)}`;
}

export function itemElement(item: unknown, keys: string[]): string {
  return sortedKey(isPlainObject(item) ? item : {}, keys);
}

export const valueElement = (value: unknown) => `v:${JSON.stringify(value)}`;

/**
 * The set an applied configuration claims: its leaves, keyed list items and set members (apply never owns a map
 * itself unless it is empty).
 */
export function appliedSet(value: Record<string, unknown>): FieldSet {
  const members: FieldSet = new Set();
  collect(value, [], '', members, false);
  return members;
}

/** Every path of a value, with map containers and list items owned too: what an Update writing it takes over. */
function collect(value: unknown, path: PathElements, schemaPath: string, out: FieldSet, ownContainers: boolean): void {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (path.length > 0 && (keys.length === 0 || (ownContainers && isMapField(schemaPath)))) out.add(encode(path));
    for (const key of keys) collect(value[key], [...path, `f:${key}`], childPath(schemaPath, key), out, ownContainers);
    return;
  }
  if (Array.isArray(value)) {
    const kind = listKind(schemaPath);
    if (kind.type === 'atomic' || value.length === 0) {
      out.add(encode(path));
      return;
    }
    for (const item of value) {
      if (kind.type === 'set') out.add(encode([...path, valueElement(item)]));
      else {
        const element = [...path, itemElement(item, kind.keys)];
        out.add(encode(element));
        if (isPlainObject(item)) for (const key of Object.keys(item)) collect(item[key], [...element, `f:${key}`], childPath(itemPath(schemaPath), key), out, ownContainers);
      }
    }
    return;
  }
  out.add(encode(path));
}

export interface Comparison {
  /** Added or modified paths. */
  changed: FieldSet;
  removed: FieldSet;
}

/** What an update changed, path by path (structured-merge-diff's Compare). */
export function compare(before: Record<string, unknown>, after: Record<string, unknown>): Comparison {
  const result: Comparison = { changed: new Set(), removed: new Set() };
  compareValues(before, after, [], '', result);
  return result;
}

function compareValues(before: unknown, after: unknown, path: PathElements, schemaPath: string, result: Comparison): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of Object.keys(after)) {
      const child = [...path, `f:${key}`];
      const childSchema = childPath(schemaPath, key);
      if (Object.hasOwn(before, key)) compareValues(before[key], after[key], child, childSchema, result);
      else collect(after[key], child, childSchema, result.changed, true);
    }
    for (const key of Object.keys(before)) {
      if (!Object.hasOwn(after, key)) collect(before[key], [...path, `f:${key}`], childPath(schemaPath, key), result.removed, true);
    }
    return;
  }
  const kind = listKind(schemaPath);
  if (Array.isArray(before) && Array.isArray(after) && kind.type !== 'atomic' && before.length > 0 && after.length > 0) {
    const elementOf = (item: unknown) => (kind.type === 'set' ? valueElement(item) : itemElement(item, kind.keys));
    const beforeItems = new Map(before.map((item) => [elementOf(item), item]));
    const afterItems = new Map(after.map((item) => [elementOf(item), item]));
    for (const [element, item] of afterItems) {
      const previous = beforeItems.get(element);
      const itemSchema = itemPath(schemaPath);
      if (previous === undefined) {
        result.changed.add(encode([...path, element]));
        if (isPlainObject(item)) for (const key of Object.keys(item)) collect(item[key], [...path, element, `f:${key}`], childPath(itemSchema, key), result.changed, true);
      } else if (kind.type === 'map') compareValues(previous, item, [...path, element], itemSchema, result);
    }
    for (const [element, item] of beforeItems) {
      if (afterItems.has(element)) continue;
      result.removed.add(encode([...path, element]));
      if (isPlainObject(item)) for (const key of Object.keys(item)) collect(item[key], [...path, element, `f:${key}`], childPath(itemPath(schemaPath), key), result.removed, true);
    }
    return;
  }
  if (!deepEqual(before, after)) {
    // A leaf became a container or the other way round: the old paths go, the new ones arrive.
    if (isPlainObject(before) || Array.isArray(before)) collect(before, path, schemaPath, result.removed, true);
    collect(after, path, schemaPath, result.changed, true);
  }
}

export function toFieldsV1(set: FieldSet): FieldsV1 {
  const root: FieldsV1 = {};
  const members = [...set].map(decode).sort((a, b) => a.length - b.length);
  for (const path of members) {
    let node = root;
    for (const element of path) node = node[element] ??= {};
  }
  for (const path of members) {
    let node = root;
    for (const element of path) node = node[element]!;
    if (Object.keys(node).length > 0) node['.'] = {};
  }
  return sortTree(root);
}

function sortTree(tree: FieldsV1): FieldsV1 {
  return Object.fromEntries(
    Object.keys(tree)
      .sort()
      .map((key) => [key, sortTree(tree[key]!)]),
  );
}

export function fromFieldsV1(tree: FieldsV1): FieldSet {
  const set: FieldSet = new Set();
  const walk = (node: FieldsV1, path: PathElements) => {
    const keys = Object.keys(node);
    if (path.length > 0 && (keys.length === 0 || keys.includes('.'))) set.add(encode(path));
    for (const key of keys) if (key !== '.') walk(node[key]!, [...path, key]);
  };
  walk(tree, []);
  return set;
}

/** `.spec.containers[name="app"].image`, as structured-merge-diff prints a path in conflict messages. */
export function describePath(member: string): string {
  return decode(member)
    .map((element) => {
      const body = element.slice(2);
      if (element.startsWith('f:')) return `.${body}`;
      if (element.startsWith('v:')) return `[=${body}]`;
      const key = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(key)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(',')}]`;
    })
    .join('');
}

type Located = { found: true; value: unknown } | { found: false };

/** The value a path points at in an object. */
export function valueAt(object: unknown, member: string): Located {
  let current: unknown = object;
  for (const element of decode(member)) {
    const located = step(current, element);
    if (!located.found) return located;
    current = located.value;
  }
  return { found: true, value: current };
}

function step(current: unknown, element: string): Located {
  const body = element.slice(2);
  if (element.startsWith('f:')) {
    return isPlainObject(current) && Object.hasOwn(current, body) ? { found: true, value: current[body] } : { found: false };
  }
  if (!Array.isArray(current)) return { found: false };
  const index = findItem(current, element);
  return index >= 0 ? { found: true, value: current[index] } : { found: false };
}

function findItem(list: unknown[], element: string): number {
  const body = element.slice(2);
  if (element.startsWith('v:')) return list.findIndex((item) => deepEqual(item, JSON.parse(body)));
  const key = JSON.parse(body) as Record<string, unknown>;
  return list.findIndex((item) => isPlainObject(item) && Object.entries(key).every(([name, value]) => deepEqual(item[name], value)));
}

/** Removes what a path points at, then any container the removal left empty. */
export function removePath(object: Record<string, unknown>, member: string): void {
  const path = decode(member);
  const parents: unknown[] = [object];
  for (const element of path.slice(0, -1)) {
    const located = step(parents.at(-1), element);
    if (!located.found) return;
    parents.push(located.value);
  }
  for (let depth = path.length - 1; depth >= 0; depth -= 1) {
    const parent = parents[depth];
    const element = path[depth]!;
    if (element.startsWith('f:') && isPlainObject(parent)) delete parent[element.slice(2)];
    else if (Array.isArray(parent)) {
      const index = findItem(parent, element);
      if (index >= 0) parent.splice(index, 1);
    }
    const emptied = isPlainObject(parent) ? Object.keys(parent).length === 0 : Array.isArray(parent) && parent.length === 0;
    if (depth === 0 || !emptied) return;
  }
}
