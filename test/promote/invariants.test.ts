import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { EnvironmentDocument, LifecycleRuleDeclaration } from '../../src/model/environment.js';
import { checkInvariants } from '../../src/promote/invariants.js';

const shipped = (name: string) =>
  parse(readFileSync(new URL(`../../environments/${name}.yaml`, import.meta.url), 'utf8')) as EnvironmentDocument;

/** Checks staging against a prod edited by `edit`. */
function violations(edit: (prod: EnvironmentDocument) => void, only?: string[]) {
  const prod = shipped('prod');
  edit(prod);
  return checkInvariants({
    source: { name: 'staging', document: shipped('staging') },
    target: { name: 'prod', document: prod },
    ...(only ? { only: new Set(only) } : {}),
  }).map((violation) => violation.message);
}

describe('invariants between an environment and the next', () => {
  it('hold for the shipped staging and prod', () => {
    expect(violations(() => {})).toEqual([]);
  });

  it('refuse a lifecycle expiration shorter than the source, naming the rule, both values and the fix', () => {
    expect(violations((prod) => (prod.buckets!['chat-archives']!.lifecycle![1]!.expireAfter = '365d'))).toEqual([
      "buckets.chat-archives.lifecycle[messages-retention].expireAfter: prod would expire current objects after 365d, sooner than staging's 7y (2555 days); set `expireAfter: 7y` or longer in prod.yaml",
    ]);
  });

  it('refuse a noncurrent-version expiration shorter than the source', () => {
    expect(violations((prod) => (prod.buckets!.backups!.lifecycle![0]!.noncurrentExpireAfter = '7d'))).toEqual([
      "buckets.backups.lifecycle[cleanup].noncurrentExpireAfter: prod would expire noncurrent versions after 7d, sooner than staging's 30d; set `noncurrentExpireAfter: 30d` or longer in prod.yaml",
    ]);
  });

  it('refuse an expiration the source does not have at all', () => {
    expect(violations((prod) => (prod.buckets!.projects!.lifecycle![0]!.expireAfter = '3650d'))).toEqual([
      'buckets.projects.lifecycle[archive-projects].expireAfter: prod would expire current objects after 3650d, where staging never expires them; remove `expireAfter` in prod.yaml',
    ]);
  });

  it('refuse an expiring rule that takes in object sizes the source keeps, naming the sizes and the fix', () => {
    const withRules = (...lifecycle: LifecycleRuleDeclaration[]) =>
      ({ buckets: { 'code-analysis': { lifecycle } } }) as unknown as EnvironmentDocument;
    const expireSmall = (sizes: Partial<LifecycleRuleDeclaration>) => ({
      id: 'expire-small',
      expireAfter: '90d',
      ...sizes,
    });
    const check = (source: Partial<LifecycleRuleDeclaration>, target: Partial<LifecycleRuleDeclaration>) =>
      checkInvariants({
        source: { name: 'staging', document: withRules(expireSmall(source)) },
        target: { name: 'prod', document: withRules(expireSmall(target)) },
      }).map((violation) => violation.message);
    expect(check({ smallerThan: '1Gi' }, { smallerThan: '2Gi' })).toEqual([
      'buckets.code-analysis.lifecycle[expire-small].smallerThan: prod would expire objects smaller than 2Gi, where staging expires only objects smaller than 1Gi; set `smallerThan: 1Gi` in prod.yaml',
    ]);
    expect(check({ largerThan: '1Mi', smallerThan: '1Gi' }, { smallerThan: '1Gi' })).toEqual([
      'buckets.code-analysis.lifecycle[expire-small].largerThan: prod would expire objects smaller than 1Gi, where staging expires only objects larger than 1Mi and smaller than 1Gi; set `largerThan: 1Mi` in prod.yaml',
    ]);
    expect(check({ smallerThan: '1Gi' }, { smallerThan: '1024Mi' })).toEqual([]);
    expect(check({}, { largerThan: '1Gi' })).toEqual([]);
  });

  it('refuse a backup keep shorter than the source', () => {
    expect(violations((prod) => (prod.namespaces!.analytics!.backups!['warm-db-daily']!.keep = '14d'))).toEqual([
      "namespaces.analytics.backups.warm-db-daily.keep: prod would keep backups for 14d, shorter than staging's 30d; set `keep: 30d` or longer in prod.yaml",
    ]);
  });

  it('refuse losing versioning or default encryption where the source has them', () => {
    expect(
      violations((prod) => {
        prod.buckets!['chat-archives']!.versioning = false;
        delete prod.buckets!['chat-archives']!.encryption;
      }),
    ).toEqual([
      'buckets.chat-archives.versioning: staging keeps every object version but prod would suspend versioning; set `versioning: true` in prod.yaml',
      'buckets.chat-archives.encryption: staging encrypts objects by default (AES256) but prod would not declare encryption; set `encryption: AES256` in prod.yaml',
    ]);
  });

  it('refuse a missing or shorter object lock', () => {
    expect(violations((prod) => delete prod.buckets!.backups!.objectLock)).toEqual([
      'buckets.backups.objectLock: staging locks objects (GOVERNANCE, 30 days) but prod would not; set `objectLock: { mode: GOVERNANCE, days: 30 }` in prod.yaml',
    ]);
    expect(violations((prod) => (prod.buckets!.backups!.objectLock = { mode: 'GOVERNANCE', days: 7 }))).toEqual([
      "buckets.backups.objectLock: prod would lock objects for 7 days, shorter than staging's 30 days; set `objectLock: { mode: GOVERNANCE, days: 30 }` or longer in prod.yaml",
    ]);
  });

  it('accept a target that keeps data longer than the source', () => {
    expect(
      violations((prod) => {
        prod.buckets!.backups!.objectLock = { mode: 'COMPLIANCE', years: 1 };
        prod.namespaces!.codequal!.backups!['deepwiki-nightly']!.keep = '90d';
        prod.buckets!['chat-archives']!.lifecycle![2]!.expireAfter = '1y';
      }),
    ).toEqual([]);
  });

  it('suggest promoting a resource --only left out', () => {
    expect(
      violations((prod) => (prod.namespaces!.analytics!.backups!['warm-db-daily']!.keep = '14d'), ['backups']),
    ).toEqual([
      "namespaces.analytics.backups.warm-db-daily.keep: prod would keep backups for 14d, shorter than staging's 30d; set `keep: 30d` or longer in prod.yaml, or add `--only analytics` to promote it too",
    ]);
  });
});
