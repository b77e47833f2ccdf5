/**
 * Statement-level ownership of a bucket policy: strata manages the statements it declares or named (Sid prefix
 * `strata`), keeps every other statement as found, and deletes only its own.
 */
import { describe, expect, it } from 'vitest';
import type { BucketPolicySpec, DesiredResource, ObservedResource } from '../../src/model/resources.js';
import { createPlan } from '../../src/plan/index.js';
import { strataSid } from '../../src/plan/normalize/policy.js';
import { NOW, desired, desiredState, observed, observedState } from '../fixtures/plan/builders.js';

const BUCKET = 'akosha-backups-prod';
const VERSION = '2012-10-17';

function changesOf(desiredResources: DesiredResource[], observedResources: ObservedResource[]) {
  return createPlan({ desired: desiredState(desiredResources), observed: observedState(observedResources), now: NOW })
    .changes;
}

function onlyChange(desiredResources: DesiredResource[], observedResources: ObservedResource[]) {
  const changes = changesOf(desiredResources, observedResources);
  expect(changes).toHaveLength(1);
  return changes[0]!;
}

const denyInsecure = {
  Sid: 'strataDenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const backupWriters = {
  Sid: 'BackupWriters',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:role/strata-backup' },
  Action: 's3:PutObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
};
const auditRead = {
  Sid: 'AllowAuditRead',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::999999999999:role/audit' },
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
};

const declaredPolicy = (...Statement: Record<string, unknown>[]) =>
  desired('BucketPolicy', BUCKET, { document: { Version: VERSION, Statement } });
const livePolicy = (managed: Record<string, unknown>[], unmanaged: Record<string, unknown>[] = []) =>
  observed('BucketPolicy', BUCKET, {
    document: { Version: VERSION, Statement: managed },
    ...(unmanaged.length > 0 ? { unmanagedStatements: unmanaged } : {}),
  });
const statementsOf = (spec: unknown) => (spec as BucketPolicySpec).document.Statement as Record<string, unknown>[];

describe('naming the statements strata writes', () => {
  it('names a declared statement without a Sid strata<hash of its content>, and keeps a Sid the file gives', () => {
    const { Sid: _, ...anonymous } = denyInsecure;

    const change = onlyChange([declaredPolicy(anonymous, backupWriters)], []);

    expect(
      statementsOf(change.after)
        .map((statement) => statement.Sid)
        .sort(),
    ).toEqual(['BackupWriters', strataSid(anonymous)]);
    expect(strataSid(anonymous)).toMatch(/^strata[0-9a-f]{16}$/);
  });

  it('gives a statement the same name however it is written, and another statement another name', () => {
    const { Sid: _, ...anonymous } = denyInsecure;
    const rewritten = {
      Resource: [anonymous.Resource],
      Condition: anonymous.Condition,
      Action: ['s3:*'],
      Principal: { AWS: '*' },
      Effect: 'Deny',
    };

    expect(strataSid(rewritten)).toBe(strataSid(anonymous));
    expect(strataSid({ ...anonymous, Action: 's3:DeleteObject' })).not.toBe(strataSid(anonymous));
  });

  it('is in sync once the statements it named are on the bucket', () => {
    const { Sid: _, ...anonymous } = denyInsecure;

    const change = onlyChange([declaredPolicy(anonymous)], [livePolicy([{ ...anonymous, Sid: strataSid(anonymous) }])]);

    expect(change.action).toBe('no-op');
  });
});

describe('statements other writers put on the bucket', () => {
  it("keeps a foreign statement as found beside strata's: nothing to change, and the plan says it keeps it", () => {
    const change = onlyChange([declaredPolicy(denyInsecure)], [livePolicy([denyInsecure], [auditRead])]);

    expect(change.action).toBe('no-op');
    expect(change.preserved).toEqual(['policy statement "AllowAuditRead"']);
    expect((change.after as BucketPolicySpec).unmanagedStatements).toEqual([auditRead]);
  });

  it("diffs only strata's statements and carries the foreign ones into what it writes", () => {
    const change = onlyChange([declaredPolicy(denyInsecure, backupWriters)], [livePolicy([denyInsecure], [auditRead])]);

    expect(change.action).toBe('update');
    expect(change.attributes.map((attribute) => attribute.path)).toEqual(['document']);
    const [document] = change.attributes;
    expect(statementsOf({ document: document!.before }).map((statement) => statement.Sid)).toEqual([
      'strataDenyInsecureTransport',
    ]);
    expect(
      statementsOf({ document: document!.after })
        .map((statement) => statement.Sid)
        .sort(),
    ).toEqual(['BackupWriters', 'strataDenyInsecureTransport']);
    expect((change.after as BucketPolicySpec).unmanagedStatements).toEqual([auditRead]);
  });

  it("adds strata's statements to a policy that holds only foreign ones", () => {
    const change = onlyChange([declaredPolicy(denyInsecure)], [livePolicy([], [auditRead])]);

    expect(change.action).toBe('update');
    expect(change.preserved).toEqual(['policy statement "AllowAuditRead"']);
  });

  it('manages a statement found on the bucket once the file declares its Sid', () => {
    const change = onlyChange([declaredPolicy(denyInsecure, auditRead)], [livePolicy([denyInsecure], [auditRead])]);

    expect(change.action).toBe('no-op');
    expect(change.preserved).toBeUndefined();
  });

  it('plans nothing for a policy that holds only foreign statements when the file declares none', () => {
    expect(changesOf([], [livePolicy([], [auditRead])])).toEqual([]);
  });
});

describe('a policy no longer declared', () => {
  it("removes only strata's statements and keeps the others as found, with the document's Version", () => {
    const change = onlyChange([], [livePolicy([denyInsecure], [auditRead])]);

    expect(change).toMatchObject({
      action: 'delete',
      after: { document: { Version: VERSION, Statement: [] }, unmanagedStatements: [auditRead] },
      preserved: ['policy statement "AllowAuditRead"'],
      reason: "no longer declared: apply removes strata's statements and keeps the others as found",
    });
  });

  it("deletes the policy when it holds strata's statements only", () => {
    const change = onlyChange([], [livePolicy([denyInsecure])]);

    expect(change).toMatchObject({ action: 'delete', reason: 'no longer declared' });
    expect(change.preserved).toBeUndefined();
  });

  it("splits a snapshot's whole document by Sid too: a statement without strata's prefix is not strata's to delete", () => {
    const { Sid: _, ...anonymousRead } = auditRead;
    const snapshot = observed('BucketPolicy', BUCKET, {
      document: { Version: VERSION, Statement: [denyInsecure, anonymousRead, backupWriters] },
    });

    const change = onlyChange([], [snapshot]);

    expect(change.action).toBe('delete');
    expect(change.preserved).toEqual([
      'policy statement "BackupWriters"',
      'policy statement without a Sid (Allow s3:GetObject)',
    ]);
    expect(statementsOf(change.before).map((statement) => statement.Sid)).toEqual(['strataDenyInsecureTransport']);
  });
});
