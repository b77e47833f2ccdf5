/**
 * How one attribute change reads, decided once for every plan renderer: its path, its values on one line or as a
 * block of diff lines, whether it is new or removed, and the notes beside it. Renderers only lay this out (colour,
 * indent, escaping for their output), so the terminal, the PR comment and the review cannot word it differently.
 */
import type { Action, AttributeChange } from '../model/plan.js';
import { diffAttribute, type AttributeDiff } from './format-value.js';

/** The values as people read them: one line (`text` is `before → after`, or the one side there is), or a diff. */
export type AttributeValues =
  (Extract<AttributeDiff, { form: 'inline' }> & { text: string }) | Extract<AttributeDiff, { form: 'lines' }>;

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

/** `action` is the resource's, which decides the marker. */
export function viewAttribute(attribute: AttributeChange, action: Action): AttributeView {
  const diff = diffAttribute(attribute);
  const values: AttributeValues = diff.form === 'lines' ? diff : { ...diff, text: inlineText(diff.before, diff.after) };
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
