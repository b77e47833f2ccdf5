import { describe, expect, it } from 'vitest';
import { strataLikeBucketPattern } from '../../src/model/bucket-names.js';

describe('strataLikeBucketPattern', () => {
  it('keeps the first and last name segments the declared buckets share', () => {
    const pattern = strataLikeBucketPattern(['akosha-backups-dev', 'akosha-chat-archives-dev']);
    expect(pattern?.glob).toBe('akosha-*-dev');
    expect(pattern?.test('akosha-tmp-dev')).toBe(true);
    expect(pattern?.test('akosha-tmp-prod')).toBe(false);
    expect(pattern?.test('akosha-dev')).toBe(false);
  });

  it('has no pattern when the declared buckets share no first segment', () => {
    expect(strataLikeBucketPattern(['logs-a', 'media-a'])).toBeUndefined();
    expect(strataLikeBucketPattern([])).toBeUndefined();
  });
});
