import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAuditLog } from '../../src/apply/audit/index.js';
import { currentActor } from '../../src/cli/actor.js';
import { registerUnlock } from '../../src/cli/commands/unlock.js';
import type { CommandContext } from '../../src/cli/context.js';
import { LockHeldError } from '../../src/errors/lock-held-error.js';
import { isReportedError } from '../../src/errors/reported-error.js';
import { createLeaseLock } from '../../src/providers/kubernetes/lease-lock.js';
import type { LockHolder } from '../../src/model/actor.js';
import type { EnvironmentLock } from '../../src/providers/provider.js';
import { openTestCluster } from '../support/kube/index.js';

let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'strata-cli-unlock-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** The lock interface held in memory: the Lease itself is tested against the cluster in lease-lock.test.ts. */
function lockHeldBy(holder: LockHolder | undefined): EnvironmentLock & { current: LockHolder | undefined } {
  return {
    current: holder,
    async acquire() {
      throw new Error('unlock never acquires');
    },
    async inspect() {
      return this.current;
    },
    async breakLock({ force }) {
      const previous = this.current;
      if (previous && !force && Date.parse(previous.expiresAt) > Date.now()) {
        throw new LockHeldError(
          'prod',
          previous,
          'the lock has not expired: if that run is really gone, run `strata unlock prod --force`',
        );
      }
      this.current = undefined;
      return previous;
    },
  };
}

async function strata(argv: string[], lock: EnvironmentLock, env: NodeJS.ProcessEnv = { STRATA_ACTOR: 'bob' }) {
  const out: string[] = [];
  const err: string[] = [];
  const requested: unknown[] = [];
  const context: CommandContext = {
    output: { out: (text) => out.push(text), err: (text) => err.push(text), color: false, isTTY: false },
    cwd,
    env,
    exitCode: 0,
  };
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => err.push(t) });
  registerUnlock(program, context, {
    async lockFor(environment, options) {
      requested.push({ environment, ...options });
      return lock;
    },
  });
  let code: number = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
    code = context.exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError) && !isReportedError(error)) throw error;
    if (isReportedError(error)) err.push(`error: ${error.message}`, ...(error.hint ? [`hint: ${error.hint}`] : []));
    code = 1;
  }
  return { code, out: out.join('\n'), err: err.join('\n'), requested };
}

const abandoned: LockHolder = {
  user: 'alice',
  host: 'ci-runner-7',
  ciRun: 'https://github.com/acme/storage/actions/runs/42',
  since: '2026-11-23T10:00:00.000000Z',
  expiresAt: '2026-11-23T10:05:00.000Z',
  planHash: 'sha256:4be1',
};

describe('strata unlock', () => {
  it('breaks an expired lock, says who held it, and records it in the audit log', async () => {
    const result = await strata(['unlock', 'prod'], lockHeldBy(abandoned));
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      [
        'broke the lock on environment prod held by alice@ci-runner-7 (CI run https://github.com/acme/storage/actions/runs/42) since 2026-11-23T10:00:00Z (expires 10:05:00Z); it had expired',
        'recorded in audit/prod.jsonl',
      ].join('\n'),
    );
    const [event, ...rest] = await readAuditLog(join(cwd, 'audit', 'prod.jsonl'));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'lock-broken',
      environment: 'prod',
      actor: { user: 'bob', host: hostname() },
      planHash: 'sha256:4be1',
      reason: expect.stringContaining('lock held by alice@ci-runner-7') as string,
    });
  });

  it('refuses a live lock without --force, naming the holder and the flag', async () => {
    const live = { ...abandoned, expiresAt: new Date(Date.now() + 60_000).toISOString() };
    const lock = lockHeldBy(live);
    const result = await strata(['unlock', 'prod'], lock);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^error: environment prod is locked by alice@ci-runner-7 .*\nhint: .*run `strata unlock prod --force`$/,
    );
    expect(lock.current).toBe(live);
    expect(await readAuditLog(join(cwd, 'audit', 'prod.jsonl'))).toEqual([]);
  });

  it('breaks a live lock with --force and says it was forced', async () => {
    const live = { ...abandoned, expiresAt: new Date(Date.now() + 60_000).toISOString() };
    const result = await strata(['unlock', 'prod', '--force'], lockHeldBy(live));
    expect(result.out).toContain('; broken with --force');
    const [event] = await readAuditLog(join(cwd, 'audit', 'prod.jsonl'));
    expect(event?.reason).toContain('broken with --force');
  });

  it('says so when nothing is locked, and records nothing', async () => {
    const result = await strata(['unlock', 'prod'], lockHeldBy(undefined));
    expect(result).toMatchObject({ code: 0, out: 'environment prod is not locked; nothing to do' });
    expect(await readAuditLog(join(cwd, 'audit', 'prod.jsonl'))).toEqual([]);
  });

  it('passes --kubeconfig and --context to the lock and writes to --audit-dir', async () => {
    const result = await strata(
      ['unlock', 'prod', '--kubeconfig', 'kube.yaml', '--context', 'prod-eks', '--audit-dir', 'logs'],
      lockHeldBy(abandoned),
    );
    expect(result.requested).toEqual([{ environment: 'prod', kubeconfig: 'kube.yaml', context: 'prod-eks' }]);
    expect(result.out).toContain('recorded in logs/prod.jsonl');
  });
});

describe('strata unlock against a cluster', () => {
  it('breaks a Lease abandoned by a run that stopped renewing it', async () => {
    const cluster = await openTestCluster();
    // The Lease (strata-lock-<environment> in default) lives on a cluster every test file shares: this test's own name.
    const environment = `prod-${randomBytes(3).toString('hex')}`;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(cluster.kubeconfig);
    try {
      const lease = (now?: () => Date) =>
        createLeaseLock({ kubeConfig, environment, renewEverySeconds: 3600, ...(now ? { now } : {}) });
      await lease().acquire({ user: 'alice', host: 'ci-runner-7' }, new AbortController().signal);
      const result = await strata(
        ['unlock', environment],
        lease(() => new Date(Date.now() + 61_000)),
      );
      expect(result.out).toMatch(
        new RegExp(
          `^broke the lock on environment ${environment} held by alice@ci-runner-7 since .*; it had expired\n`,
        ),
      );
      expect(await lease().inspect(new AbortController().signal)).toBeUndefined();
    } finally {
      await kubeConfig
        .makeApiClient(CoordinationV1Api)
        .deleteNamespacedLease({ namespace: 'default', name: `strata-lock-${environment}` })
        .catch(() => undefined);
      await cluster.stop();
    }
  });
});

describe('who is acting', () => {
  it('takes the user from STRATA_ACTOR and the host from the machine', () => {
    expect(currentActor({ STRATA_ACTOR: 'release-bot' })).toEqual({ user: 'release-bot', host: hostname() });
  });

  it('names the GitHub Actions run', () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/storage', GITHUB_RUN_ID: '42' };
    expect(currentActor(env).ciRun).toBe('https://github.com/acme/storage/actions/runs/42');
  });

  it('names the GitLab job, then a Jenkins build', () => {
    expect(currentActor({ CI_JOB_URL: 'https://gitlab.com/acme/storage/-/jobs/7' }).ciRun).toBe(
      'https://gitlab.com/acme/storage/-/jobs/7',
    );
    expect(currentActor({ BUILD_URL: 'https://jenkins.acme.dev/job/strata/12/' }).ciRun).toBe(
      'https://jenkins.acme.dev/job/strata/12/',
    );
  });

  it('has no CI run outside CI', () => {
    expect(currentActor({}).ciRun).toBeUndefined();
  });
});
