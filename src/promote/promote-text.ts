/** Promotion from one environment file's text to another's: the edited target text and what changed. */
import { parseDocument } from 'yaml';
import { applyEditToOriginal, SERIALISE_OPTIONS } from './layout.js';
import { mergePromotable, type MergeOptions, type MergeResult } from './merge.js';
import type { SchemaShape } from './schema-shape.js';

export interface TextPromotion extends MergeResult {
  /** The target file after promotion; equal to the input when nothing changed. */
  text: string;
}

/** Both texts must be valid environment files (load them first): parse problems are reported there, with positions. */
export function promoteText(
  sourceText: string,
  targetText: string,
  shape: SchemaShape,
  options: MergeOptions = {},
): TextPromotion {
  const source = parseDocument(sourceText);
  const target = parseDocument(targetText);
  const unedited = target.toString(SERIALISE_OPTIONS);
  const merged = mergePromotable(source, target, shape, options);
  const text =
    merged.changes.length === 0
      ? targetText
      : applyEditToOriginal(targetText, unedited, target.toString(SERIALISE_OPTIONS));
  return { ...merged, text };
}
