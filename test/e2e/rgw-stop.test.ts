/**
 * The S3 gateway dies, or hangs, in the middle of an apply. A private Ceph cluster of its own, so stopping its radosgw
 * touches no other test; the monitor and OSD keep running, so the data survives, as it would behind a real gateway
 * restart.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ApiException, CoordinationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/model/audit.js';
import { startRgw, stopRgw, type RunningRgw } from '../support/s3/rgw.js';
import { runsOf, savedPlan, succeededSteps, unfinishedSteps } from './support/audit.js';
import { kubeConfigOf, prepareScenario, resolveBlocked } from './support/scenario.js';
import { startWorld, type World } from './support/world.js';

let rgw: RunningRgw;
let world: World;

beforeAll(async () => {
  rgw = await startRgw({ cephDir: await mkdtemp(join(tmpdir(), 'strata-e2e-rgw-')), watchPid: process.pid });
  world = await startWorld({ target: rgw.target });
  await prepareScenario(world);
  await world.writeEnvironment('scenario', resolveBlocked);
}, 180_000);
afterAll(async () => {
  // A stopped gateway would never see the stop script's signal.
  await signalRadosgw('SIGCONT').catch(() => undefined);
  await world?.cleanup();
  if (rgw) stopRgw(rgw.cephDir);
});

const radosgwPidFile = () => join(rgw.cephDir, 'run', 'client.rgw.a.pid');

async function signalRadosgw(signal: NodeJS.Signals): Promise<void> {
  process.kill(Number((await readFile(radosgwPidFile(), 'utf8')).trim()), signal);
}

const killRadosgw = () => signalRadosgw('SIGKILL');

/** Starts radosgw again on the same cluster and waits until it answers. */
async function restartRadosgw(): Promise<void> {
  await promisify(execFile)('radosgw', ['-c', rgw.cephConf, '-n', 'client.rgw.a']);
  const client = new S3Client({ ...rgw.target, credentials: { ...rgw.target.credentials }, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await client.send(new ListBucketsCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

async function logEvents(): Promise<AuditEvent[]> {
  const text = await readFile(join(world.auditDir, `${world.env}.jsonl`), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as AuditEvent);
}

/** Resolves once the apply has started an S3 step of `planHash`. */
async function s3StepStarted(planHash: string): Promise<void> {
  for (;;) {
    const events = await logEvents();
    if (events.some((e) => e.planHash === planHash && e.type === 'step-started' && e.address?.system === 's3')) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The lock's Lease, or undefined once it is gone. */
async function lockLease(): Promise<unknown> {
  const leases = kubeConfigOf(world).makeApiClient(CoordinationV1Api);
  try {
    return await leases.readNamespacedLease({ namespace: 'default', name: `strata-lock-${world.env}` });
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return undefined;
    throw error;
  }
}

describe('the S3 gateway hangs in the middle of an apply', () => {
  it('fails the step at its deadline naming the server and the operation, ends the run, and leaves no lock behind', async () => {
    expect((await world.plan()).exitCode).toBe(0);
    const { planHash } = await savedPlan(world);

    const applying = world.apply('--concurrency', '1', '--step-timeout', '3s');
    await s3StepStarted(planHash);
    // SIGSTOP: the kernel still accepts connections and requests, and nothing ever answers them.
    await signalRadosgw('SIGSTOP');
    const stoppedAt = Date.now();
    let failed: Awaited<typeof applying>;
    try {
      failed = await applying;
    } finally {
      await signalRadosgw('SIGCONT');
    }

    // One step's deadline, and the run's own bookkeeping: not the 30 s request timeout.
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect(failed.exitCode).toBe(1);
    const noAnswer = new RegExp(`^s3 \\w+ on akosha-[\\w-]+: no answer from ${rgw.target.endpoint} within [\\d.]+ s$`);
    expect(failed.stdout).toMatch(/Apply failed: .*1 failed/);
    const [run] = runsOf(await logEvents(), planHash) as [AuditEvent[]];
    const failures = run.filter((e) => e.type === 'step-failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.address?.system).toBe('s3');
    expect(failures[0]?.error).toMatch(noAnswer);
    expect(failed.stdout).toContain(failures[0]!.error!);
    expect(unfinishedSteps(run)).toEqual([]);
    expect(run.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'failed' });
    expect(await lockLease()).toBeUndefined();
    expect((await world.strata('audit', 'verify', world.env, '--audit-dir', world.auditDir)).exitCode).toBe(0);
  }, 120_000);
});

describe('the S3 gateway stops in the middle of an apply', () => {
  it('fails the S3 step it was writing, records it, and resumes to convergence once the gateway is back', async () => {
    expect((await world.plan()).exitCode).toBe(0);
    const { planHash, plan } = await savedPlan(world);

    // One step at a time, so the gateway dies with S3 steps still to come.
    const applying = world.apply('--concurrency', '1');
    await s3StepStarted(planHash);
    await killRadosgw();
    const failed = await applying;

    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toMatch(/Apply failed: \d+ steps? succeeded.*, 1 failed, \d+ not attempted/);
    const [failedRun] = runsOf(await logEvents(), planHash) as [AuditEvent[]];
    const failures = failedRun.filter((e) => e.type === 'step-failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.address?.system).toBe('s3');
    expect(failures[0]?.error).toMatch(/ECONNREFUSED|cannot reach|socket hang up|ECONNRESET/i);
    expect(unfinishedSteps(failedRun)).toEqual([]);
    expect(failedRun.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'failed' });
    expect((await world.strata('audit', 'verify', world.env, '--audit-dir', world.auditDir)).exitCode).toBe(0);

    // The first writes after the restart wait for the killed gateway's watches to time out (10 s, start-rgw.sh).
    await restartRadosgw();
    const resumed = await world.apply('--resume');

    expect(resumed.stdout).toContain('Apply complete');
    expect(resumed.exitCode).toBe(0);
    const runs = runsOf(await logEvents(), planHash);
    expect(new Set(succeededSteps(runs)).size).toBe(plan.steps.length);
    expect((await world.strata('audit', 'verify', world.env, '--audit-dir', world.auditDir)).exitCode).toBe(0);
    const fresh = await world.strata('plan', world.env, '--no-out', '--detailed-exitcode', ...world.targetFlags);
    expect(fresh.stdout).toContain('No changes.');
    expect(fresh.exitCode).toBe(0);
  }, 120_000);
});
