/**
 * ResourceQuota: the usage a PVC is charged (quota's PVC evaluator), the status a quota controller would write, and
 * the admission check that refuses a write going over `hard` with the apiserver's message.
 */
import { formatQuantity, mustParseQuantity, type Quantity } from '../../../../src/model/quantity.js';
import { PVC_TYPE, QUOTA_TYPE, type ResourceType } from '../resources.js';
import { forbidden } from '../status.js';
import type { KubeObject, ObjectStore } from '../store.js';

type Usage = Map<string, Quantity>;

const ONE: Quantity = { nanos: 10n ** 9n, format: 'DecimalSI' };
const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

function storageRequest(pvc: KubeObject): Quantity | undefined {
  const text = ((pvc.spec as { resources?: { requests?: Record<string, string> } } | undefined)?.resources?.requests ?? {}).storage;
  return text === undefined ? undefined : mustParseQuantity(text);
}

export function pvcUsage(pvc: KubeObject): Usage {
  const usage: Usage = new Map([
    ['persistentvolumeclaims', ONE],
    ['count/persistentvolumeclaims', ONE],
  ]);
  const className = (pvc.spec as { storageClassName?: string } | undefined)?.storageClassName;
  const request = storageRequest(pvc);
  if (request) usage.set('requests.storage', request);
  if (className) {
    usage.set(`${className}.storageclass.storage.k8s.io/persistentvolumeclaims`, ONE);
    if (request) usage.set(`${className}.storageclass.storage.k8s.io/requests.storage`, request);
  }
  return usage;
}

function add(a: Quantity | undefined, b: Quantity): Quantity {
  // apimachinery keeps the left operand's format; an absent left operand starts from the right one's.
  return { nanos: (a?.nanos ?? 0n) + b.nanos, format: a && a.nanos !== 0n ? a.format : b.format };
}

function countKey(type: ResourceType): string {
  return type.group ? `count/${type.plural}.${type.group}` : `count/${type.plural}`;
}

/** What a quota's namespace uses, for the keys the quota limits. */
function namespaceUsage(store: ObjectStore, namespace: string, keys: string[], types: ResourceType[]): Usage {
  const used: Usage = new Map(keys.map((key) => [key, ZERO]));
  for (const pvc of store.list(PVC_TYPE, namespace)) {
    for (const [key, quantity] of pvcUsage(pvc)) if (used.has(key)) used.set(key, add(used.get(key), quantity));
  }
  for (const type of types) {
    if (type === PVC_TYPE || !type.namespaced) continue;
    const count = BigInt(store.list(type, namespace).length) * ONE.nanos;
    for (const key of [countKey(type), ...(type.group ? [] : [type.plural])]) {
      if (used.has(key)) used.set(key, { nanos: count, format: 'DecimalSI' });
    }
  }
  return used;
}

const format = (usage: Usage) => Object.fromEntries([...usage].map(([key, quantity]) => [key, formatQuantity(quantity)]));

/** The status the quota controller would write: hard as specified, used for exactly those keys. */
export function quotaStatus(store: ObjectStore, quota: KubeObject, types: ResourceType[]): Record<string, unknown> {
  const hard = ((quota.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {}) as Record<string, string>;
  const keys = Object.keys(hard).sort();
  if (keys.length === 0) return {};
  return { hard: Object.fromEntries(keys.map((key) => [key, hard[key]])), used: format(namespaceUsage(store, quota.metadata.namespace!, keys, types)) };
}

/** `exceeded quota: <name>, requested: k=v, used: k=v, limited: k=v`, keys sorted, only the exceeded ones. */
export function admitAgainstQuotas(store: ObjectStore, type: ResourceType, object: KubeObject, old: KubeObject | undefined): void {
  if (type !== PVC_TYPE) return;
  const after = pvcUsage(object);
  const before = old ? pvcUsage(old) : new Map<string, Quantity>();
  const delta: Usage = new Map();
  for (const [key, quantity] of after) {
    const change = quantity.nanos - (before.get(key)?.nanos ?? 0n);
    if (change > 0n) delta.set(key, { nanos: change, format: quantity.format });
  }
  if (delta.size === 0) return;
  const quotas = store.list(QUOTA_TYPE, object.metadata.namespace).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const quota of quotas) {
    const status = (quota.status ?? {}) as { hard?: Record<string, string>; used?: Record<string, string> };
    const hard = status.hard ?? {};
    const exceeded = [...delta.keys()]
      .filter((key) => hard[key] !== undefined)
      .filter((key) => mustParseQuantity(status.used?.[key] ?? '0').nanos + delta.get(key)!.nanos > mustParseQuantity(hard[key]!).nanos)
      .sort();
    if (exceeded.length === 0) continue;
    const print = (values: (key: string) => string) => exceeded.map((key) => `${key}=${values(key)}`).join(',');
    throw forbidden(
      type,
      object.metadata.name,
      `exceeded quota: ${quota.metadata.name}, requested: ${print((key) => formatQuantity(delta.get(key)!))}, used: ${print((key) => status.used?.[key] ?? '0')}, limited: ${print((key) => hard[key]!)}`,
    );
  }
}
