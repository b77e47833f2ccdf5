/**
 * Copies the promotable settings of logical resources from the source document into the target document, node by
 * node, so that only what differs is touched: an unchanged value keeps its node (and with it its comments, quoting and
 * flow or block style), a changed scalar keeps its node with a new value, and a value the target lacks is cloned from
 * the source with the source's own style. Logical resources pair by key; list items pair by `id` where the schema
 * requires one (lifecycle rules), otherwise by position.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { childShape, type SchemaShape } from './schema-shape.js';

export interface SettingChange {
  /** `buckets.backups.lifecycle[cleanup].noncurrentExpireAfter`; list items by id, or by position as `[0]`. */
  path: string;
  /** Absent when the setting was added. */
  before?: unknown;
  /** Absent when the setting was removed. */
  after?: unknown;
}

export interface MergeResult {
  changes: SettingChange[];
  /** Logical resources only the source declares (`buckets.scratch`): promotion never invents physical names. */
  sourceOnly: string[];
  /** Logical resources only the target declares: promotion never removes a resource. */
  targetOnly: string[];
}

export interface MergeOptions {
  /** Only these top-level logical keys; all when absent. */
  only?: ReadonlySet<string>;
}

type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

/** Edits `target` in place. Both documents must have parsed without errors. */
export function mergePromotable(
  source: Document,
  target: Document,
  shape: SchemaShape,
  options: MergeOptions = {},
): MergeResult {
  const merge = new Merge(source, target);
  const sourceRoot = merge.resolve(source.contents);
  const targetRoot = target.contents;
  if (!isMap(sourceRoot) || !isMap(targetRoot)) return merge.result();
  for (const [key, child] of Object.entries(shape.properties)) {
    // Outside logical resources only the collections of them are walked: the rest describes the environment itself.
    if (child.environmentSpecific || !child.logicalKeys) continue;
    merge.collection(valueNode(sourceRoot, key), targetRoot, key, child, key, options.only);
  }
  return merge.result();
}

class Merge {
  private readonly changes: SettingChange[] = [];
  private readonly sourceOnly: string[] = [];
  private readonly targetOnly: string[] = [];

  constructor(
    private readonly source: Document,
    private readonly target: Document,
  ) {}

  result(): MergeResult {
    return { changes: this.changes, sourceOnly: this.sourceOnly, targetOnly: this.targetOnly };
  }

  resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.source) : node;
  }

  /** Pairs the logical resources of a collection by key and merges each pair. */
  collection(
    sourceNode: unknown,
    parent: YAMLMap<unknown, unknown>,
    key: string,
    shape: SchemaShape,
    path: string,
    only?: ReadonlySet<string>,
  ): void {
    const sources = this.resolve(sourceNode);
    const targets = valueNode(parent, key);
    const sourceKeys = isMap(sources) ? mapKeys(sources) : [];
    const targetKeys = isMap(targets) ? mapKeys(targets) : [];
    const included = (name: string) => !only || only.has(name);
    for (const name of sourceKeys.filter(included)) {
      if (isMap(targets) && targetKeys.includes(name)) {
        this.value(valueNode(sources, name), targets, name, shape.additional!, `${path}.${name}`);
      } else {
        this.sourceOnly.push(`${path}.${name}`);
      }
    }
    for (const name of targetKeys.filter((name) => included(name) && !sourceKeys.includes(name)))
      this.targetOnly.push(`${path}.${name}`);
  }

  /** Makes `parent[key]` equal the source value, touching as little as possible. */
  value(sourceNode: unknown, parent: Collection, key: string | number, shape: SchemaShape, path: string): void {
    if (shape.environmentSpecific) return;
    if (shape.logicalKeys) {
      if (isMap(parent)) this.collection(sourceNode, parent, String(key), shape, path);
      return;
    }
    const source = this.resolve(sourceNode);
    const target = parent.get(key, true);
    const before = toJS(target, this.target);
    const after = toJS(source, this.source);
    if (sameYamlValue(before, after)) return;
    if (isMap(source) && isMap(target)) return this.map(source, target, shape, path);
    if (isSeq(source) && isSeq(target)) return this.sequence(source, target, shape, path);
    if (isScalar(source) && isScalar(target) && typeof source.value === typeof target.value) {
      // Keeps the target's node, so its comments and quoting stay.
      target.value = source.value;
    } else {
      parent.set(key, this.copy(source));
    }
    this.changes.push({ path, before, after });
  }

  private map(
    source: YAMLMap<unknown, unknown>,
    target: YAMLMap<unknown, unknown>,
    shape: SchemaShape,
    path: string,
  ): void {
    const sourceKeys = mapKeys(source);
    for (const name of mapKeys(target)) {
      if (sourceKeys.includes(name)) continue;
      const child = childShape(shape, name);
      if (child.environmentSpecific) continue;
      if (child.logicalKeys) {
        this.collection(undefined, target, name, child, `${path}.${name}`);
        continue;
      }
      this.changes.push({ path: `${path}.${name}`, before: toJS(target.get(name, true), this.target) });
      target.delete(name);
    }
    sourceKeys.forEach((name, index) => {
      const child = childShape(shape, name);
      const childPath = `${path}.${name}`;
      const sourceValue = valueNode(source, name);
      if (target.has(name)) return this.value(sourceValue, target, name, child, childPath);
      if (child.environmentSpecific) return;
      if (child.logicalKeys) return this.collection(sourceValue, target, name, child, childPath);
      // After the nearest key that precedes it in the source, so the target reads in the source's order.
      const previous = sourceKeys.slice(0, index).findLast((key) => target.has(key));
      const at = previous === undefined ? 0 : target.items.findIndex((pair) => scalarKey(pair) === previous) + 1;
      target.items.splice(
        at,
        0,
        this.target.createPair(name, this.copy(this.resolve(sourceValue))) as Pair<unknown, unknown>,
      );
      this.changes.push({ path: childPath, after: toJS(sourceValue, this.source) });
    });
  }

  private sequence(source: YAMLSeq<unknown>, target: YAMLSeq<unknown>, shape: SchemaShape, path: string): void {
    const itemShape = shape.items ?? childShape(shape, '');
    const sourceIds = itemIds(source, shape.itemKey, this.source);
    const targetIds = itemIds(target, shape.itemKey, this.target);
    if (!sourceIds || !targetIds) return this.byPosition(source, target, itemShape, path);
    for (let index = targetIds.length - 1; index >= 0; index -= 1) {
      const id = targetIds[index]!;
      if (sourceIds.includes(id)) continue;
      this.changes.push({ path: `${path}[${id}]`, before: toJS(target.items[index], this.target) });
      target.items.splice(index, 1);
    }
    sourceIds.forEach((id, index) => {
      const sourceItem = source.items[index];
      const at = itemIds(target, shape.itemKey, this.target)!.indexOf(id);
      if (at >= 0) return this.value(sourceItem, target, at, itemShape, `${path}[${id}]`);
      const current = itemIds(target, shape.itemKey, this.target)!;
      const previous = sourceIds.slice(0, index).findLast((earlier) => current.includes(earlier));
      target.items.splice(
        previous === undefined ? 0 : current.indexOf(previous) + 1,
        0,
        this.copy(this.resolve(sourceItem)),
      );
      this.changes.push({ path: `${path}[${id}]`, after: toJS(sourceItem, this.source) });
    });
  }

  private byPosition(source: YAMLSeq<unknown>, target: YAMLSeq<unknown>, itemShape: SchemaShape, path: string): void {
    source.items.forEach((item, index) => {
      if (index < target.items.length) return this.value(item, target, index, itemShape, `${path}[${index}]`);
      target.items.push(this.copy(this.resolve(item)));
      this.changes.push({ path: `${path}[${index}]`, after: toJS(item, this.source) });
    });
    for (let index = target.items.length - 1; index >= source.items.length; index -= 1) {
      this.changes.push({ path: `${path}[${index}]`, before: toJS(target.items[index], this.target) });
      target.items.splice(index, 1);
    }
  }

  /** The source node for the target: a clone keeps its style and comments; with aliases inside, the plain value. */
  private copy(node: unknown): Node {
    if (isNodeWithoutAliases(node)) return (node as Node).clone() as Node;
    return this.target.createNode(toJS(node, this.source));
  }
}

function isNodeWithoutAliases(node: unknown): boolean {
  if (!isMap(node) && !isSeq(node) && !isScalar(node)) return false;
  let aliased = false;
  visit(node, {
    Alias() {
      aliased = true;
      return visit.BREAK;
    },
  });
  return !aliased;
}

function mapKeys(map: YAMLMap<unknown, unknown>): string[] {
  return map.items.map(scalarKey).filter((key): key is string => key !== undefined);
}

function scalarKey(pair: Pair<unknown, unknown>): string | undefined {
  const key = isScalar(pair.key) ? pair.key.value : pair.key;
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

function valueNode(map: unknown, key: string): unknown {
  return isMap(map) ? map.get(key, true) : undefined;
}

/** The id of every item, or undefined when the list is not keyed (or an item lacks a string id). */
function itemIds(sequence: YAMLSeq<unknown>, itemKey: string | undefined, document: Document): string[] | undefined {
  if (itemKey === undefined) return undefined;
  const ids = sequence.items.map((item) => {
    const value = toJS(item, document) as Record<string, unknown> | undefined;
    return value !== null && typeof value === 'object' ? value[itemKey] : undefined;
  });
  return ids.every((id): id is string => typeof id === 'string') ? ids : undefined;
}

function toJS(node: unknown, document: Document): unknown {
  if (isAlias(node) || isMap(node) || isSeq(node) || isScalar(node)) return node.toJS(document);
  return node;
}

/**
 * Two YAML values alike member for member. Not model/canonical.ts's deepEqual, which compares JSON text: that reads
 * `.nan` and `.inf` as null, and a promotion must not take one for the other.
 */
function sameYamlValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  return (
    aKeys.length === bKeys.length &&
    aKeys.every(
      (key) =>
        Object.hasOwn(b, key) &&
        sameYamlValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}
