/**
 * The few text styles renderers use, as ANSI codes written directly: render must not depend on chalk (ink brings it,
 * but only ink code may rely on it). With colour off every style is the identity, for NO_COLOR, pipes and golden files.
 */
export interface Style {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  green: (text: string) => string;
  yellow: (text: string) => string;
  cyan: (text: string) => string;
}

/** Each style closes with its own reset code (22 for intensity, 39 for colour), so styles nest. */
function ansi(open: number, close: number): (text: string) => string {
  return (text) => (text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`);
}

const identity = (text: string): string => text;

const COLORED: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  red: ansi(31, 39),
  green: ansi(32, 39),
  yellow: ansi(33, 39),
  cyan: ansi(36, 39),
};

const PLAIN: Style = {
  bold: identity,
  dim: identity,
  red: identity,
  green: identity,
  yellow: identity,
  cyan: identity,
};

export function createStyle(color: boolean): Style {
  return color ? COLORED : PLAIN;
}
