import type { Key } from 'ink';
import { CONTROL_CHARACTERS } from '../escape/terminal.js';

/** One key, as ink names it: the character it types ('' for none) and which special key it is. */
export interface KeyPress {
  input: string;
  key: Key;
}

/** The key ink reports with plain text: nothing special pressed. */
export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/**
 * The keys in what ink hands an input handler. ink splits off escape sequences (arrows, Esc) but passes the text of
 * one write whole, and a write can carry several keys (typed faster than they are read, tmux's send-keys, a paste):
 * "dev\r" is three letters and an Enter, "jj" two moves. Each is handled as if pressed alone.
 */
export function keyPresses(input: string, key: Key): KeyPress[] {
  if ([...input].length <= 1 || key.ctrl || key.meta) return [{ input: input.replace(CONTROL_CHARACTERS, ''), key }];
  return [...input.replaceAll('\r\n', '\r')].flatMap(pressOf);
}

function pressOf(character: string): KeyPress[] {
  // The names ink gives these keys when each comes alone.
  if (character === '\r' || character === '\n') return [{ input: '', key: { ...NO_KEY, return: true } }];
  if (character === '\b') return [{ input: '', key: { ...NO_KEY, backspace: true } }];
  if (character === '\u007f') return [{ input: '', key: { ...NO_KEY, delete: true } }];
  if (character === '\t') return [{ input: '', key: { ...NO_KEY, tab: true } }];
  // Other control characters (a paste can carry them) type nothing.
  if (character.replace(CONTROL_CHARACTERS, '') === '') return [];
  return [{ input: character, key: { ...NO_KEY, shift: /^[A-Z]$/.test(character) } }];
}
