import { describe, expect, it } from 'vitest';
import { wrapWords } from '../../src/render/wrap.js';

describe('wrapWords', () => {
  it('breaks at spaces within the width, with its own width for the first line', () => {
    expect(wrapWords('one two three four', 7, 9)).toEqual(['one two', 'three', 'four']);
  });

  it('gives a word longer than the width a line of its own', () => {
    expect(wrapWords('a arn:aws:s3:::akosha-backups-prod b', 10)).toEqual([
      'a',
      'arn:aws:s3:::akosha-backups-prod',
      'b',
    ]);
  });

  it('never leaves an arrow at the end of a line', () => {
    expect(wrapWords('expiration 2555d → 365d', 18)).toEqual(['expiration 2555d', '→ 365d']);
  });
});
