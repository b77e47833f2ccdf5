/**
 * Server-side printing: `kubectl get` asks for a meta.k8s.io/v1 Table and shows the server's columns. Columns follow
 * pkg/printers/internalversion for the kinds strata manages; other kinds get Name and Age.
 */
import type { ResourceType } from './resources.js';
import type { KubeObject } from './store.js';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'date';
  format?: 'name';
  priority?: number;
  cell: (object: KubeObject, now: Date) => unknown;
}

/** apimachinery duration.HumanDuration, as the AGE column prints it. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${days / 365}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

const field = (object: KubeObject, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), object);

const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (object) => object.metadata.name };
const age: Column = {
  name: 'Age',
  type: 'string',
  cell: (object, now) => (object.metadata.creationTimestamp ? humanDuration(now.getTime() - Date.parse(object.metadata.creationTimestamp)) : '<unknown>'),
};
const column = (title: string, path: string, fallback: unknown = '', type: Column['type'] = 'string', priority?: number): Column => ({
  name: title,
  type,
  ...(priority ? { priority } : {}),
  cell: (object) => field(object, path) ?? fallback,
});

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

function quotaUsage(prefix: (key: string) => boolean) {
  return (object: KubeObject) => {
    const status = (object.status ?? {}) as { hard?: Record<string, string>; used?: Record<string, string> };
    return Object.keys(status.hard ?? {})
      .filter(prefix)
      .sort()
      .map((key) => `${key}: ${status.used?.[key] ?? '0'}/${status.hard![key]}`)
      .join(', ');
  };
}

/** translateTimestampSince: `<unknown>` for an unset time. */
const since = (path: string): Column['cell'] => (object, now) => {
  const value = field(object, path);
  return typeof value === 'string' ? humanDuration(now.getTime() - Date.parse(value)) : '<unknown>';
};
const firstSeen: Column['cell'] = (object, now) => (field(object, 'firstTimestamp') ? since('firstTimestamp')(object, now) : since('eventTime')(object, now));
const involved = (object: KubeObject): { kind?: string; name?: string; fieldPath?: string } => (object.involvedObject ?? {}) as never;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** printEvent: Object is `kind/name` in lower case, Source is `component, host`, a singleton's count is 1. */
const EVENT_COLUMNS: Column[] = [
  { name: 'Last Seen', type: 'string', cell: (object, now) => (field(object, 'lastTimestamp') ? since('lastTimestamp')(object, now) : firstSeen(object, now)) },
  column('Type', 'type'),
  column('Reason', 'reason'),
  {
    name: 'Object',
    type: 'string',
    cell: (object) => {
      const { kind = '', name: objectName } = involved(object);
      return objectName ? `${kind.toLowerCase()}/${objectName}` : kind.toLowerCase();
    },
  },
  { name: 'Subobject', type: 'string', priority: 1, cell: (object) => involved(object).fieldPath ?? '' },
  {
    name: 'Source',
    type: 'string',
    priority: 1,
    cell: (object) => {
      const component = text(field(object, 'source.component')) || text(object.reportingComponent);
      const instance = text(field(object, 'source.host')) || text(object.reportingInstance);
      return instance ? `${component}, ${instance}` : component;
    },
  },
  { name: 'Message', type: 'string', cell: (object) => text(object.message).trim() },
  { name: 'First Seen', type: 'string', priority: 1, cell: firstSeen },
  { name: 'Count', type: 'string', priority: 1, cell: (object) => (typeof object.count === 'number' && object.count > 0 ? object.count : 1) },
  { ...name, priority: 1 },
];

const COLUMNS: Record<string, Column[]> = {
  PersistentVolumeClaim: [
    name,
    { name: 'Status', type: 'string', cell: (object) => (object.metadata.deletionTimestamp ? 'Terminating' : field(object, 'status.phase') ?? '') },
    column('Volume', 'spec.volumeName'),
    column('Capacity', 'status.capacity.storage'),
    { name: 'Access Modes', type: 'string', cell: (object) => ((field(object, 'status.accessModes') ?? []) as string[]).map((mode) => ACCESS_MODES[mode] ?? mode).join(',') },
    column('StorageClass', 'spec.storageClassName'),
    column('VolumeAttributesClass', 'spec.volumeAttributesClassName', '<unset>'),
    age,
    column('VolumeMode', 'spec.volumeMode', '<unset>', 'string', 1),
  ],
  StorageClass: [
    {
      ...name,
      cell: (object) => (object.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? `${object.metadata.name} (default)` : object.metadata.name),
    },
    column('Provisioner', 'provisioner'),
    column('ReclaimPolicy', 'reclaimPolicy'),
    column('VolumeBindingMode', 'volumeBindingMode'),
    column('AllowVolumeExpansion', 'allowVolumeExpansion', false, 'boolean'),
    age,
  ],
  Namespace: [name, column('Status', 'status.phase'), age],
  ConfigMap: [
    name,
    { name: 'Data', type: 'integer', cell: (object) => Object.keys(object.data ?? {}).length + Object.keys(object.binaryData ?? {}).length },
    age,
  ],
  ResourceQuota: [
    name,
    age,
    { name: 'Request', type: 'string', cell: quotaUsage((key) => !key.startsWith('limits.')) },
    { name: 'Limit', type: 'string', cell: quotaUsage((key) => key.startsWith('limits.')) },
  ],
  CronJob: [
    name,
    column('Schedule', 'spec.schedule'),
    column('Timezone', 'spec.timeZone', '<none>'),
    column('Suspend', 'spec.suspend', false, 'boolean'),
    { name: 'Active', type: 'integer', cell: (object) => ((field(object, 'status.active') ?? []) as unknown[]).length },
    column('Last Schedule', 'status.lastScheduleTime', '<none>'),
    age,
  ],
  Lease: [name, column('Holder', 'spec.holderIdentity'), age],
  Event: EVENT_COLUMNS,
};

export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((entry) => /as=Table/.test(entry) && /g=meta\.k8s\.io/.test(entry) && /v=v1(;|$)/.test(entry.replace(/\s/g, '')));
}

export function asTable(type: ResourceType, body: Record<string, unknown>, now: Date): Record<string, unknown> {
  const columns = COLUMNS[type.kind] ?? [name, age];
  const items = Array.isArray(body.items) ? (body.items as KubeObject[]) : [body as KubeObject];
  const listMetadata = (Array.isArray(body.items) ? body.metadata : { resourceVersion: (body as KubeObject).metadata.resourceVersion }) as Record<string, unknown>;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata,
    columnDefinitions: columns.map((definition) => ({
      name: definition.name,
      type: definition.type,
      format: definition.format ?? '',
      description: '',
      priority: definition.priority ?? 0,
    })),
    rows: items.map((item) => ({
      cells: columns.map((definition) => definition.cell(item, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata },
    })),
  };
}
