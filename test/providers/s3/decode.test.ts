import { describe, expect, it } from 'vitest';
import {
  lifecycleRule,
  lifecycleSpec,
  publicAccessBlockSpec,
  tagsSpec,
  versioningStatus,
  encryptionSpec,
} from '../../../src/providers/s3/decode.js';
import { lifecycleRuleRequest } from '../../../src/providers/s3/requests.js';
import { fingerprintOf } from '../../../src/providers/fingerprint.js';
import { rule } from './fixtures.js';

describe('decoding S3 configurations into specs', () => {
  it("reads a fresh bucket's empty versioning answer as Disabled", () => {
    expect(versioningStatus(undefined)).toBe('Disabled');
    expect(versioningStatus('Suspended')).toBe('Suspended');
  });

  it("reads RGW's top-level Prefix (what Filter: {} comes back as) as the whole bucket", () => {
    expect(lifecycleRule({ ID: 'all', Status: 'Enabled', Prefix: '', Expiration: { Days: 30 } })).toEqual(
      rule('all', { expirationDays: 30 }),
    );
  });

  it("reads RGW's Filter{Prefix, And{Tags}} the same as the Filter.And{Prefix, Tags} that was written", () => {
    const written = lifecycleRule({
      ID: 'media',
      Status: 'Enabled',
      Filter: { And: { Prefix: 'media/', Tags: [{ Key: 'tier', Value: 'cold' }] } },
    });
    const readBack = lifecycleRule({
      ID: 'media',
      Status: 'Enabled',
      Filter: { Prefix: 'media/', And: { Tags: [{ Key: 'tier', Value: 'cold' }] } },
    });
    expect(readBack).toEqual(written);
    expect(readBack).toEqual(rule('media', { prefix: 'media/', tags: { tier: 'cold' } }));
  });

  it('orders transitions by days whatever order the server returns them in', () => {
    const read = lifecycleRule({
      ID: 'media',
      Status: 'Enabled',
      Filter: { Prefix: 'media/' },
      Transitions: [
        { Days: 365, StorageClass: 'GLACIER' },
        { Days: 2555, StorageClass: 'DEEP_ARCHIVE' },
        { Days: 30, StorageClass: 'STANDARD_IA' },
      ],
    });
    expect(read.transitions.map((t) => t.days)).toEqual([30, 365, 2555]);
  });

  it('splits rules into managed (declared IDs) and unmanaged, each sorted by ID', () => {
    const spec = lifecycleSpec(
      [
        { ID: 'zz-legal', Status: 'Enabled', Prefix: '' },
        { ID: 'backups', Status: 'Enabled', Prefix: 'warm/', Expiration: { Days: 30 } },
        { ID: 'added-by-hand', Status: 'Disabled', Prefix: 'tmp/' },
      ],
      new Set(['backups']),
    );
    expect(spec.rules.map((r) => r.id)).toEqual(['backups']);
    expect(spec.unmanagedRules?.map((r) => r.id)).toEqual(['added-by-hand', 'zz-legal']);
  });

  it('counts the owner and environment tags as managed and every undeclared tag as unmanaged', () => {
    const spec = tagsSpec(
      { 'managed-by': 'strata', 'strata.dev/environment': 'prod', team: 'data', 'cost-center': '42' },
      new Set(['team']),
    );
    expect(spec).toEqual({
      tags: { 'managed-by': 'strata', 'strata.dev/environment': 'prod', team: 'data' },
      unmanagedTags: { 'cost-center': '42' },
    });
  });

  it("treats RGW's all-false public access block as no block at all", () => {
    expect(
      publicAccessBlockSpec({
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      }),
    ).toBeUndefined();
    expect(publicAccessBlockSpec({ BlockPublicAcls: true })).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
  });

  it('reads an encryption answer without rules (RGW 16) as no configuration', () => {
    expect(encryptionSpec({ Rules: undefined })).toBeUndefined();
    expect(encryptionSpec({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] })).toEqual({
      algorithm: 'AES256',
    });
  });

  it('writes every lifecycle rule with its ID and reads the request back to the same rule', () => {
    const declared = rule('archive', {
      prefix: 'archive/',
      tags: { compressed: 'true', layout: 'year-month' },
      transitions: [{ days: 90, storageClass: 'GLACIER' }],
      expirationDays: 2555,
      abortIncompleteUploadsDays: 7,
    });
    const request = lifecycleRuleRequest(declared);
    expect(request.ID).toBe('archive');
    expect(lifecycleRule(request)).toEqual(declared);
  });

  it('writes size filters in bytes, alone or in an And beside a prefix and tags, and reads each back to the same rule', () => {
    const GiB = 1024 ** 3;
    const alone = rule('archive-large', { largerThan: '1Gi', transitions: [{ days: 30, storageClass: 'GLACIER' }] });
    expect(lifecycleRuleRequest(alone).Filter).toEqual({ ObjectSizeGreaterThan: GiB });
    const both = rule('expire-small', { prefix: 'repos/', largerThan: '1', smallerThan: '1Gi', expirationDays: 90 });
    expect(lifecycleRuleRequest(both).Filter).toEqual({
      And: { Prefix: 'repos/', ObjectSizeGreaterThan: 1, ObjectSizeLessThan: GiB },
    });
    const tagged = rule('tagged', { tags: { kind: 'clone' }, smallerThan: '500M', expirationDays: 7 });
    expect(lifecycleRuleRequest(tagged).Filter).toEqual({
      And: { Tags: [{ Key: 'kind', Value: 'clone' }], ObjectSizeLessThan: 500_000_000 },
    });
    for (const declared of [alone, both, tagged])
      expect(lifecycleRule(lifecycleRuleRequest(declared))).toEqual(declared);
  });

  it('reads a size beside a top-level Prefix, as RGW lays out And, the same as inside the And', () => {
    expect(
      lifecycleRule({
        ID: 'expire-small',
        Status: 'Enabled',
        Filter: { Prefix: 'repos/', ObjectSizeLessThan: 1024 ** 3 },
        Expiration: { Days: 90 },
      }),
    ).toEqual(rule('expire-small', { prefix: 'repos/', smallerThan: '1Gi', expirationDays: 90 }));
  });

  it('fingerprints a configuration by value, not by key order', () => {
    expect(fingerprintOf({ Status: 'Enabled', MFADelete: 'Disabled' })).toBe(
      fingerprintOf({ MFADelete: 'Disabled', Status: 'Enabled' }),
    );
    expect(fingerprintOf({ Status: 'Enabled' })).not.toBe(fingerprintOf({ Status: 'Suspended' }));
  });
});
