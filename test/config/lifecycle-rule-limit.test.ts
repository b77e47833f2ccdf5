/**
 * Each backup adds the lifecycle rule that expires its copies to its bucket, and a bucket holds at most 1,000 rules:
 * beyond that AWS and Ceph RGW refuse the whole configuration (RGW answers a bare MalformedXML), so validation says so.
 */
import { describe, expect, it } from 'vitest';
import { validateEnvironmentText } from '../../src/config/validate.js';
import { seededEnvironment } from '../e2e/support/seed.js';

/** One namespace whose claims each have a backup into bucket `backups`, which declares one rule of its own. */
function withBackups(claims: number): string {
  const namespaces = seededEnvironment(
    'rules',
    { namespaces: 1, claimsPerNamespace: claims, backupBucket: () => 'backups' },
    'kind-strata',
  );
  const bucket = `buckets:\n  backups: { name: rules-backups, versioning: true, lifecycle: [{ id: cleanup, noncurrentExpireAfter: 7d }] }\n`;
  const targets = 'targets: { kubernetes: { context: kind-strata }, s3: { region: us-east-1 } }';
  return `${namespaces.replace('targets: { kubernetes: { context: kind-strata } }', targets)}${bucket}`;
}

const errors = (text: string) =>
  validateEnvironmentText(text, { file: 'environments/rules.yaml', fileName: 'rules', environments: new Map() })
    .diagnostics.filter((diagnostic) => diagnostic.severity === 'error')
    .map(({ path, message }) => ({ path, message }));

describe('the lifecycle rules of a bucket that backups write to', () => {
  it('accepts 1,000 rules: one declared and 999 for backups', () => {
    expect(errors(withBackups(999))).toEqual([]);
  });

  it('refuses 1,001, naming the bucket, where the rules come from and what to do', () => {
    expect(errors(withBackups(1000))).toEqual([
      {
        path: '/buckets/backups',
        message:
          'bucket `backups` would have 1001 lifecycle rules (1 declared, 1000 keeping the copies of the backups that write to it, one each); S3 allows 1000 in a bucket, and AWS and Ceph RGW refuse the whole configuration beyond that: send some of these backups to another bucket',
      },
    ]);
  });
});
