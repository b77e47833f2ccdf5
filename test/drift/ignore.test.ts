import { describe, expect, it } from 'vitest';
import { addressMatches, pathMatches, ruleExpired } from '../../src/drift/index.js';

describe('addressMatches', () => {
  it('matches * within one segment', () => {
    expect(
      addressMatches(
        'kubernetes/PersistentVolumeClaim/*/deepwiki-data',
        'kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data',
      ),
    ).toBe(true);
    expect(addressMatches('s3/Bucket*/akosha-backups-prod', 's3/BucketTags/akosha-backups-prod')).toBe(true);
  });

  it('never lets * cross a segment or the segment counts differ', () => {
    expect(
      addressMatches('kubernetes/*/deepwiki-data', 'kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data'),
    ).toBe(false);
    expect(addressMatches('s3/*/akosha-*', 's3/BucketTags/akosha-backups-prod')).toBe(true);
  });

  it('treats dots and other characters literally', () => {
    expect(addressMatches('s3/Bucket/a.b', 's3/Bucket/axb')).toBe(false);
  });
});

describe('pathMatches', () => {
  it('covers everything without a path, and the attributes under a path', () => {
    expect(pathMatches(undefined, 'size')).toBe(true);
    expect(pathMatches('rules', 'rules[tiering].expirationDays')).toBe(true);
    expect(pathMatches('labels', 'labels.team')).toBe(true);
    expect(pathMatches('labels.team', 'labels.teams')).toBe(false);
  });
});

describe('ruleExpired', () => {
  const rule = { address: 's3/Bucket/x', reason: 'migration', until: '2026-11-23' };

  it('keeps a rule through the whole of its last day (UTC)', () => {
    expect(ruleExpired(rule, new Date('2026-11-23T23:59:59.999Z'))).toBe(false);
  });

  it('ends it at the next midnight', () => {
    expect(ruleExpired(rule, new Date('2026-11-24T00:00:00Z'))).toBe(true);
  });

  it('never expires a rule without until', () => {
    expect(ruleExpired({ address: 's3/Bucket/x', reason: 'forever' }, new Date('2100-01-01'))).toBe(false);
  });
});
