/**
 * strata beside another writer of a bucket policy, against the real Ceph RGW: a person adds a statement with
 * `aws s3api put-bucket-policy`. strata keeps it as found on every write (read back with the AWS CLI), deletes only its
 * own statements once the file no longer declares a policy, and plans nothing for a policy that is only someone else's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change, Plan } from '../../src/model/plan.js';
import { awsCliWith, hasAwsCli, type AwsCliRun } from '../support/s3/index.js';
import { startWorld, type World } from './support/world.js';

let world: World;
let scratch: string;
let aws: (...args: string[]) => Promise<AwsCliRun>;

beforeEach(async () => {
  world = await startWorld();
  scratch = mkdtempSync(join(tmpdir(), 'strata-aws-'));
  aws = awsCliWith(world.target, scratch);
}, 60_000);
afterEach(async () => {
  await world?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

type Statement = Record<string, unknown>;
const bucket = () => world.bucket('chat-archives');

/** strata's statements: a Deny without a Sid (strata names it) and, when asked, a second one. */
const denyArchiveDeletes = () => ({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:DeleteObject',
  Resource: `arn:aws:s3:::${bucket()}/archive/*`,
});
const denyVersionDeletes = () => ({
  Sid: 'strataDenyVersionDeletes',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:DeleteObjectVersion',
  Resource: `arn:aws:s3:::${bucket()}/archive/*`,
});
/** What the person adds by hand. */
const auditRead = () => ({
  Sid: 'AllowAuditRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${bucket()}/audit/*`,
});

async function writeEnvironment(statements: Statement[] | undefined): Promise<void> {
  const policy =
    statements === undefined
      ? []
      : ['    policy:', `      ${JSON.stringify({ Version: '2012-10-17', Statement: statements })}`];
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${world.env} }`,
    `targets: { kubernetes: { context: ${world.cluster.contextName} }, s3: { region: us-east-1 } }`,
    'buckets:',
    '  chat-archives:',
    `    name: ${bucket()}`,
    '    tags: { team: chat }',
    ...policy,
  ];
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), `${lines.join('\n')}\n`);
}

async function livePolicy(): Promise<{ Version?: string; Statement: Statement[] }> {
  const read = await aws('s3api', 'get-bucket-policy', '--bucket', bucket());
  expect(read.code, read.stderr).toBe(0);
  return JSON.parse((JSON.parse(read.stdout) as { Policy: string }).Policy) as { Statement: Statement[] };
}

/** What a person does: read the policy, add a statement, put it back. */
async function addStatementByHand(statement: Statement): Promise<void> {
  const current = await livePolicy();
  const put = await aws(
    's3api',
    'put-bucket-policy',
    '--bucket',
    bucket(),
    '--policy',
    JSON.stringify({ ...current, Statement: [...current.Statement, statement] }),
  );
  expect(put.code, put.stderr).toBe(0);
}

async function planned(): Promise<{ stdout: string; policy: Change | undefined }> {
  const result = await world.plan();
  expect(result.exitCode, result.stderr).toBe(0);
  const plan = JSON.parse(await readFile(join(world.dir, world.planfile), 'utf8')) as Plan;
  return { stdout: result.stdout, policy: plan.changes.find((change) => change.address.kind === 'BucketPolicy') };
}

async function applied(): Promise<void> {
  const result = await world.apply();
  expect(result.exitCode, `${result.stdout}${result.stderr}`).toBe(0);
}

const sids = (statements: Statement[]) => statements.map((statement) => statement.Sid).sort();

describe.skipIf(!hasAwsCli)('a bucket policy strata shares with the AWS CLI', () => {
  it('keeps a statement added by hand on every write, and removes only its own statements once the policy is undeclared', async () => {
    await writeEnvironment([denyArchiveDeletes()]);
    await planned();
    await applied();
    const written = await livePolicy();
    expect(written.Statement).toHaveLength(1);
    // RGW keeps the Sid strata named its statement with: that is how strata finds its statements again.
    const strataSid = written.Statement[0]!.Sid as string;
    expect(strataSid).toMatch(/^strata[0-9a-f]{16}$/);

    await addStatementByHand(auditRead());
    const unchanged = await planned();
    expect(unchanged.policy).toMatchObject({ action: 'no-op', preserved: ['policy statement "AllowAuditRead"'] });
    expect(unchanged.stdout).toContain('No changes.');

    await writeEnvironment([denyArchiveDeletes(), denyVersionDeletes()]);
    const grown = await planned();
    expect(grown.policy).toMatchObject({
      action: 'update',
      risks: [],
      preserved: ['policy statement "AllowAuditRead"'],
    });
    expect(grown.stdout).toContain('kept as found (not managed by strata): policy statement "AllowAuditRead"');
    await applied();
    const afterUpdate = await livePolicy();
    expect(sids(afterUpdate.Statement)).toEqual(['AllowAuditRead', strataSid, 'strataDenyVersionDeletes'].sort());
    expect(afterUpdate.Statement).toContainEqual(auditRead());

    await writeEnvironment(undefined);
    const undeclared = await planned();
    expect(undeclared.policy).toMatchObject({
      action: 'delete',
      preserved: ['policy statement "AllowAuditRead"'],
      reason: "no longer declared: apply removes strata's statements and keeps the others as found",
    });
    expect(undeclared.policy?.risks.map((risk) => `${risk.kind} ${risk.message}`)).toEqual(
      expect.arrayContaining([
        `security-weakened policy statement "${strataSid}" removed: its Deny (s3:DeleteObject) no longer applies`,
        'security-weakened policy statement "strataDenyVersionDeletes" removed: its Deny (s3:DeleteObjectVersion) no longer applies',
      ]),
    );
    expect(undeclared.policy?.risks).toHaveLength(2);
    await applied();
    expect(await livePolicy()).toEqual({ Version: '2012-10-17', Statement: [auditRead()] });
  });

  it('plans nothing for a policy that holds only statements someone else wrote', async () => {
    await writeEnvironment(undefined);
    await planned();
    await applied();
    const put = await aws(
      's3api',
      'put-bucket-policy',
      '--bucket',
      bucket(),
      '--policy',
      JSON.stringify({ Version: '2012-10-17', Statement: [auditRead()] }),
    );
    expect(put.code, put.stderr).toBe(0);

    const again = await world.plan('--detailed-exitcode');

    const plan = JSON.parse(await readFile(join(world.dir, world.planfile), 'utf8')) as Plan;
    expect(plan.changes.filter((change) => change.address.kind === 'BucketPolicy')).toEqual([]);
    expect(again.stdout).toContain('No changes.');
    expect(again.exitCode).toBe(0);
  });
});
