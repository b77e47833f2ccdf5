/** The YAML merge behind promotion: the target file's text with the source's promotable settings, and what changed. */
import { parseDocument } from 'yaml';
import { applyEditToOriginal, SERIALISE_OPTIONS } from './layout.js';
import { mergePromotable, type MergeOptions, type MergeResult } from './merge.js';
import type { SchemaShape } from './schema-shape.js';

export interface YamlMerge extends MergeResult {
  /** The target file after promotion; equal to the input when nothing changed. */
  text: string;
}

/** Both texts must be valid environment files (load them first): parse problems are reported there, with positions. */
export function mergeYamlText(
  sourceText: string,
  targetText: string,
  shape: SchemaShape,
  options: MergeOptions = {},
): YamlMerge {
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
