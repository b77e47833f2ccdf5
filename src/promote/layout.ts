/**
 * Writing an edited document back without reformatting the lines nobody edited. The `yaml` package re-serialises the
 * whole file, which is faithful but not byte-exact (it collapses the spaces before a trailing comment, for one). So the
 * edit is taken as a line patch between the unedited and the edited serialisation, and that patch is applied to the
 * original text: untouched lines stay exactly as the person wrote them.
 */
import { applyPatch, structuredPatch } from 'diff';
import { parse } from 'yaml';

export const SERIALISE_OPTIONS = { lineWidth: 0 } as const;

/**
 * `original` with the edit that turned `unedited` (the original as the yaml package serialises it) into `edited`.
 * Falls back to `edited` itself when the patch does not fit or would not mean the same.
 */
export function applyEditToOriginal(original: string, unedited: string, edited: string): string {
  if (unedited === edited) return original;
  const patch = structuredPatch('original', 'edited', unedited, edited, undefined, undefined, { context: 0 });
  const patched = applyPatch(original, patch, {
    // Serialisation changes only spacing on the lines it keeps, so lines are matched with spacing ignored.
    compareLine: (_lineNumber, line, _operation, patchContent) => squeeze(line) === squeeze(patchContent),
  });
  if (patched === false || !sameData(patched, edited)) return edited;
  return patched;
}

function squeeze(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

function sameData(a: string, b: string): boolean {
  try {
    return JSON.stringify(parse(a)) === JSON.stringify(parse(b));
  } catch {
    return false;
  }
}
