/**
 * What strata did, as core/v1 Events on the objects it touched, so `kubectl describe pvc data` and `kubectl get
 * events` show it next to what the cluster did. The audit log is the record; events are a courtesy and expire
 * (one hour by default), so a failure to write one never fails an apply.
 */
import { CoreV1Api, type CoreV1Event, type KubeConfig } from '@kubernetes/client-node';
import type { KubernetesKind, ResourceAddress } from '../../model/address.js';
import type { RequestTimeouts } from '../request-timeouts.js';
import { boundedRequests, operationOn } from './bounded-requests.js';
import { isNotFound, toProviderError } from './errors.js';
import { KIND_INFO, objectPath } from './kinds.js';

const EVENT_SOURCE = 'strata';
/** The size events.k8s.io/v1 allows a note; core/v1 allows more, but a longer message helps nobody in a describe. */
const MESSAGE_LIMIT = 1024;

export interface ObjectEvent {
  /** A Kubernetes resource's address. */
  address: ResourceAddress;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /**
   * The object as the step left it, when the step read it back: its uid and resourceVersion are taken from there
   * instead of reading it once more.
   */
  object?: { uid?: string; version?: string };
}

export interface EventRecorder {
  record(event: ObjectEvent): Promise<void>;
}

export function createEventRecorder(options: {
  kubeConfig: KubeConfig;
  host: string;
  timeouts?: RequestTimeouts;
}): EventRecorder {
  const requests = boundedRequests(options.kubeConfig, options.timeouts);
  const core = requests.client(CoreV1Api);
  let sequence = 0;

  /** uid and resourceVersion tie the event to this incarnation of the object; a deleted one has neither. */
  async function identityOf(event: ObjectEvent): Promise<{ uid?: string; resourceVersion?: string }> {
    if (event.object)
      return {
        ...(event.object.uid ? { uid: event.object.uid } : {}),
        ...(event.object.version ? { resourceVersion: event.object.version } : {}),
      };
    const address = event.address;
    const info = KIND_INFO[address.kind as KubernetesKind];
    try {
      const live = (await requests.getJson(
        operationOn('get', info.kind, address),
        objectPath(info, address),
        {},
        undefined,
      )) as { metadata?: { uid?: string; resourceVersion?: string } };
      return { uid: live.metadata?.uid, resourceVersion: live.metadata?.resourceVersion };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  return {
    async record(event) {
      const info = KIND_INFO[event.address.kind as KubernetesKind];
      const at = new Date();
      const name = `${event.address.name}.${eventSuffix(at, ++sequence)}`;
      try {
        const identity = await identityOf(event);
        // Events about cluster-scoped objects live in "default", as the API requires of a core/v1 event.
        const namespace = event.address.namespace ?? 'default';
        const body: CoreV1Event = {
          metadata: { name, namespace },
          involvedObject: { apiVersion: info.apiVersion, kind: info.kind, ...referenceOf(event.address), ...identity },
          type: event.type,
          reason: event.reason,
          message: truncate(event.message, MESSAGE_LIMIT),
          source: { component: EVENT_SOURCE, host: options.host },
          reportingComponent: EVENT_SOURCE,
          reportingInstance: options.host,
          firstTimestamp: at,
          lastTimestamp: at,
          count: 1,
        };
        await requests.send(operationOn('create', 'Event', { namespace, name }), undefined, (signalled) =>
          core.createNamespacedEvent({ namespace, body }, signalled),
        );
      } catch (error) {
        throw toProviderError(error, requests.server, event.address);
      }
    },
  };
}

/** Unique per object like the client-go recorder's `<name>.<unix nanos in hex>`, with a counter for the same millisecond. */
function eventSuffix(at: Date, sequence: number): string {
  return (BigInt(at.getTime()) * 1_000_000n + BigInt(sequence % 1_000_000)).toString(16);
}

function referenceOf(address: ResourceAddress): { name: string; namespace?: string } {
  return { name: address.name, ...(address.namespace ? { namespace: address.namespace } : {}) };
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
