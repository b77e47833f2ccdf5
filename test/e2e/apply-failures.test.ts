/**
 * `strata apply` failing over the wire, one failure per test, against the fault proxy in front of the real control
 * plane and RGW; conflicts come from a real second writer (kubectl). In every case the audit log verifies and tells
 * what happened, the way forward the output names converges, and a fresh plan afterwards is empty.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoordinationV1Api, CoreV1Api, V1MicroTime } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressKey } from '../../src/model/address.js';
import type { AuditEvent } from '../../src/model/audit.js';
import { openTestCluster } from '../support/kube/index.js';
import { auditEvents, runsOf, savedPlan, succeededSteps, unfinishedSteps } from './support/audit.js';
import { kubeConfigOf, prepareScenario, resolveBlocked } from './support/scenario.js';
import { environmentText, startWorld, type World } from './support/world.js';

let world: World;

/** The scenario with its blocked changes resolved, planned: every change in it can be applied. */
beforeEach(async () => {
  world = await startWorld();
  await prepareScenario(world);
  await world.writeEnvironment('scenario', resolveBlocked);
}, 60_000);
afterEach(() => world?.cleanup());

const claimAddress = () => `kubernetes/PersistentVolumeClaim/${world.namespace('codequal')}/deepwiki-data`;
const quotaAddress = () => `kubernetes/ResourceQuota/${world.namespace('codequal')}/strata-storage`;

async function planned(): Promise<{ planHash: string; steps: number }> {
  const result = await world.plan();
  expect(result.exitCode).toBe(0);
  const { planHash, plan } = await savedPlan(world);
  return { planHash, steps: plan.steps.length };
}

async function runs(planHash: string): Promise<AuditEvent[][]> {
  return runsOf(await auditEvents(world), planHash);
}

async function expectAuditVerifies(): Promise<void> {
  const verified = await world.strata('audit', 'verify', world.env, '--audit-dir', world.auditDir);
  expect(verified.stdout).toContain('chain intact');
  expect(verified.exitCode).toBe(0);
}

async function expectFreshPlanEmpty(): Promise<void> {
  const fresh = await world.strata('plan', world.env, '--no-out', '--detailed-exitcode', ...world.targetFlags);
  expect(fresh.stdout).toContain('No changes.');
  expect(fresh.exitCode).toBe(0);
}

/** The failed run ended, recorded the failure of `address` with `error`, and left no step dangling. */
function expectFailedRun(run: AuditEvent[], address: string, error: string | RegExp): void {
  const failed = run.filter((event) => event.type === 'step-failed');
  expect(failed.map((event) => addressKey(event.address!))).toEqual([address]);
  expect(failed[0]?.error).toMatch(error);
  expect(unfinishedSteps(run)).toEqual([]);
  expect(run.at(-1)).toMatchObject({
    type: 'run-finished',
    outcome: 'failed',
    counts: expect.objectContaining({ failed: 1 }) as unknown,
  });
}

/** `--resume` runs only what the failed run did not finish, and together they did every step once. */
async function expectResumeConverges(planHash: string, steps: number): Promise<void> {
  const resumed = await world.apply('--resume');
  expect(resumed.stdout).toContain('Apply complete');
  expect(resumed.exitCode).toBe(0);
  const [failedRun, resumedRun] = (await runs(planHash)).slice(-2) as [AuditEvent[], AuditEvent[]];
  const doneBefore = new Set(succeededSteps([failedRun]));
  const rerun = resumedRun.filter((e) => e.type === 'step-started' && doneBefore.has(e.step!));
  expect(rerun).toEqual([]);
  expect(new Set(succeededSteps([failedRun, resumedRun])).size).toBe(steps);
  expect(resumedRun.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'succeeded' });
}

const KUBECTL = '/usr/bin/kubectl';

/** Someone else at work on the quota with the real kubectl, against this world's cluster. */
async function kubectlOnQuota(args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  await promisify(execFile)(
    KUBECTL,
    [
      '--kubeconfig',
      world.cluster.kubeconfigPath,
      '--context',
      world.cluster.contextName,
      '-n',
      world.namespace('codequal'),
      ...args,
    ],
    { timeout: 30_000, env: { ...process.env, ...env } },
  );
}

/** `kubectl edit` with an editor that changes the quota's first `requests.storage` (the spec's) from 200Gi to 250Gi. */
async function kubectlEditQuotaTo250Gi(): Promise<void> {
  const editor = join(world.dir, 'edit-quota.sh');
  await writeFile(editor, `#!/bin/sh\nsed -i '0,/requests.storage: 200Gi/s//requests.storage: 250Gi/' "$1"\n`, {
    mode: 0o755,
  });
  await kubectlOnQuota(['edit', 'resourcequota', 'strata-storage'], { KUBE_EDITOR: editor, EDITOR: editor });
}

describe('strata apply over the wire: failures, the audit log, and resume', () => {
  it('stops at a 500 on a claim write, records it, and resumes to convergence', async () => {
    const { planHash, steps } = await planned();
    world.cluster.faults.add({ verb: 'patch', resource: 'persistentvolumeclaims', status: 500 });

    const failed = await world.apply();

    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toMatch(/Apply failed: \d+ steps succeeded.*, 1 failed, \d+ not attempted/);
    expect(failed.stdout).toContain(`not tried    step`);
    expect(failed.stdout).toContain(`cronjob ${world.namespace('codequal')}/deepwiki-nightly`);
    expect(failed.stdout.trimEnd().split('\n').at(-1)).toBe(
      `Continue after fixing the cause with: strata apply --resume ${world.planfile}`,
    );
    expectFailedRun((await runs(planHash))[0]!, claimAddress(), /./);
    await expectAuditVerifies();

    world.cluster.faults.clear();
    await expectResumeConverges(planHash, steps);
    await expectAuditVerifies();
    await expectFreshPlanEmpty();
  });

  it('waits out a 429 with Retry-After and goes on; resume then has nothing to do', async () => {
    const { planHash, steps } = await planned();
    world.cluster.faults.add({
      verb: 'patch',
      resource: 'persistentvolumeclaims',
      status: 429,
      retryAfterSeconds: 1,
      times: 2,
    });
    world.cluster.counters.reset();

    const applied = await world.apply();

    expect(applied.stdout).toContain('Apply complete');
    expect(applied.exitCode).toBe(0);
    // deepwiki-data grows: two throttled tries, then the write.
    expect(world.cluster.counters.byVerbAndResource()['patch persistentvolumeclaims']).toBe(3);
    const [run] = await runs(planHash);
    expect(succeededSteps([run!])).toHaveLength(steps);
    expect(run!.filter((event) => event.type === 'step-failed')).toEqual([]);
    await expectAuditVerifies();

    const resumed = await world.apply('--resume');
    expect(resumed.exitCode).toBe(0);
    expect(await runs(planHash)).toHaveLength(1);
    await expectFreshPlanEmpty();
  });

  it('survives a connection reset mid-step and resumes to convergence', async () => {
    const { planHash, steps } = await planned();
    world.cluster.faults.add({ verb: 'patch', resource: 'persistentvolumeclaims', reset: true, times: 1 });

    const failed = await world.apply();

    expect(failed.exitCode).toBe(1);
    expectFailedRun(
      (await runs(planHash))[0]!,
      claimAddress(),
      /cannot reach the Kubernetes API|socket hang up|ECONNRESET/,
    );
    await expectAuditVerifies();

    await expectResumeConverges(planHash, steps);
    await expectFreshPlanEmpty();
  });

  it('applies over a change another writer made after the plan to what strata does not manage, keeping it', async () => {
    await planned();
    await kubectlOnQuota(['annotate', 'resourcequota', 'strata-storage', 'codequal.dev/reviewed-by=sre-oncall']);

    const applied = await world.apply();

    expect(applied.exitCode).toBe(0);
    await expectAuditVerifies();
    await expectFreshPlanEmpty();
    const core = kubeConfigOf(world).makeApiClient(CoreV1Api);
    const quota = await core.readNamespacedResourceQuota({
      namespace: world.namespace('codequal'),
      name: 'strata-storage',
    });
    expect(quota.metadata?.annotations?.['codequal.dev/reviewed-by']).toBe('sre-oncall');
  });

  it('refuses a step whose managed fields another writer changed after the plan, and never overwrites it', async () => {
    const { planHash } = await planned();
    // Taking strata's ownership label off is a change to what strata manages (and conflicts with no field manager).
    await kubectlOnQuota(['label', 'resourcequota', 'strata-storage', 'strata.dev/environment-']);

    const failed = await world.apply();

    expect(failed.exitCode).toBe(1);
    // Planned again at apply, the quota is no longer strata's: the planner would adopt it, which nobody approved.
    const stale = `${quotaAddress()} changed since the plan was made (planned update, now adopt: hard["requests.storage"] "200Gi" → "300Gi"); run strata plan ${world.env} again`;
    expect(failed.stdout).toContain(stale);
    // A resume would refuse the quota again: the last line sends the person to plan again instead.
    expect(failed.stdout.trimEnd().split('\n').at(-1)).toBe(`Plan again with: strata plan ${world.env}`);
    expectFailedRun((await runs(planHash))[0]!, quotaAddress(), stale);
    await expectAuditVerifies();

    // Resume goes on only where the plan still holds: the moved quota is refused again, and nothing done is redone.
    const resumed = await world.apply('--resume');
    expect(resumed.exitCode).toBe(1);
    const [failedRun, resumedRun] = (await runs(planHash)) as [AuditEvent[], AuditEvent[]];
    expectFailedRun(resumedRun, quotaAddress(), stale);
    const doneBefore = new Set(succeededSteps([failedRun]));
    expect(resumedRun.filter((e) => e.type === 'step-started' && doneBefore.has(e.step!))).toEqual([]);

    // As the message says: plan again (the quota is now adopted, visibly), apply, and it is strata's again.
    await planned();
    expect((await world.apply()).exitCode).toBe(0);
    await expectAuditVerifies();
    await expectFreshPlanEmpty();
    const core = kubeConfigOf(world).makeApiClient(CoreV1Api);
    const quota = await core.readNamespacedResourceQuota({
      namespace: world.namespace('codequal'),
      name: 'strata-storage',
    });
    expect(quota.metadata?.labels?.['strata.dev/environment']).toBe(world.env);
  });

  it('takes back a quota limit another field manager changed, as the plan said, and audits it', async () => {
    await kubectlEditQuotaTo250Gi();
    const { planHash } = await planned();
    const quotaChange = (await savedPlan(world)).plan.changes.find(
      (change) => addressKey(change.address) === quotaAddress(),
    );
    expect(quotaChange?.attributes).toContainEqual(
      expect.objectContaining({ path: 'hard["requests.storage"]', takesFrom: ['kubectl-edit'] }),
    );

    const applied = await world.apply();

    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    expect(
      (await runs(planHash))[0]!.some(
        (event) =>
          event.type === 'step-succeeded' &&
          event.address !== undefined &&
          addressKey(event.address) === quotaAddress(),
      ),
    ).toBe(true);
    await expectAuditVerifies();
    const core = kubeConfigOf(world).makeApiClient(CoreV1Api);
    const quota = await core.readNamespacedResourceQuota({
      namespace: world.namespace('codequal'),
      name: 'strata-storage',
    });
    expect(quota.spec?.hard?.['requests.storage']).toBe('300Gi');
  });

  it('refuses a plan made against another cluster, naming both, and changes nothing there', async () => {
    await planned();
    // Another API address: the same server behind a second proxy stands in for a second cluster.
    const elsewhere = await openTestCluster({ contextName: 'prod-by-mistake' });
    try {
      const refused = await world.strata(
        'apply',
        world.planfile,
        '--no-tty',
        '--allow-destroy',
        `--confirm-irreversible=${world.env}`,
        '--audit-dir',
        world.auditDir,
        '--kubeconfig',
        elsewhere.kubeconfigPath,
        '--context',
        elsewhere.contextName,
        '--s3-endpoint',
        world.target.endpoint,
      );

      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(
        `the plan was made against Kubernetes context strata-test (${world.cluster.url}), and would be applied to context prod-by-mistake (${elsewhere.url})`,
      );
      expect(refused.stderr).toContain(`plan again against the target you mean to change: strata plan ${world.env}`);
      expect(
        Object.keys(elsewhere.counters.byVerbAndResource()).filter((key) => /^(create|update|patch|delete) /.test(key)),
      ).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
    expect((await world.apply()).exitCode).toBe(0);
  });

  it('fails at once when someone else holds the lock, naming the holder, and changes nothing', async () => {
    const { steps } = await planned();
    const leases = kubeConfigOf(world).makeApiClient(CoordinationV1Api);
    const now = new Date();
    await leases.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: { name: `strata-lock-${world.env}`, annotations: { 'strata.dev/since': now.toISOString() } },
        spec: {
          holderIdentity: 'alice@ci-runner-7',
          leaseDurationSeconds: 600,
          acquireTime: new V1MicroTime(now),
          renewTime: new V1MicroTime(now),
        },
      },
    });
    world.cluster.counters.reset();

    const started = performance.now();
    const refused = await world.apply();

    expect(refused.exitCode).toBe(1);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(refused.stderr).toContain(`environment ${world.env} is locked by alice@ci-runner-7`);
    expect(refused.stderr).toContain('since');
    expect(refused.stderr.trimEnd().split('\n').at(-1)).toBe(
      `hint: wait for that run to finish; if it was abandoned, break the lock with: strata unlock ${world.env}`,
    );
    const writes = Object.keys(world.cluster.counters.byVerbAndResource()).filter((key) =>
      /^(create|update|patch|delete) /.test(key),
    );
    expect(writes).toEqual([]);
    const { planHash } = await savedPlan(world);
    expect(await runs(planHash)).toEqual([]);

    // Alice's run ends and releases the lock; this plan then applies in full.
    await leases.deleteNamespacedLease({ namespace: 'default', name: `strata-lock-${world.env}` });
    const applied = await world.apply('--resume');
    expect(applied.exitCode).toBe(0);
    expect(succeededSteps(await runs(planHash))).toHaveLength(steps);
    await expectAuditVerifies();
    await expectFreshPlanEmpty();
  });

  it('does not save a new plan over the one a running apply resumes from, and saves it elsewhere when asked', async () => {
    const { planHash } = await planned();
    const planFile = join(world.dir, 'plans', `${world.env}.plan.json`);
    const before = await readFile(planFile, 'utf8');
    const leases = kubeConfigOf(world).makeApiClient(CoordinationV1Api);
    const now = new Date();
    await leases.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: {
          name: `strata-lock-${world.env}`,
          annotations: { 'strata.dev/since': now.toISOString(), 'strata.dev/plan-hash': planHash },
        },
        spec: {
          holderIdentity: 'alice@ci-runner-7',
          leaseDurationSeconds: 600,
          acquireTime: new V1MicroTime(now),
          renewTime: new V1MicroTime(now),
        },
      },
    });
    try {
      const refused = await world.plan();
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(
        `plans/${world.env}.plan.json is the plan of the apply running now (alice@ci-runner-7`,
      );
      expect(refused.stderr).toContain('hint: wait for that apply to finish, or save this plan elsewhere with --out');
      expect(await readFile(planFile, 'utf8')).toBe(before);

      const elsewhere = await world.plan('--out', 'plans/other.plan.json');
      expect(elsewhere.exitCode).toBe(0);
      expect(await readFile(planFile, 'utf8')).toBe(before);
    } finally {
      await leases.deleteNamespacedLease({ namespace: 'default', name: `strata-lock-${world.env}` });
    }
  });

  it('refuses a plan whose environment file changed since, and tells to plan again', async () => {
    const { planHash } = await planned();
    await world.writeEnvironment('scenario', (text) =>
      resolveBlocked(text).replace('labels: { team: codequal }', 'labels: { team: codequal, tier: gold }'),
    );
    world.cluster.counters.reset();

    const refused = await world.apply();

    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      `environments/${world.env}.yaml changed since the plan was made; run strata plan ${world.env} again`,
    );
    expect(
      Object.keys(world.cluster.counters.byVerbAndResource()).filter(
        (key) => !key.startsWith('get ') && !key.startsWith('list '),
      ),
    ).toEqual([]);
    expect((await world.apply('--resume')).exitCode).toBe(1);
    expect(await runs(planHash)).toEqual([]);
    expect(await environmentText(world)).toContain('tier: gold');

    await planned();
    expect((await world.apply()).exitCode).toBe(0);
    await expectAuditVerifies();
    await expectFreshPlanEmpty();
  });
});
