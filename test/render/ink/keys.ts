/** Key sequences a terminal sends. To type them and wait for the screen, see test/support/ink.ts. */
export const KEYS = {
  down: '\u001B[B',
  up: '\u001B[A',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;
