/**
 * How one attribute change reads, decided once for every plan renderer: its path, its values on one line, as a block
 * of diff lines (policies, multi-line text) or as a tree of nested values, whether it is new or removed, and the notes
 * beside it. Renderers only lay this out (colour, indent, escaping for their output), so the terminal, the PR comment
 * and the review cannot word it differently.
 */
import { pathSegments, type PathSegment } from '../model/attribute-path.js';
import { deepEqual, isPlainObject } from '../model/canonical.js';
import type { Action, AttributeChange } from '../model/plan.js';
import { plural } from '../model/words.js';
import {
  diffAttribute,
  formatKey,
  formatValue,
  INLINE_LIMIT,
  isEmpty,
  leafKey,
  type AttributeDiff,
} from './format-value.js';

/**
 * The values as people read them: one line (`text` is `before → after`, or the one side there is), a diff, or a tree
 * of nested values (maps and lists), one attribute a line, as Terraform shows nested blocks.
 */
export type AttributeValues =
  | (Extract<AttributeDiff, { form: 'inline' }> & { text: string })
  | Extract<AttributeDiff, { form: 'lines' }>
  | AttributeTree;

/** A nested value's members under the attribute's own line, which carries its marker. */
export interface AttributeTree {
  form: 'tree';
  children: AttributeTreeNode[];
  /** Members an update leaves as they are, counted rather than shown. */
  hidden?: HiddenCount;
}

/**
 * One member of a nested value: a leaf (`before`/`after` as formatValue words them, units kept) or a map or list,
 * whose members are its children. `sides` says where it is: on both, or only in the live (`before`) or desired
 * (`after`) state; a new or removed subtree is on one side throughout.
 */
export interface AttributeTreeNode {
  /** The member's key as shown (`expirationDays`, a quoted key if not plain), or `[0]` for a list item. */
  key: string;
  sides: 'both' | 'before' | 'after';
  before?: string;
  after?: string;
  /** A leaf's value: `before → after`, or the one side there is. Absent for a map or list. */
  text?: string;
  /** New or removed inside an update; the members of a subtree that is new or removed as a whole carry none. */
  marker?: AttributeMarker;
  /** A changed leaf's own notes (`forces replacement`), when it is shown inside its field's tree. */
  notes?: AttributeNote[];
  children?: AttributeTreeNode[];
  hidden?: HiddenCount;
}

/** `# (2 unchanged attributes hidden)`, Terraform's words: attributes of a map, elements of a list. */
export interface HiddenCount {
  count: number;
  noun: 'attribute' | 'element';
}

/**
 * A value on one side only: shown as `(new)` or `(removed)`, or, in a blocked change that writes nothing, as what it
 * would be were it not blocked.
 */
export type AttributeMarker = 'new' | 'removed' | 'would be new' | 'would be removed';

export interface AttributeNote {
  text: string;
  kind: 'replacement' | 'ownership';
}

export interface AttributeView {
  /** The planner's change, raw values included, for what this view does not word (a tree of nested values). */
  attribute: AttributeChange;
  path: string;
  values: AttributeValues;
  marker?: AttributeMarker;
  notes: AttributeNote[];
}

/**
 * `action` is the resource's, which decides the marker. `whole` says the value is compared whole (a policy document):
 * it is diffed as text, never shown as a tree.
 */
export function viewAttribute(attribute: AttributeChange, action: Action, whole = false): AttributeView {
  const tree = whole ? undefined : treeOf(attribute, action);
  const diff = diffAttribute(attribute);
  const values: AttributeValues =
    tree ?? (diff.form === 'lines' ? diff : { ...diff, text: inlineText(diff.before, diff.after) });
  return {
    attribute,
    path: attribute.path,
    values,
    marker: markerOf(attribute, action),
    notes: attributeNotes(attribute),
  };
}

function inlineText(before: string | undefined, after: string | undefined): string {
  return before !== undefined && after !== undefined ? `${before} → ${after}` : (after ?? before ?? '');
}

/** A value only on one side is new or removed, unless the whole resource is: then every value is. */
function markerOf({ before, after }: AttributeChange, action: Action): AttributeMarker | undefined {
  const blocked = action === 'blocked';
  if (before === undefined && after !== undefined && action !== 'create') return blocked ? 'would be new' : 'new';
  if (after === undefined && before !== undefined && action !== 'delete')
    return blocked ? 'would be removed' : 'removed';
  return undefined;
}

function attributeNotes(attribute: AttributeChange): AttributeNote[] {
  const notes: AttributeNote[] = [];
  if (attribute.forcesReplacement) notes.push({ text: 'forces replacement', kind: 'replacement' });
  if (attribute.takesFrom)
    notes.push({ text: `takes the field from ${attribute.takesFrom.join(', ')}`, kind: 'ownership' });
  return notes;
}

/**
 * The planner's changes inside one top-level field (`hard["requests.storage"]`, `hard.persistentvolumeclaims`) as one
 * tree under `hard`, as Terraform nests the changes of a map, so a created and an updated quota read alike. The
 * planner decided what changed; `before` and `after` are the field's whole values, only to count what it left alone.
 */
export function viewAttributeGroup(
  field: string,
  leaves: AttributeChange[],
  action: Action,
  before: unknown,
  after: unknown,
): AttributeView {
  const root: AttributeTreeNode = { key: field, sides: 'both', children: [] };
  for (const leaf of leaves) {
    const [, ...segments] = pathSegments(leaf.path);
    let parent = root;
    let unitKey = field;
    segments.forEach((segment, index) => {
      const key = 'key' in segment ? formatKey(segment.key) : `[${segment.item}]`;
      if ('key' in segment) unitKey = segment.key;
      const children = (parent.children ??= []);
      if (index < segments.length - 1) {
        let next = children.find((child) => child.key === key);
        if (next === undefined) children.push((next = { key, sides: 'both', children: [] }));
        parent = next;
        return;
      }
      const node = memberNode(key, leaf.before, leaf.after, unitKey, action);
      const marker = markerOf(leaf, action);
      if (marker !== undefined) node.marker = marker;
      const notes = attributeNotes(leaf);
      if (notes.length > 0) node.notes = notes;
      children.push(node);
    });
  }
  countHidden(root, before, after);
  // Changes inside a field exist only where the field is a map or list on both sides.
  const attribute: AttributeChange = { path: field, before: before ?? {}, after: after ?? {} };
  const tree: AttributeTree = { form: 'tree', children: root.children ?? [] };
  if (root.hidden !== undefined) tree.hidden = root.hidden;
  return { attribute, path: field, values: tree, notes: [] };
}

/** At each map or list the group passes through, the members no change touches: `# (2 unchanged attributes hidden)`. */
function countHidden(node: AttributeTreeNode, before: unknown, after: unknown): void {
  if (node.text !== undefined || node.children === undefined) return;
  const members = memberNames(before, after);
  const shown = node.children.length;
  if (members.names.length > shown)
    node.hidden = { count: members.names.length - shown, noun: members.list ? 'element' : 'attribute' };
  for (const child of node.children) {
    const name = members.names.find((candidate) => candidate.shown === child.key);
    if (name !== undefined) countHidden(child, memberOf(before, name.segment), memberOf(after, name.segment));
  }
}

function memberNames(
  before: unknown,
  after: unknown,
): { list: boolean; names: { shown: string; segment: PathSegment }[] } {
  const list = Array.isArray(before ?? after);
  const keys = new Set<string>();
  for (const value of [before, after]) {
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) if (isPlainObject(item) && typeof item.id === 'string') keys.add(item.id);
    } else if (isPlainObject(value)) {
      for (const [name, member] of Object.entries(value)) if (!isEmpty(member)) keys.add(name);
    }
  }
  return {
    list,
    names: [...keys].map((name) =>
      list ? { shown: `[${name}]`, segment: { item: name } } : { shown: formatKey(name), segment: { key: name } },
    ),
  };
}

function memberOf(value: unknown, segment: PathSegment): unknown {
  if ('key' in segment) return isPlainObject(value) ? value[segment.key] : undefined;
  return Array.isArray(value)
    ? (value as unknown[]).find((item) => isPlainObject(item) && item.id === segment.item)
    : undefined;
}

/** Nested values (a map, or a list holding maps or too long for one line) are a tree when both sides are alike. */
function treeOf({ path, before, after }: AttributeChange, action: Action): AttributeTree | undefined {
  const key = leafKey(path);
  if (!isNested(before, key) && !isNested(after, key)) return undefined;
  if (before !== undefined && after !== undefined && shapeOf(before) !== shapeOf(after)) return undefined;
  const node = memberNode('', before, after, key, action);
  if (node.children === undefined) return undefined;
  return node.hidden === undefined
    ? { form: 'tree', children: node.children }
    : { form: 'tree', children: node.children, hidden: node.hidden };
}

function isNested(value: unknown, key: string): boolean {
  if (isPlainObject(value)) return Object.values(value).some((member) => !isEmpty(member));
  if (!Array.isArray(value)) return false;
  return (
    value.some((item) => typeof item === 'object' && item !== null) || formatValue(value, key).length > INLINE_LIMIT
  );
}

function shapeOf(value: unknown): 'map' | 'list' | 'leaf' {
  return Array.isArray(value) ? 'list' : isPlainObject(value) ? 'map' : 'leaf';
}

/**
 * A member and what is under it. `unitKey` is the field the value sits under, which decides its unit: a map member's
 * own key, a list item's list's key.
 */
function memberNode(key: string, before: unknown, after: unknown, unitKey: string, action: Action): AttributeTreeNode {
  const sides = before === undefined ? 'after' : after === undefined ? 'before' : 'both';
  const shape = shapeOf(after ?? before);
  const node: AttributeTreeNode = { key, sides };
  if (shape === 'leaf' || (sides === 'both' && shapeOf(before) !== shapeOf(after))) {
    if (before !== undefined) node.before = formatValue(before, unitKey);
    if (after !== undefined) node.after = formatValue(after, unitKey);
    node.text =
      node.before !== undefined && node.after !== undefined
        ? `${node.before} → ${node.after}`
        : (node.after ?? node.before ?? '');
    return node;
  }
  const members = shape === 'list' ? listMembers(before, after, unitKey) : mapMembers(before, after);
  const children: AttributeTreeNode[] = [];
  let unchanged = 0;
  for (const member of members) {
    if (sides === 'both' && deepEqual(member.before, member.after)) {
      unchanged += 1;
      continue;
    }
    const child = memberNode(member.key, member.before, member.after, member.unitKey, action);
    // Inside an update, a member on one side only is new or removed; a whole new or removed subtree says so once.
    if (sides === 'both') {
      const marker = markerOf({ path: member.key, before: member.before, after: member.after }, action);
      if (marker !== undefined) child.marker = marker;
    }
    children.push(child);
  }
  node.children = children;
  if (unchanged > 0) node.hidden = { count: unchanged, noun: shape === 'list' ? 'element' : 'attribute' };
  return node;
}

interface Member {
  key: string;
  before: unknown;
  after: unknown;
  unitKey: string;
}

/** Keys sorted, as formatValue shows maps; absent and empty members say nothing, as in the compact form. */
function mapMembers(before: unknown, after: unknown): Member[] {
  const beforeMap = isPlainObject(before) ? before : {};
  const afterMap = isPlainObject(after) ? after : {};
  const present = (value: unknown): unknown => (isEmpty(value) ? undefined : value);
  return [...new Set([...Object.keys(beforeMap), ...Object.keys(afterMap)])]
    .sort()
    .map((name) => ({
      key: formatKey(name),
      before: present(beforeMap[name]),
      after: present(afterMap[name]),
      unitKey: name,
    }))
    .filter((member) => member.before !== undefined || member.after !== undefined);
}

/**
 * Items by position, `[0]` first; an item past the end of the other side is new or removed. Items that carry an `id`
 * (lifecycle rules) are matched by it and named by it, `[tiering]`, as the planner names them in paths.
 */
function listMembers(before: unknown, after: unknown, unitKey: string): Member[] {
  const beforeList = Array.isArray(before) ? (before as unknown[]) : [];
  const afterList = Array.isArray(after) ? (after as unknown[]) : [];
  if (isKeyedList(beforeList) && isKeyedList(afterList) && beforeList.length + afterList.length > 0) {
    const beforeById = new Map(beforeList.map((item) => [item.id, item]));
    const afterById = new Map(afterList.map((item) => [item.id, item]));
    return [...new Set([...beforeById.keys(), ...afterById.keys()])].sort().map((id) => ({
      key: `[${id}]`,
      before: beforeById.get(id),
      after: afterById.get(id),
      unitKey,
    }));
  }
  return Array.from({ length: Math.max(beforeList.length, afterList.length) }, (_, index) => ({
    key: `[${index}]`,
    before: beforeList[index],
    after: afterList[index],
    unitKey,
  }));
}

function isKeyedList(list: unknown[]): list is { id: string }[] {
  const ids = list.map((item) => (isPlainObject(item) && typeof item.id === 'string' ? item.id : undefined));
  return ids.every((id) => id !== undefined) && new Set(ids).size === ids.length;
}

/** One line of a tree as every renderer lays it out: `depth` levels under the attribute, sides and marker to paint. */
export interface TreeRow {
  depth: number;
  /** `key:`, padded so the values of sibling leaves line up; or `# (2 unchanged attributes hidden)`. */
  label: string;
  /** A leaf's value (`before → after`, or the one side); absent for a map, a list or a hidden count. */
  text?: string;
  before?: string;
  after?: string;
  sides: AttributeTreeNode['sides'];
  marker?: AttributeMarker;
  notes?: AttributeNote[];
  hidden: boolean;
}

/**
 * The tree as rows, parents before their children. `escape` is the renderer's (keys and values come from live
 * systems); widths are measured after it, so what is escaped still lines up.
 */
export function treeRows(
  tree: { children?: AttributeTreeNode[]; hidden?: HiddenCount },
  escape: (text: string) => string,
  depth = 0,
  sides: AttributeTreeNode['sides'] = 'both',
): TreeRow[] {
  const members = (tree.children ?? []).map((child) => ({ child, label: `${escape(child.key)}:` }));
  const width = Math.max(0, ...members.map(({ child, label }) => (child.text === undefined ? 0 : label.length)));
  const rows = members.flatMap(({ child, label }): TreeRow[] => {
    const row: TreeRow = { depth, label, sides: child.sides, hidden: false };
    if (child.marker !== undefined) row.marker = child.marker;
    if (child.notes !== undefined) row.notes = child.notes;
    if (child.text === undefined) return [row, ...treeRows(child, escape, depth + 1, child.sides)];
    row.label = label.padEnd(width);
    row.text = escape(child.text);
    if (child.before !== undefined) row.before = escape(child.before);
    if (child.after !== undefined) row.after = escape(child.after);
    return [row];
  });
  if (tree.hidden !== undefined) {
    const { count, noun } = tree.hidden;
    rows.push({ depth, label: `# (${plural(count, `unchanged ${noun}`)} hidden)`, sides, hidden: true });
  }
  return rows;
}
