/**
 * Values taken from input (a file, a snapshot, a command line) as a message quotes them: a message names what it is
 * about, and a 40 KB value must not turn one problem into a screenful. (Control characters are the renderers' to
 * escape, `render/escape/terminal.ts`.)
 */

/** Enough of a value to recognise it. */
export const MAX_SHOWN_CHARACTERS = 60;

/** `value` cut to `limit` characters, with `…` after when it was cut. */
export function clip(value: string, limit = MAX_SHOWN_CHARACTERS): string {
  if (value.length <= limit) return value;
  // Never cut between the two halves of a surrogate pair.
  const end = isHighSurrogate(value.charCodeAt(limit - 1)) ? limit - 1 : limit;
  return `${value.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
