/**
 * The environment lock as a Kubernetes Lease, against the run's real control plane. The cluster is shared, so each
 * test locks an environment of its own (its Lease in `default` is named for it) and deletes the Lease afterwards.
 * Other writers are real clients: a second strata run, or another tool writing the same Lease.
 */
import { randomBytes } from 'node:crypto';
import { request, type RequestOptions } from 'node:https';
import { CoordinationV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LockHeldError } from '../../../src/errors/lock-held-error.js';
import { ProviderError } from '../../../src/errors/provider-error.js';
import type { EnvironmentLock, HeldLock } from '../../../src/providers/provider.js';
import { createLeaseLock, type LeaseLockOptions } from '../../../src/providers/kubernetes/lease-lock.js';
import { openTestCluster, waitFor, type TestCluster } from '../../support/kube/index.js';

const alice = {
  user: 'alice',
  host: 'ci-runner-7',
  ciRun: 'https://github.com/acme/storage/actions/runs/42',
  planHash: 'sha256:4be1',
};
const bob = { user: 'bob', host: 'laptop' };
const never = new AbortController().signal;

let cluster: TestCluster;
let kubeConfig: KubeConfig;
/** A second way to the same cluster, through a proxy of its own: one run's network can fail while another's works. */
let elsewhere: TestCluster;
let elsewhereConfig: KubeConfig;
let leases: CoordinationV1Api;
let environment: string;
const leaseName = () => `strata-lock-${environment}`;
const held: HeldLock[] = [];

beforeAll(async () => {
  cluster = await openTestCluster();
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  leases = kubeConfig.makeApiClient(CoordinationV1Api);
  elsewhere = await openTestCluster();
  elsewhereConfig = new KubeConfig();
  elsewhereConfig.loadFromString(elsewhere.kubeconfig);
});
afterAll(async () => {
  await Promise.all([cluster.stop(), elsewhere.stop()]);
});
beforeEach(() => {
  environment = `prod-${randomBytes(3).toString('hex')}`;
});
afterEach(async () => {
  cluster.faults.clear();
  elsewhere.faults.clear();
  await Promise.all(held.splice(0).map((lock) => lock.release()));
  await leases.deleteNamespacedLease({ name: leaseName(), namespace: 'default' }).catch(() => undefined);
});

function lockFor(options: Partial<LeaseLockOptions> = {}): EnvironmentLock {
  return createLeaseLock({ kubeConfig, environment, ...options });
}

async function take(lock: EnvironmentLock, actor: typeof alice | typeof bob): Promise<HeldLock> {
  const taken = await lock.acquire(actor, never);
  held.push(taken);
  return taken;
}

/** The lease as the server stores it, as raw JSON (the client would turn times into Dates). */
async function rawLease(): Promise<{
  metadata: { annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}> {
  const url = new URL(
    `${kubeConfig.getCurrentCluster()!.server}/apis/coordination.k8s.io/v1/namespaces/default/leases/${leaseName()}`,
  );
  const options: RequestOptions = { hostname: url.hostname, port: url.port, path: url.pathname, method: 'GET' };
  await kubeConfig.applyToHTTPSOptions(options);
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    request(options, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    })
      .on('error', reject)
      .end();
  });
  expect(status).toBe(200);
  return JSON.parse(body) as never;
}

function inSeconds(seconds: number): () => Date {
  return () => new Date(Date.now() + seconds * 1000);
}

function lostReason(lock: HeldLock): Promise<Error> {
  return new Promise((resolve) =>
    lock.lost.addEventListener('abort', () => resolve(lock.lost.reason as Error), { once: true }),
  );
}

/** The lease renewed after `after` (an ISO MicroTime), by polling what the server stores. */
async function renewedAfter(after: string): Promise<string> {
  return waitFor(`a renewal after ${after}`, async () => {
    const renewTime = (await rawLease()).spec.renewTime as string;
    return Date.parse(renewTime) > Date.parse(after) ? renewTime : undefined;
  });
}

describe('the environment lock as a Kubernetes Lease', () => {
  it('takes a free lock as a Lease named for the environment, with who, CI run and plan', async () => {
    const lock = await take(lockFor(), alice);
    expect(lock.holder).toMatchObject({
      user: 'alice',
      host: 'ci-runner-7',
      ciRun: alice.ciRun,
      planHash: 'sha256:4be1',
    });
    const lease = await rawLease();
    expect(lease.spec).toMatchObject({
      holderIdentity: 'alice@ci-runner-7',
      leaseDurationSeconds: 60,
      leaseTransitions: 0,
    });
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

  it('refuses a second run at once, naming the holder, since when and until when, then the unlock command', async () => {
    const first = await take(lockFor(), alice);
    const failure = await lockFor()
      .acquire(bob, never)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LockHeldError);
    expect((failure as LockHeldError).holder).toMatchObject({
      user: 'alice',
      host: 'ci-runner-7',
      since: first.holder.since,
    });
    expect((failure as LockHeldError).message).toMatch(
      new RegExp(
        `^environment ${environment} is locked by alice@ci-runner-7 \\(CI run https://github\\.com/acme/storage/actions/runs/42\\) since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(expires [\\dT:Z-]+\\)$`,
      ),
    );
    expect((failure as LockHeldError).hint).toBe(
      `wait for that run to finish; if it was abandoned, break the lock with: strata unlock ${environment}`,
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
    const after = await renewedAfter(before);
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
  });

  it('signals the lock lost when someone else took it over, and leaves their lease alone on release', async () => {
    const first = await lockFor({ kubeConfig: elsewhereConfig, renewEverySeconds: 0.05 }).acquire(alice, never);
    const lost = lostReason(first);
    // Alice's renewals fail on her side of the network while her lease lapses for bob, who takes it over.
    elsewhere.faults.add({ verb: 'update', resource: 'leases', status: 503 });
    elsewhere.counters.reset();
    // Renewals run one after another, so once one has met the fault, none of hers is still on its way to the server.
    await waitFor(
      'a renewal of alice to fail',
      () => (elsewhere.counters.byVerbAndResource()['update leases'] ?? 0) >= 1,
    );
    await take(lockFor({ now: inSeconds(61) }), bob);
    elsewhere.faults.clear();
    expect((await lost).message).toMatch(
      new RegExp(`^lost the lock on environment ${environment}: it was taken over by bob@laptop since `),
    );
    await first.release();
    expect((await rawLease()).spec.holderIdentity).toBe('bob@laptop');
  });

  it('signals the lock lost when the lease was deleted', async () => {
    const first = await lockFor({ renewEverySeconds: 0.05 }).acquire(alice, never);
    const lost = lostReason(first);
    // Someone else deletes it outright (as `strata unlock --force` or `kubectl delete lease` would).
    await leases.deleteNamespacedLease({ name: leaseName(), namespace: 'default' });
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
    await expect(lockFor().breakLock({ force: false }, never)).rejects.toMatchObject({
      message: expect.stringMatching(/locked by alice@ci-runner-7 /) as unknown,
      hint: `the lock has not expired: if that run is really gone, run \`strata unlock ${environment} --force\``,
    });
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

  // Every renewal bumps the lease's resourceVersion, so a renewal between strata's read and its delete fails the
  // delete's precondition; the holder is still the same, so strata tries again.
  it('breaks a live lock with force even while its holder keeps renewing it', async () => {
    await take(lockFor({ renewEverySeconds: 0.05 }), alice);
    // A slow network between strata's read and its delete, long enough for the holder to renew in between.
    cluster.faults.add({ verb: 'delete', resource: 'leases', latencyMs: 300, times: 1 });
    await expect(lockFor().breakLock({ force: true }, never)).resolves.toMatchObject({ user: 'alice' });
    expect(await lockFor().inspect(never)).toBeUndefined();
  });

  it('has nothing to break when nobody holds the lock', async () => {
    await expect(lockFor().breakLock({ force: true }, never)).resolves.toBeUndefined();
  });

  it('rides out failed renewals while the lease is still valid', async () => {
    const lock = await take(lockFor({ renewEverySeconds: 0.05 }), alice);
    cluster.counters.reset();
    const failuresFrom = new Date().toISOString();
    cluster.faults.add({ verb: 'update', resource: 'leases', status: 503, times: 3 });
    // Only a renewal that starts after the faults went in can carry a later renewTime, and the first three are refused.
    await renewedAfter(failuresFrom);
    expect(cluster.counters.byVerbAndResource()['update leases']).toBeGreaterThanOrEqual(4);
    expect(lock.lost.aborted).toBe(false);
  });

  it('keeps the lock when a renewal conflicts but the lease is still its own', async () => {
    const lock = await take(lockFor({ renewEverySeconds: 0.05 }), alice);
    // Another tool writes the Lease between two renewals: strata's next write carries a stale resourceVersion (409).
    await leases.patchNamespacedLease(
      {
        name: leaseName(),
        namespace: 'default',
        body: { metadata: { annotations: { 'example.com/audited-by': 'compliance-bot' } } },
        fieldManager: 'compliance-bot',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const editedAt = (await rawLease()).spec.renewTime as string;
    await renewedAfter(editedAt);
    const lease = await rawLease();
    expect(lock.lost.aborted).toBe(false);
    expect(lease.spec.holderIdentity).toBe('alice@ci-runner-7');
    // The renewal that went through was written over the lease as re-read after the conflict, not over its stale copy.
    expect(lease.metadata.annotations).toMatchObject({ 'example.com/audited-by': 'compliance-bot' });
  });

  it('signals the lock lost when it could not renew it before the lease lapsed', async () => {
    const lock = await take(lockFor({ renewEverySeconds: 0.1, leaseDurationSeconds: 1 }), alice);
    cluster.faults.add({ verb: 'update', resource: 'leases', status: 500 });
    expect((await lostReason(lock)).message).toMatch(
      new RegExp(`^lost the lock on environment ${environment}: it could not be renewed for 1 s`),
    );
  });

  it('reports a failing API server as a retryable provider error, not as a held lock', async () => {
    cluster.faults.add({ verb: 'create', resource: 'leases', status: 503 });
    const failure = await lockFor()
      .acquire(alice, never)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ status: 503, retryable: true });
  });
});
