import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LockHeldError } from '../../../src/errors/lock-held-error.js';
import { ProviderError } from '../../../src/errors/provider-error.js';
import type { EnvironmentLock, HeldLock } from '../../../src/providers/provider.js';
import { createLeaseLock, type LeaseLockOptions } from '../../../src/providers/kubernetes/lease-lock.js';
import { startKubeEmulator } from '../../support/kube-emulator/index.js';

const alice = { user: 'alice', host: 'ci-runner-7', ciRun: 'https://github.com/acme/storage/actions/runs/42', planHash: 'sha256:4be1' };
const bob = { user: 'bob', host: 'laptop' };
const never = new AbortController().signal;

let emulator: Awaited<ReturnType<typeof startKubeEmulator>>;
let kubeConfig: KubeConfig;
let leases: CoordinationV1Api;
const held: HeldLock[] = [];

beforeAll(async () => {
  emulator = await startKubeEmulator();
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(emulator.kubeconfig);
  leases = kubeConfig.makeApiClient(CoordinationV1Api);
});
afterAll(async () => {
  await emulator.stop();
});
afterEach(async () => {
  emulator.faults.clear();
  await Promise.all(held.splice(0).map((lock) => lock.release()));
  await leases.deleteNamespacedLease({ name: 'strata-lock-prod', namespace: 'default' }).catch(() => undefined);
});

function lockFor(options: Partial<LeaseLockOptions> = {}): EnvironmentLock {
  return createLeaseLock({ kubeConfig, environment: 'prod', ...options });
}

async function take(lock: EnvironmentLock, actor: typeof alice | typeof bob): Promise<HeldLock> {
  const taken = await lock.acquire(actor, never);
  held.push(taken);
  return taken;
}

/** The lease as the server stores it, as raw JSON (the client would turn times into Dates). */
async function rawLease(): Promise<{ metadata: { annotations?: Record<string, string> }; spec: Record<string, unknown> }> {
  const server = kubeConfig.getCurrentCluster()!.server;
  const response = await fetch(`${server}/apis/coordination.k8s.io/v1/namespaces/default/leases/strata-lock-prod`);
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

function inSeconds(seconds: number): () => Date {
  return () => new Date(Date.now() + seconds * 1000);
}

function lostReason(lock: HeldLock): Promise<Error> {
  return new Promise((resolve) => lock.lost.addEventListener('abort', () => resolve(lock.lost.reason as Error), { once: true }));
}

describe('the environment lock as a Kubernetes Lease', () => {
  it('takes a free lock as a Lease named for the environment, with who, CI run and plan', async () => {
    const lock = await take(lockFor(), alice);
    expect(lock.holder).toMatchObject({ user: 'alice', host: 'ci-runner-7', ciRun: alice.ciRun, planHash: 'sha256:4be1' });
    const lease = await rawLease();
    expect(lease.spec).toMatchObject({ holderIdentity: 'alice@ci-runner-7', leaseDurationSeconds: 60, leaseTransitions: 0 });
    expect(lease.metadata.annotations).toMatchObject({
      'strata.dev/ci-run': alice.ciRun,
      'strata.dev/plan-hash': 'sha256:4be1',
      'strata.dev/since': lock.holder.since,
    });
  });

  it('writes acquire and renew times as MicroTime with exactly six fractional digits', async () => {
    await take(lockFor(), alice);
    const { spec } = await rawLease();
    expect(spec.acquireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('refuses a second run at once, naming the holder, since when and until when', async () => {
    const first = await take(lockFor(), alice);
    const failure = await lockFor().acquire(bob, never).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LockHeldError);
    expect((failure as LockHeldError).holder).toMatchObject({ user: 'alice', host: 'ci-runner-7', since: first.holder.since });
    expect((failure as LockHeldError).message).toMatch(
      /^environment prod is locked by alice@ci-runner-7 \(CI run https:\/\/github\.com\/acme\/storage\/actions\/runs\/42\) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(expires [\dT:Z-]+\); wait for it to finish, or run `strata unlock prod` if it was abandoned$/,
    );
  });

  it('takes over a lease whose holder stopped renewing it', async () => {
    await lockFor({ renewEverySeconds: 3600 }).acquire(alice, never);
    const later = await take(lockFor({ now: inSeconds(61) }), bob);
    expect(later.holder).toMatchObject({ user: 'bob', host: 'laptop' });
    expect((await rawLease()).spec).toMatchObject({ holderIdentity: 'bob@laptop', leaseTransitions: 1 });
  });

  it('lets exactly one of two racing runs take a free lock', async () => {
    const results = await Promise.allSettled([lockFor().acquire(alice, never), lockFor().acquire(bob, never)]);
    const won = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const lost = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    held.push(...won);
    expect(won).toHaveLength(1);
    expect(lost).toEqual([expect.any(LockHeldError)]);
  });

  it('lets exactly one of two racing runs take over an expired lease', async () => {
    await lockFor({ renewEverySeconds: 3600 }).acquire(alice, never);
    const results = await Promise.allSettled([
      lockFor({ now: inSeconds(61) }).acquire(bob, never),
      lockFor({ now: inSeconds(61) }).acquire({ user: 'carol', host: 'ci-runner-9' }, never),
    ]);
    held.push(...results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])));
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('frees the lock on release so the next run can take it', async () => {
    const first = await lockFor().acquire(alice, never);
    await first.release();
    expect(await lockFor().inspect(never)).toBeUndefined();
    await expect(take(lockFor(), bob)).resolves.toMatchObject({ holder: { user: 'bob' } });
  });

  it('keeps the lease alive by renewing it while held', async () => {
    await take(lockFor({ renewEverySeconds: 0.05 }), alice);
    const before = (await rawLease()).spec.renewTime as string;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = (await rawLease()).spec.renewTime as string;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
  });

  it('signals the lock lost when someone else took it over, and leaves their lease alone on release', async () => {
    const first = await lockFor({ renewEverySeconds: 0.05 }).acquire(alice, never);
    const lost = lostReason(first);
    await take(lockFor({ now: inSeconds(61) }), bob);
    expect((await lost).message).toMatch(/^lost the lock on environment prod: it was taken over by bob@laptop since /);
    await first.release();
    expect((await rawLease()).spec.holderIdentity).toBe('bob@laptop');
  });

  it('signals the lock lost when the lease was deleted', async () => {
    const first = await lockFor({ renewEverySeconds: 0.05 }).acquire(alice, never);
    const lost = lostReason(first);
    await lockFor().breakLock({ force: true }, never);
    expect((await lost).message).toContain('the lease was deleted');
  });

  it('tells who holds the lock, expired holders included', async () => {
    expect(await lockFor().inspect(never)).toBeUndefined();
    const taken = await take(lockFor(), alice);
    const holder = await lockFor({ now: inSeconds(120) }).inspect(never);
    expect(holder).toEqual(taken.holder);
    expect(Date.parse(holder!.expiresAt) - Date.parse(holder!.since)).toBeCloseTo(60_000, -3);
  });

  it('refuses to break a live lock without force, naming the holder and the flag', async () => {
    await take(lockFor(), alice);
    await expect(lockFor().breakLock({ force: false }, never)).rejects.toThrow(
      /locked by alice@ci-runner-7 .*; the lock has not expired: if that run is really gone, run `strata unlock prod --force`$/,
    );
    expect((await rawLease()).spec.holderIdentity).toBe('alice@ci-runner-7');
  });

  it('breaks an expired lock without force and returns who held it', async () => {
    await lockFor({ renewEverySeconds: 3600 }).acquire(alice, never);
    const previous = await lockFor({ now: inSeconds(61) }).breakLock({ force: false }, never);
    expect(previous).toMatchObject({ user: 'alice', host: 'ci-runner-7', ciRun: alice.ciRun });
    expect(await lockFor().inspect(never)).toBeUndefined();
  });

  it('breaks a live lock with force', async () => {
    await lockFor({ renewEverySeconds: 3600 }).acquire(alice, never);
    await expect(lockFor().breakLock({ force: true }, never)).resolves.toMatchObject({ user: 'alice' });
    expect(await lockFor().inspect(never)).toBeUndefined();
  });

  it('has nothing to break when nobody holds the lock', async () => {
    await expect(lockFor().breakLock({ force: true }, never)).resolves.toBeUndefined();
  });

  it('rides out failed renewals while the lease is still valid', async () => {
    const lock = await take(lockFor({ renewEverySeconds: 0.05 }), alice);
    emulator.faults.add({ verb: 'update', resource: 'leases', status: 503, times: 3 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lock.lost.aborted).toBe(false);
    expect(Date.parse((await rawLease()).spec.renewTime as string)).toBeGreaterThan(Date.parse(lock.holder.since));
  });

  it('keeps the lock when a renewal conflicts but the lease is still its own', async () => {
    const lock = await take(lockFor({ renewEverySeconds: 0.05 }), alice);
    emulator.faults.add({ verb: 'update', resource: 'leases', conflictOnNthWrite: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lock.lost.aborted).toBe(false);
    expect((await rawLease()).spec.holderIdentity).toBe('alice@ci-runner-7');
  });

  it('signals the lock lost when it could not renew it before the lease lapsed', async () => {
    const lock = await take(lockFor({ renewEverySeconds: 0.1, leaseDurationSeconds: 1 }), alice);
    emulator.faults.add({ verb: 'update', resource: 'leases', status: 500 });
    expect((await lostReason(lock)).message).toMatch(/^lost the lock on environment prod: it could not be renewed for 1 s/);
  });

  it('reports a failing API server as a retryable provider error, not as a held lock', async () => {
    emulator.faults.add({ verb: 'create', resource: 'leases', status: 503 });
    const failure = await lockFor().acquire(alice, never).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ status: 503, retryable: true });
  });
});
