/**
 * Observed state in a file: what `strata observe` writes and `strata plan --observed` reads, so a pull request can
 * be planned without cluster or cloud credentials. Same normalized resources as the live providers produce.
 */
import { readFileSync } from 'node:fs';
import { S3_KINDS, KUBERNETES_KINDS, type ResourceKind } from '../../model/address.js';
import { isQuantity } from '../../model/quantity.js';
import type { Observed, ObservedResource } from '../../model/resources.js';
import { UserError } from '../../errors/user-error.js';

export const SNAPSHOT_FORMAT_VERSION = 1;

export interface ObservedSnapshot extends Observed {
  formatVersion: typeof SNAPSHOT_FORMAT_VERSION;
  kind: 'ObservedSnapshot';
  environment: string;
  observedAt: string;
}

const KNOWN_KINDS = new Set<ResourceKind>([...KUBERNETES_KINDS, ...S3_KINDS]);

export function snapshotOf(environment: string, observed: Observed, observedAt: Date): ObservedSnapshot {
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    kind: 'ObservedSnapshot',
    environment,
    observedAt: observedAt.toISOString(),
    sources: observed.sources,
    capabilities: observed.capabilities,
    resources: observed.resources,
  };
}

export function serializeSnapshot(snapshot: ObservedSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

export function readSnapshotFile(path: string): ObservedSnapshot {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read observed snapshot ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'write one with: strata observe <env> > observed.json',
    });
  }
  return parseSnapshot(text, path);
}

export function parseSnapshot(text: string, path: string): ObservedSnapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path} is not JSON: ${(error as Error).message}`, { hint: 'write one with: strata observe <env> > observed.json' });
  }
  const snapshot = data as Partial<ObservedSnapshot>;
  if (typeof data !== 'object' || data === null || snapshot.kind !== 'ObservedSnapshot') {
    throw new UserError(`${path} is not an observed snapshot (expected "kind": "ObservedSnapshot")`, {
      hint: 'write one with: strata observe <env> > observed.json',
    });
  }
  if (snapshot.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw new UserError(`${path} has formatVersion ${String(snapshot.formatVersion)}; this strata reads version ${SNAPSHOT_FORMAT_VERSION}`, {
      hint: 'observe again with this version of strata',
    });
  }
  if (!Array.isArray(snapshot.resources)) throw new UserError(`${path}: "resources" must be a list`);
  snapshot.resources.forEach((resource, index) => checkResource(resource, `${path}: resources[${index}]`));
  return { ...snapshot, sources: snapshot.sources ?? {}, capabilities: snapshot.capabilities ?? [] } as ObservedSnapshot;
}

function checkResource(resource: ObservedResource, where: string): void {
  const address = resource?.address;
  if (!address || typeof address.name !== 'string' || !KNOWN_KINDS.has(address.kind)) {
    throw new UserError(`${where} has no valid address (system, kind one of ${[...KNOWN_KINDS].join(', ')}, name)`);
  }
  if (typeof resource.spec !== 'object' || resource.spec === null) throw new UserError(`${where} (${address.name}) has no spec`);
  if (typeof resource.owned !== 'boolean') throw new UserError(`${where} (${address.name}) needs "owned": true or false`);
  for (const [field, value] of quantitiesOf(resource)) {
    if (typeof value !== 'string' || !isQuantity(value)) {
      throw new UserError(`${where} (${address.name}): ${field} is ${JSON.stringify(value)}, not a Kubernetes quantity`, {
        hint: 'write a quantity such as "50Gi", or observe again with: strata observe <env> > observed.json',
      });
    }
  }
}

/** The fields a hand-edited snapshot could break that the planner compares as quantities. */
function quantitiesOf(resource: ObservedResource): [string, unknown][] {
  const spec = resource.spec as unknown as Record<string, unknown>;
  switch (resource.address.kind) {
    case 'PersistentVolumeClaim':
      return [['spec.size', spec.size], ...(resource.status?.capacity === undefined ? [] : [['status.capacity', resource.status.capacity] as [string, unknown]])];
    case 'ResourceQuota':
      return Object.entries((spec.hard ?? {}) as Record<string, unknown>).map(([key, value]) => [`spec.hard["${key}"]`, value]);
    default:
      return [];
  }
}
