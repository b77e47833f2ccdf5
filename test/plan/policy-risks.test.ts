/**
 * Policy risks look at strata's own statements, by Sid: removing one or weakening one is `security-weakened`, named
 * by its Sid; what other writers put on the bucket never raises a risk.
 */
import { describe, expect, it } from 'vitest';
import type { Action, Change } from '../../src/model/plan.js';
import type { BucketPolicySpec, DesiredResource, ObservedResource } from '../../src/model/resources.js';
import { diffSpecs } from '../../src/plan/diff.js';
import { createPlan } from '../../src/plan/index.js';
import { strataSid } from '../../src/plan/normalize/policy.js';
import { risksOf } from '../../src/plan/risks.js';
import { NOW, address, desired, desiredState, observed, observedState } from '../fixtures/plan/builders.js';

const BUCKET = 'akosha-backups-prod';
type Statement = Record<string, unknown>;

function policyChange(action: Action, before: Statement[] | undefined, after: Statement[] | undefined): Change {
  const spec = (statements: Statement[] | undefined): BucketPolicySpec | undefined =>
    statements === undefined ? undefined : { document: { Version: '2012-10-17', Statement: statements } };
  const change: Change = {
    address: address('BucketPolicy', BUCKET),
    action,
    attributes: diffSpecs('BucketPolicy', spec(before), spec(after)),
    risks: [],
  };
  if (before !== undefined) change.before = spec(before);
  if (after !== undefined) change.after = spec(after);
  return change;
}

function planRisks(desiredResources: DesiredResource[], observedResources: ObservedResource[]) {
  const { changes } = createPlan({
    desired: desiredState(desiredResources),
    observed: observedState(observedResources),
    now: NOW,
  });
  return changes.flatMap((change) => change.risks);
}

const denyDeletes: Statement = {
  Sid: 'DenyDeletes',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:DeleteObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
};
const vpcRead: Statement = {
  Sid: 'VpcRead',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1a2b3c' } },
};
const publicRead: Statement = {
  Sid: 'AllowAuditRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
};

describe('removing a statement strata manages', () => {
  it('is a high risk for a Deny, naming the statement and what it denied', () => {
    expect(risksOf(policyChange('update', [denyDeletes, vpcRead], [vpcRead]))).toEqual([
      {
        kind: 'security-weakened',
        severity: 'high',
        message: 'policy statement "DenyDeletes" removed: its Deny (s3:DeleteObject) no longer applies',
        path: 'document',
      },
    ]);
  });

  it('is a medium risk for an Allow', () => {
    expect(risksOf(policyChange('update', [denyDeletes, vpcRead], [denyDeletes]))).toMatchObject([
      {
        kind: 'security-weakened',
        severity: 'medium',
        message: 'policy statement "VpcRead" removed: its Allow (s3:GetObject) no longer applies',
      },
    ]);
  });

  it("names each of strata's statements when the policy is no longer declared, and none of the others", () => {
    const live = observed('BucketPolicy', BUCKET, {
      document: { Version: '2012-10-17', Statement: [{ ...denyDeletes, Sid: 'strataDenyDeletes' }] },
      unmanagedStatements: [publicRead],
    });

    expect(planRisks([], [live]).map((risk) => risk.message)).toEqual([
      'policy statement "strataDenyDeletes" removed: its Deny (s3:DeleteObject) no longer applies',
    ]);
  });

  it('reads an edited statement without a Sid as one removed and another added: its name follows its content', () => {
    const { Sid: _, ...anonymous } = denyDeletes;

    const risks = risksOf(
      policyChange(
        'update',
        [{ ...anonymous, Sid: strataSid(anonymous) }],
        [{ ...anonymous, Action: ['s3:DeleteObject', 's3:PutObject'] }],
      ),
    );

    expect(risks.map((risk) => risk.message)).toEqual([
      `policy statement "${strataSid(anonymous)}" removed: its Deny (s3:DeleteObject) no longer applies`,
    ]);
  });
});

describe('weakening a statement strata manages', () => {
  it('flags a Deny turned into an Allow', () => {
    expect(
      risksOf(
        policyChange(
          'update',
          [denyDeletes],
          [{ ...denyDeletes, Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' } }],
        ),
      ),
    ).toMatchObject([
      {
        kind: 'security-weakened',
        severity: 'high',
        message: 'policy statement "DenyDeletes" turned from Deny into Allow',
      },
    ]);
  });

  it('flags a Deny whose scope changed, naming what changed: it may deny less', () => {
    const narrowed = { ...denyDeletes, Condition: { StringNotEquals: { 'aws:PrincipalAccount': '123456789012' } } };
    expect(risksOf(policyChange('update', [denyDeletes], [narrowed]))).toMatchObject([
      {
        kind: 'security-weakened',
        severity: 'medium',
        message: 'policy statement "DenyDeletes" changed what it denies (Condition): it may deny less than before',
      },
    ]);
  });

  it('flags an Allow that no longer requires a condition it had', () => {
    const { Condition: _, ...unconditional } = vpcRead;
    expect(risksOf(policyChange('update', [vpcRead], [unconditional]))).toEqual([
      {
        kind: 'security-weakened',
        severity: 'high',
        message:
          'policy statement "VpcRead" no longer requires StringEquals aws:SourceVpc: it allows without that condition',
        path: 'document',
      },
    ]);
  });

  it('flags an Allow whose condition holds another value now', () => {
    const elsewhere = { ...vpcRead, Condition: { StringEquals: { 'aws:SourceVpc': ['vpc-1a2b3c', 'vpc-9z8y7x'] } } };
    expect(risksOf(policyChange('update', [vpcRead], [elsewhere]))).toMatchObject([
      {
        severity: 'medium',
        message:
          'policy statement "VpcRead" changed its condition StringEquals aws:SourceVpc: it may allow more than before',
      },
    ]);
  });

  it('flags an Allow widened to everyone, and a new statement that allows everyone', () => {
    expect(risksOf(policyChange('update', [vpcRead], [{ ...vpcRead, Principal: { AWS: ['*'] } }]))).toMatchObject([
      {
        kind: 'security-weakened',
        severity: 'high',
        message: 'policy statement "VpcRead" allows everyone (Principal "*")',
      },
    ]);
    expect(risksOf(policyChange('create', undefined, [publicRead]))).toMatchObject([
      {
        kind: 'security-weakened',
        severity: 'high',
        message: 'policy statement "AllowAuditRead" allows everyone (Principal "*")',
      },
    ]);
  });

  it('sees no risk in narrowing: an Allow gaining a condition, a Deny that was not there, an Allow turned into a Deny', () => {
    const { Condition: _, ...unconditional } = vpcRead;
    expect(risksOf(policyChange('update', [unconditional], [vpcRead, denyDeletes]))).toEqual([]);
    expect(risksOf(policyChange('update', [vpcRead], [{ ...vpcRead, Effect: 'Deny' }]))).toEqual([]);
  });
});

describe('statements of other writers', () => {
  it('never raises a risk, even one that allows everyone', () => {
    const declared = desired('BucketPolicy', BUCKET, { document: { Version: '2012-10-17', Statement: [denyDeletes] } });
    const live = observed('BucketPolicy', BUCKET, {
      document: { Version: '2012-10-17', Statement: [denyDeletes] },
      unmanagedStatements: [publicRead],
    });

    expect(planRisks([declared], [live])).toEqual([]);
  });
});
