/**
 * The environment lock as a Kubernetes Lease (`coordination.k8s.io/v1`, `strata-lock-<env>`), the primitive
 * Kubernetes itself uses for leader election. Every write carries the resourceVersion it read, so two strata runs
 * racing for the lock cannot both win, and renewal notices at once when someone else took it.
 */
import {
  ApiException,
  CoordinationV1Api,
  V1MicroTime,
  type ConfigurationOptions,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import { LockHeldError, describeHolder } from '../../errors/lock-held-error.js';
import { UserError } from '../../errors/user-error.js';
import type { Actor, LockHolder } from '../../model/actor.js';
import type { EnvironmentLock, HeldLock } from '../provider.js';
import type { RequestTimeouts } from '../request-timeouts.js';
import { boundedRequests, operationOn } from './bounded-requests.js';
import { isNotFound, toProviderError } from './errors.js';

export interface LeaseLockOptions {
  kubeConfig: KubeConfig;
  environment: string;
  /** Where the Lease lives; `default` unless the cluster reserves another namespace for strata. */
  namespace?: string;
  leaseDurationSeconds?: number;
  renewEverySeconds?: number;
  now?: () => Date;
  timeouts?: RequestTimeouts;
}

const ANNOTATIONS = {
  ciRun: 'strata.dev/ci-run',
  planHash: 'strata.dev/plan-hash',
  since: 'strata.dev/since',
} as const;
/** Deletes tried while a live holder keeps renewing between strata's read and its delete. */
const BREAK_ATTEMPTS = 5;

export function createLeaseLock(options: LeaseLockOptions): EnvironmentLock {
  const requests = boundedRequests(options.kubeConfig, options.timeouts);
  const api = requests.client(CoordinationV1Api);
  const { environment } = options;
  const namespace = options.namespace ?? 'default';
  const name = `strata-lock-${environment}`;
  // A wedged server fails each of these within the request timeout, so a renewal never hangs the lock's timer.
  const send = <T>(
    verb: string,
    signal: AbortSignal | undefined,
    call: (options: ConfigurationOptions) => Promise<T>,
  ) => requests.send(operationOn(verb, 'Lease', { namespace, name }), signal, call);
  const durationSeconds = options.leaseDurationSeconds ?? 60;
  const renewEveryMs = (options.renewEverySeconds ?? 20) * 1000;
  const now = options.now ?? (() => new Date());
  const fail = (error: unknown) => toProviderError(error, requests.server);

  async function readLease(signal?: AbortSignal): Promise<V1Lease | undefined> {
    try {
      return await send('get', signal, (signalled) => api.readNamespacedLease({ name, namespace }, signalled));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw fail(error);
    }
  }

  function isLive(holder: LockHolder): boolean {
    return Date.parse(holder.expiresAt) > now().getTime();
  }

  function leaseFor(actor: Actor & { planHash?: string }, at: Date, previous?: V1Lease): V1Lease {
    const annotations: Record<string, string> = { [ANNOTATIONS.since]: at.toISOString() };
    if (actor.ciRun) annotations[ANNOTATIONS.ciRun] = actor.ciRun;
    if (actor.planHash) annotations[ANNOTATIONS.planHash] = actor.planHash;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'strata' },
        annotations,
        ...(previous?.metadata?.resourceVersion ? { resourceVersion: previous.metadata.resourceVersion } : {}),
      },
      spec: {
        holderIdentity: `${actor.user}@${actor.host}`,
        leaseDurationSeconds: durationSeconds,
        acquireTime: microTime(at),
        renewTime: microTime(at),
        leaseTransitions: previous ? (previous.spec?.leaseTransitions ?? 0) + 1 : 0,
      },
    };
  }

  /** After losing a race: who won. */
  async function heldByWinner(): Promise<UserError> {
    const winner = await readLease();
    const holder = winner && holderOf(winner, durationSeconds);
    return holder
      ? new LockHeldError(environment, holder)
      : new UserError(
          `another run took and released the lock on environment ${environment} while this one was taking it`,
          {
            hint: 'run the command again',
          },
        );
  }

  function hold(lease: V1Lease): HeldLock {
    const holder = holderOf(lease, durationSeconds)!;
    const lost = new AbortController();
    let current = lease;
    let lastRenewed = now();
    let released = false;
    let renewal: Promise<void> = Promise.resolve();

    const lose = (why: string) => {
      clearInterval(timer);
      lost.abort(
        new UserError(`lost the lock on environment ${environment}: ${why}`, {
          hint: 'no new steps were started after this; check who holds the lock, then resume with `strata apply --resume`',
        }),
      );
    };
    const isStillOurs = (latest: V1Lease) =>
      latest.spec?.holderIdentity === current.spec?.holderIdentity &&
      latest.metadata?.annotations?.[ANNOTATIONS.since] === current.metadata?.annotations?.[ANNOTATIONS.since];

    async function renew(): Promise<void> {
      if (released || lost.signal.aborted) return;
      const at = now();
      try {
        current = await send('renew', undefined, (signalled) =>
          api.replaceNamespacedLease(
            { name, namespace, body: { ...current, spec: { ...current.spec, renewTime: microTime(at) } } },
            signalled,
          ),
        );
        lastRenewed = at;
      } catch (error) {
        if (isNotFound(error)) return lose('the lease was deleted (someone ran `strata unlock --force`)');
        if (isConflict(error)) {
          const latest = await readLease().catch(() => undefined);
          if (!latest) return lose('the lease was deleted (someone ran `strata unlock --force`)');
          if (isStillOurs(latest)) {
            current = latest;
            return;
          }
          const other = holderOf(latest, durationSeconds);
          return lose(other ? `it was taken over by ${describeHolder(other)}` : 'it was released by someone else');
        }
        // A failed request is tried again at the next tick, until the lease would have lapsed for everyone else.
        if (at.getTime() - lastRenewed.getTime() >= durationSeconds * 1000) {
          lose(`it could not be renewed for ${durationSeconds} s (${fail(error).message})`);
        }
      }
    }

    const timer = setInterval(() => {
      renewal = renewal.then(renew);
    }, renewEveryMs);
    timer.unref();

    return {
      holder,
      lost: lost.signal,
      async release() {
        released = true;
        clearInterval(timer);
        await renewal;
        if (lost.signal.aborted) return;
        try {
          await send('delete', undefined, (signalled) =>
            api.deleteNamespacedLease(
              { name, namespace, body: { preconditions: { resourceVersion: current.metadata?.resourceVersion } } },
              signalled,
            ),
          );
        } catch (error) {
          // Gone or changed: it is no longer ours to delete, and it lapses on its own.
          if (isNotFound(error) || isConflict(error)) return;
          throw fail(error);
        }
      },
    };
  }

  return {
    async acquire(actor, signal) {
      signal.throwIfAborted();
      const existing = await readLease(signal);
      const current = existing && holderOf(existing, durationSeconds);
      if (current && isLive(current)) throw new LockHeldError(environment, current);
      const body = leaseFor(actor, now(), existing);
      try {
        const lease = existing
          ? await send('replace', signal, (signalled) =>
              api.replaceNamespacedLease({ name, namespace, body }, signalled),
            )
          : await send('create', signal, (signalled) => api.createNamespacedLease({ namespace, body }, signalled));
        return hold(lease);
      } catch (error) {
        if (isConflict(error)) throw await heldByWinner();
        throw fail(error);
      }
    },

    async inspect(signal) {
      signal.throwIfAborted();
      const lease = await readLease(signal);
      return lease && holderOf(lease, durationSeconds);
    },

    async breakLock({ force }, signal) {
      signal.throwIfAborted();
      const lease = await readLease(signal);
      const holder = lease && holderOf(lease, durationSeconds);
      if (!lease || !holder) return undefined;
      if (!force && isLive(holder)) {
        throw new LockHeldError(
          environment,
          holder,
          `the lock has not expired: if that run is really gone, run \`strata unlock ${environment} --force\``,
        );
      }
      // A live holder renews, bumping the lease's resourceVersion: the delete is tried again while the lease is still
      // the same holder's, and refused once someone else holds it.
      let basis = lease;
      for (let attempt = 1; ; attempt += 1) {
        try {
          await send('delete', signal, (signalled) =>
            api.deleteNamespacedLease(
              { name, namespace, body: { preconditions: { resourceVersion: basis.metadata?.resourceVersion } } },
              signalled,
            ),
          );
          return holder;
        } catch (error) {
          if (isNotFound(error)) return undefined;
          if (!isConflict(error)) throw fail(error);
          const now = await readLease(signal);
          if (!now) return undefined;
          if (attempt >= BREAK_ATTEMPTS || !sameHolding(now, lease)) {
            throw new UserError(`the lock on environment ${environment} changed hands while strata was breaking it`, {
              hint: `run \`strata unlock ${environment}\` again to see who holds it now`,
            });
          }
          basis = now;
        }
      }
    },
  };
}

/** The same holder's same acquisition: renewals move only renewTime (and resourceVersion). */
function sameHolding(a: V1Lease, b: V1Lease): boolean {
  return a.spec?.holderIdentity === b.spec?.holderIdentity && isoOf(a.spec?.acquireTime) === isoOf(b.spec?.acquireTime);
}

/** Who holds a lease, or undefined when nobody does. Expiry counts from the last renewal. */
function holderOf(lease: V1Lease, defaultDurationSeconds: number): LockHolder | undefined {
  const identity = lease.spec?.holderIdentity;
  if (!identity) return undefined;
  const at = identity.lastIndexOf('@');
  const annotations = lease.metadata?.annotations ?? {};
  const since =
    annotations[ANNOTATIONS.since] ?? isoOf(lease.spec?.acquireTime) ?? isoOf(lease.metadata?.creationTimestamp) ?? '';
  const renewed = isoOf(lease.spec?.renewTime) ?? since;
  const durationMs = (lease.spec?.leaseDurationSeconds ?? defaultDurationSeconds) * 1000;
  return {
    user: at > 0 ? identity.slice(0, at) : identity,
    host: at > 0 ? identity.slice(at + 1) : 'unknown host',
    ...(annotations[ANNOTATIONS.ciRun] ? { ciRun: annotations[ANNOTATIONS.ciRun] } : {}),
    since,
    expiresAt: new Date(Date.parse(renewed) + durationMs).toISOString(),
    ...(annotations[ANNOTATIONS.planHash] ? { planHash: annotations[ANNOTATIONS.planHash] } : {}),
  };
}

/** MicroTime serialises with exactly six fractional digits, the only form the API server accepts. */
function microTime(date: Date): V1MicroTime {
  return new V1MicroTime(date.getTime());
}

/** The client leaves MicroTime fields as the server's strings; Time fields become Dates. */
function isoOf(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isConflict(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}
