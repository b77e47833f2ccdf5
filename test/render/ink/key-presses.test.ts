import { describe, expect, it } from 'vitest';
import { keyPresses, NO_KEY, type KeyPress } from '../../../src/render/ink/key-presses.js';

/** Each key as a person reads it: the letter it types, or the name of the key. */
function named(presses: KeyPress[]): string[] {
  return presses.map(({ input, key }) => {
    const special = (['return', 'backspace', 'delete', 'tab', 'escape', 'upArrow'] as const).find((name) => key[name]);
    return special ?? input;
  });
}

describe('the keys in one write to the terminal', () => {
  it('splits a name and its Enter into the letters typed, then Enter', () => {
    expect(named(keyPresses('dev\r', NO_KEY))).toEqual(['d', 'e', 'v', 'return']);
  });

  it('counts every key of a repeated key', () => {
    expect(named(keyPresses('jj', NO_KEY))).toEqual(['j', 'j']);
  });

  it('takes a line break of a paste, CRLF or LF, as one Enter', () => {
    expect(named(keyPresses('a\r\nb\n', NO_KEY))).toEqual(['a', 'return', 'b', 'return']);
  });

  it('names erasing and Tab as ink does when they come alone', () => {
    expect(named(keyPresses('ab\u007f\b\t', NO_KEY))).toEqual(['a', 'b', 'delete', 'backspace', 'tab']);
  });

  it('marks a capital letter as shifted, as ink does', () => {
    expect(keyPresses('gG', NO_KEY).map(({ key }) => key.shift)).toEqual([false, true]);
  });

  it('passes a key that came alone as ink named it', () => {
    const up = { ...NO_KEY, upArrow: true };
    expect(keyPresses('', up)).toEqual([{ input: '', key: up }]);
    const ctrlC = { ...NO_KEY, ctrl: true };
    expect(keyPresses('c', ctrlC)).toEqual([{ input: 'c', key: ctrlC }]);
  });

  it('never types control characters, which a paste can carry', () => {
    expect(named(keyPresses('p\u0007r\u009bod', NO_KEY))).toEqual(['p', 'r', 'o', 'd']);
    expect(keyPresses('\u009b', NO_KEY)).toEqual([{ input: '', key: NO_KEY }]);
  });
});
