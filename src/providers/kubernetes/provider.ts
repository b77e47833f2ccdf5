/**
 * strata's Kubernetes provider: observes with one paginated cluster-wide LIST per kind (requests grow with kinds,
 * not objects) and changes objects with server-side apply as field manager `strata`. It forces a conflict only where
 * the plan says it takes a declared field from another writer.
 */
import { setTimeout } from 'node:timers/promises';
import { addressKey, type KubernetesKind, type ResourceAddress } from '../../model/address.js';
import type { Change } from '../../model/plan.js';
import {
  FIELD_MANAGER,
  KIND_CAPABILITY,
  type Capability,
  type CapabilityReport,
  type ObservedResource,
  type SpecByKind,
} from '../../model/resources.js';
import { nextCommand } from '../../errors/next-command.js';
import { ProviderError } from '../../errors/provider-error.js';
import type { Provider, Scope, StepOutcome } from '../provider.js';
import { cutShort, type RequestTimeouts } from '../request-timeouts.js';
import { boundedRequests, operationOn } from './bounded-requests.js';
import { connectKubernetes, type KubernetesTarget } from './connect.js';
import { isExpired, isKindNotServed, isNotFound, isVersionConflict, toProviderError } from './errors.js';
import { collectionPath, KIND_INFO, objectPath, OBSERVED_KINDS, type KindInfo } from './kinds.js';
import { honouringRetryAfter } from './retry.js';
import { manifestFor } from './manifests.js';
import { addressOf, observeObject, ownerEnvironment, quotaEnforced, resizeState, type LiveObject } from './decode.js';

/**
 * Objects per LIST page. kubectl's 500 costs a round trip per 500 objects, one after another; at 5,000 a 10,000-claim
 * cluster is two pages of a few MB each.
 */
export const DEFAULT_PAGE_SIZE = 5000;
const TERMINATION_WAIT_MS = 30_000;
const TERMINATION_POLL_MS = 250;
/** How long an apply waits for a resize to show in status.capacity before it reports the resize as still running. */
const RESIZE_WAIT_MS = 60_000;
/** How long an apply waits for the quota controller to enforce a quota change before the dependent steps run. */
const QUOTA_WAIT_MS = 30_000;
const SETTLE_POLL_MS = 100;
/** How long a resize may sit at FileSystemResizePending before the step reports it as waiting for a pod. */
const FILE_SYSTEM_GRACE_MS = 5_000;
/** Writes tried on a newer version while only unmanaged fields keep moving (a busy controller), before giving up. */
const VERSION_CONFLICT_ATTEMPTS = 3;
/** Lists started over after their snapshot expired mid-way (a busy cluster compacting), before the plan fails. */
const MAX_LIST_RESTARTS = 3;
const EXPIRED = Symbol('the list expired');
const NOT_SERVED = Symbol('the kind is not served');

export interface KubernetesProviderOptions extends KubernetesTarget {
  environment: string;
  env?: NodeJS.ProcessEnv;
  pageSize?: number;
  timeouts?: RequestTimeouts;
}

export interface KubernetesProvider extends Provider {
  /** `context <name> (<server>)`, for the plan header. */
  readonly source: string;
}

export function createKubernetesProvider(options: KubernetesProviderOptions): KubernetesProvider {
  const connection = connectKubernetes(options, options.env);
  const requests = boundedRequests(connection.kubeConfig, options.timeouts);
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const source = `context ${connection.contextName} (${connection.server})`;
  const fail = (error: unknown, signal: AbortSignal, address?: ResourceAddress) =>
    cutShort(error, signal, connection.server, address) ?? toProviderError(error, connection.server, address);

  /**
   * Hands every object of the kind to `each`, a page at a time, so only one raw page is held while the rest of the
   * collection is already decoded. False for a custom resource the cluster does not serve (KIND_CAPABILITY).
   *
   * The pages are read from one snapshot of the collection. When etcd compacts it away between two pages, the server
   * answers 410 Expired; the list then starts over, after `restart` has dropped what the earlier pages gave, as
   * client-go's reflector relists: the token the server offers instead continues an inconsistent list.
   */
  async function listAll(
    kind: KubernetesKind,
    signal: AbortSignal,
    each: (object: LiveObject) => void,
    restart: () => void,
  ): Promise<boolean> {
    for (let restarts = 0; ; restarts += 1) {
      const listed = await listPages(kind, signal, each, restarts < MAX_LIST_RESTARTS);
      if (listed !== 'expired') return listed === 'listed';
      restart();
    }
  }

  /** One list of the kind, page by page; 'expired' when its snapshot went mid-way and it may start over. */
  async function listPages(
    kind: KubernetesKind,
    signal: AbortSignal,
    each: (object: LiveObject) => void,
    mayStartOver: boolean,
  ): Promise<'listed' | 'not served' | 'expired'> {
    const info = KIND_INFO[kind];
    let continueToken: string | undefined;
    do {
      signal.throwIfAborted();
      const query = { limit: String(pageSize), continue: continueToken };
      const page = await honouringRetryAfter(
        () => requests.getJson(operationOn('list', info.kind), collectionPath(info), query, signal),
        signal,
      ).catch((error: unknown) => {
        if (KIND_CAPABILITY[info.kind] !== undefined && isKindNotServed(error)) return NOT_SERVED;
        if (continueToken !== undefined && isExpired(error)) {
          if (mayStartOver) return EXPIRED;
          throw new ProviderError(
            `kubernetes ${operationOn('list', info.kind)}: the list's snapshot expired before its last page, ${MAX_LIST_RESTARTS + 1} times over (HTTP 410 Expired)`,
            {
              status: 410,
              retryable: true,
              hint: `etcd compacted its history between two pages of ${pageSize} objects each time: the cluster is very busy; plan again later`,
              cause: error,
            },
          );
        }
        throw fail(error, signal);
      });
      if (page === NOT_SERVED) return 'not served';
      if (page === EXPIRED) return 'expired';
      const { items, metadata } = page as { items?: LiveObject[]; metadata?: { continue?: string } };
      for (const object of items ?? []) each(object);
      continueToken = metadata?.continue || undefined;
    } while (continueToken);
    return 'listed';
  }

  async function readLive(address: ResourceAddress, signal: AbortSignal): Promise<LiveObject | undefined> {
    signal.throwIfAborted();
    const info = KIND_INFO[address.kind as KubernetesKind];
    try {
      return (await honouringRetryAfter(
        () => requests.getJson(operationOn('get', info.kind, address), objectPath(info, address), {}, signal),
        signal,
      )) as LiveObject;
    } catch (error) {
      if (isNotFound(error) || (KIND_CAPABILITY[info.kind] !== undefined && isKindNotServed(error))) return undefined;
      throw fail(error, signal, address);
    }
  }

  async function read(address: ResourceAddress, signal: AbortSignal): Promise<ObservedResource | undefined> {
    const object = await readLive(address, signal);
    const observed = object && observeObject(address.kind as KubernetesKind, object, options.environment);
    // Being deleted is gone as far as a step is concerned: writing to it would change the dying object.
    return observed && !observed.terminating ? observed : undefined;
  }

  /**
   * Server-side apply, conditional on the version `readBefore` saw: a concurrent writer turns it into a 409, not a
   * silent overwrite. A 409 whose fresh read shows the same managed values was a write to something else (a
   * controller's status, another tool's annotation), so the apply is tried again on the newer version.
   */
  async function applyManifest(
    change: Change,
    dryRun: boolean,
    signal: AbortSignal,
    readBefore: ObservedResource | undefined,
  ): Promise<void> {
    const address = change.address as ResourceAddress & { kind: KubernetesKind };
    const path = objectPath(KIND_INFO[address.kind], address);
    const manifest = manifestFor(address, change.after as SpecByKind[KubernetesKind], options.environment);
    const conditional = change.action === 'update' || change.action === 'adopt';
    // Only what the plan showed as taken: any other conflict still fails, as a change nobody reviewed.
    const force = change.attributes.some((attribute) => attribute.takesFrom !== undefined);
    let basis = conditional ? readBefore : undefined;
    for (let attempt = 1; ; attempt += 1) {
      if (basis?.version) manifest.metadata.resourceVersion = basis.version;
      try {
        await honouringRetryAfter(
          () =>
            requests.writeJson(
              operationOn('apply', address.kind, address),
              {
                method: 'PATCH',
                path,
                query: {
                  fieldManager: FIELD_MANAGER,
                  force: force ? 'true' : undefined,
                  dryRun: dryRun ? 'All' : undefined,
                },
                body: manifest,
                contentType: 'application/apply-patch+yaml',
              },
              signal,
            ),
          signal,
        );
        return;
      } catch (error) {
        if (!basis || attempt >= VERSION_CONFLICT_ATTEMPTS || !isVersionConflict(error)) throw error;
        const fresh = await read(address, signal);
        if (fresh?.fingerprint !== basis.fingerprint) throw error;
        basis = fresh;
      }
    }
  }

  /** Waits for what the cluster's controllers still have to do after a write strata's next steps depend on. */
  async function settle(
    change: Change,
    signal: AbortSignal,
  ): Promise<{ object: LiveObject | undefined; pending?: string }> {
    const written = change.action !== 'delete';
    if (written && change.address.kind === 'ResourceQuota') return settleQuota(change.address, signal);
    if (written && change.address.kind === 'PersistentVolumeClaim' && change.action !== 'create')
      return settleResize(change.address, signal);
    return { object: await readLive(change.address, signal) };
  }

  /** A claim created right after a quota change is admitted against the old limits until the controller catches up. */
  async function settleQuota(
    address: ResourceAddress,
    signal: AbortSignal,
  ): Promise<{ object: LiveObject | undefined; pending?: string }> {
    const deadline = Date.now() + QUOTA_WAIT_MS;
    for (;;) {
      const object = await readLive(address, signal);
      if (!object || quotaEnforced(object)) return { object };
      if (Date.now() > deadline) {
        return {
          object,
          pending: `the quota controller does not enforce the new limits yet after ${QUOTA_WAIT_MS / 1000} s (status.hard is the old one)`,
        };
      }
      await setTimeout(SETTLE_POLL_MS, undefined, { signal });
    }
  }

  /**
   * A claim's request changes at once; its status.capacity only once the storage driver has grown the volume and the
   * kubelet its file system. Waits (bounded) until the capacity is there, the resize failed (an error), or it waits on
   * something strata cannot hurry (a pod mounting the claim for FileSystemResizePending, a slow driver): then the step
   * is done, with that said.
   */
  async function settleResize(
    address: ResourceAddress,
    signal: AbortSignal,
  ): Promise<{ object: LiveObject | undefined; pending?: string }> {
    const deadline = Date.now() + RESIZE_WAIT_MS;
    let fileSystemSince: number | undefined;
    for (;;) {
      const object = await readLive(address, signal);
      const resize = object && resizeState(object);
      if (!object || !resize || resize.state === 'done') return { object };
      if (resize.state === 'failed') {
        throw new ProviderError(`the resize to ${resize.requested} failed: ${resize.detail}`, {
          address,
          hint: `the storage driver refused it (kubectl describe pvc -n ${address.namespace} ${address.name}); the claim still requests ${resize.requested}`,
        });
      }
      // A mounted volume's file system grows within seconds; an unmounted one waits for a pod, however long.
      if (resize.state === 'file-system-pending') fileSystemSince ??= Date.now();
      if (fileSystemSince !== undefined && Date.now() - fileSystemSince > FILE_SYSTEM_GRACE_MS) {
        return {
          object,
          pending: `resize to ${resize.requested} requested: the volume grew; its file system grows when a pod next mounts the claim (FileSystemResizePending)`,
        };
      }
      if (Date.now() > deadline) {
        return {
          object,
          pending: `resize to ${resize.requested} requested: capacity still ${resize.capacity} after ${RESIZE_WAIT_MS / 1000} s (${resize.detail})`,
        };
      }
      await setTimeout(SETTLE_POLL_MS, undefined, { signal });
    }
  }

  async function deleteObject(address: ResourceAddress, dryRun: boolean, signal: AbortSignal): Promise<void> {
    const info = KIND_INFO[address.kind as KubernetesKind];
    try {
      await honouringRetryAfter(
        () =>
          requests.writeJson(
            operationOn('delete', info.kind, address),
            { method: 'DELETE', path: objectPath(info, address), query: { dryRun: dryRun ? 'All' : undefined } },
            signal,
          ),
        signal,
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /**
   * A finalizer (a claim's pvc-protection while a pod uses it) keeps a deleted object; writing to it then would
   * change the dying object instead of creating the new one.
   */
  async function untilGone(address: ResourceAddress, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + TERMINATION_WAIT_MS;
    for (;;) {
      const object = await readLive(address, signal);
      if (!object) return;
      if (Date.now() > deadline) {
        throw new ProviderError(
          `deleted, but still terminating after ${TERMINATION_WAIT_MS / 1000} s (finalizers: ${(object.metadata?.finalizers ?? []).join(', ') || 'none'})`,
          {
            address,
            hint: `stop what still uses it (a pod mounting the claim), then continue with ${nextCommand({ kind: 'unfinished-run', planfile: '<planfile>' })}`,
          },
        );
      }
      await setTimeout(TERMINATION_POLL_MS, undefined, { signal });
    }
  }

  return {
    system: 'kubernetes',
    source,

    async observe(scope: Scope, signal: AbortSignal) {
      const declared = new Set(
        scope.desired.filter((r) => r.address.system === 'kubernetes').map((r) => addressKey(r.address)),
      );
      // Unowned objects in a namespace the file declares are read too: drift reports name them as unmanaged.
      const namespaces = new Set(
        scope.desired.filter((r) => r.address.kind === 'Namespace').map((r) => r.address.name),
      );
      const inManagedNamespace = (address: ResourceAddress) =>
        address.namespace !== undefined && namespaces.has(address.namespace);
      // The namespaces declared objects live in, whoever created them (Velero's): the plan says when one is missing.
      const hosts = new Set(
        scope.desired.flatMap((r) => (r.address.system === 'kubernetes' && r.address.namespace) || []),
      );
      const isHost = (address: ResourceAddress) => address.kind === 'Namespace' && hosts.has(address.name);
      // A shared cluster's LIST holds every environment's objects: only the ones this plan needs are decoded.
      const needed = (info: KindInfo, object: LiveObject) => {
        const address = addressOf(info.kind, object);
        return (
          declared.has(addressKey(address)) ||
          ownerEnvironment(object) === scope.environment ||
          (!info.ownedOnly && inManagedNamespace(address)) ||
          isHost(address)
        );
      };
      // Kept per kind, in OBSERVED_KINDS order, however the lists interleave.
      const byKind = OBSERVED_KINDS.map((): ObservedResource[] => []);
      const served = await Promise.all(
        OBSERVED_KINDS.map((info, index) =>
          listAll(
            info.kind,
            signal,
            (object) => {
              if (needed(info, object)) byKind[index]!.push(observeObject(info.kind, object, scope.environment));
            },
            () => {
              byKind[index] = [];
            },
          ),
        ),
      );
      const resources = byKind.flat();
      const notServed = OBSERVED_KINDS.filter((_, index) => !served[index]);
      return { resources, capabilities: missingCapabilities(notServed, scope), source };
    },

    read,

    async apply(change: Change, { dryRun, signal, readBefore }): Promise<StepOutcome> {
      signal.throwIfAborted();
      try {
        switch (change.action) {
          case 'create':
          case 'update':
          case 'adopt':
            await applyManifest(change, dryRun, signal, readBefore);
            break;
          case 'replace':
            // Immutable fields: the object is deleted and created again under the same name, once it is really gone.
            await deleteObject(change.address, dryRun, signal);
            if (!dryRun) await untilGone(change.address, signal);
            await applyManifest({ ...change, action: 'create' }, dryRun, signal, undefined);
            break;
          case 'delete':
            await deleteObject(change.address, dryRun, signal);
            break;
          default:
            throw new ProviderError(`nothing to apply for a ${change.action} change`, { address: change.address });
        }
      } catch (error) {
        throw fail(error, signal, change.address);
      }
      if (dryRun) return {};
      const { object, pending } = await settle(change, signal).catch((error: unknown) => {
        throw fail(error, signal, change.address);
      });
      const observed = object && observeObject(change.address.kind as KubernetesKind, object, options.environment);
      if (!observed || observed.terminating) return {};
      return { observed, ...(pending ? { pending } : {}) };
    },
  };
}

/** `velero.io/v1 BackupStorageLocation and Schedule`: the API group version once, where the kinds share it. */
function servedNames(kinds: KindInfo[]): string {
  const versions = new Set(kinds.map((info) => info.apiVersion));
  if (versions.size === 1) return `${kinds[0]!.apiVersion} ${kinds.map((info) => info.kind).join(' and ')}`;
  return kinds.map((info) => `${info.apiVersion} ${info.kind}`).join(' and ');
}

/**
 * A missing custom resource is reported only to environments that declare some kind of its API: the plan then blocks
 * those resources with the reason, once per API (Velero's Schedule and BackupStorageLocation are one), and every other
 * environment on the cluster plans as if the kinds did not exist.
 */
function missingCapabilities(notServed: KindInfo[], scope: Scope): CapabilityReport[] {
  const byCapability = new Map<Capability, KindInfo[]>();
  for (const info of notServed) {
    const capability = KIND_CAPABILITY[info.kind];
    if (capability === undefined) continue;
    const declared = scope.desired.some((resource) => KIND_CAPABILITY[resource.address.kind] === capability);
    if (declared) byCapability.set(capability, [...(byCapability.get(capability) ?? []), info]);
  }
  return [...byCapability].map(([capability, kinds]) => ({
    capability,
    supported: false,
    detail: `the cluster does not serve ${servedNames(kinds)} (${kinds.length > 1 ? 'their CRDs are' : 'its CRD is'} not installed)`,
  }));
}
