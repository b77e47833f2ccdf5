/**
 * Steps in one documented order: creates, updates, replacements and adoptions with dependencies first (namespace,
 * StorageClass, quota, PVC, ServiceAccount, Role, RoleBinding, CronJob, PrometheusRule, Velero BackupStorageLocation,
 * Velero Schedule; bucket, versioning, object lock, encryption, public access block, lifecycle, tags, policy), then
 * deletes in reverse dependency order. Ties keep that kind order, then address order.
 */
import { addressKey, KUBERNETES_KINDS, S3_KINDS, type ResourceKind } from '../model/address.js';
import { compareText } from '../model/compare.js';
import { isStepAction, type Change, type Step } from '../model/plan.js';
import type { AnySpec, DesiredResource } from '../model/resources.js';
import { dependencyKeys } from './dependencies.js';

/** The model lists kinds in dependency order already. */
export const KIND_ORDER: readonly ResourceKind[] = [...KUBERNETES_KINDS, ...S3_KINDS];

type Executable = Change & { action: Step['action'] };

interface Node {
  key: string;
  change: Executable;
  /** Keys of nodes that must run first. */
  after: Set<string>;
}

export function orderSteps(changes: readonly Change[], desired: readonly DesiredResource[]): Step[] {
  const declared = new Map(desired.map((resource) => [addressKey(resource.address), resource.dependsOn]));
  const executable = changes.filter((change): change is Executable => isStepAction(change.action));
  const writes = executable.filter((change) => change.action !== 'delete');
  const deletes = executable.filter((change) => change.action === 'delete');

  const writeNodes = nodes(writes, (change) =>
    dependencyKeys(change.address, change.after as AnySpec, declared.get(addressKey(change.address))),
  );
  // A delete waits for the deletes of everything that depends on it: the reverse of the dependency edges.
  const deleteDependencies = new Map(
    deletes.map((change) => [addressKey(change.address), dependencyKeys(change.address, change.before as AnySpec)]),
  );
  const deleteNodes = nodes(deletes, (change) => {
    const key = addressKey(change.address);
    return new Set(
      [...deleteDependencies].filter(([, dependsOn]) => dependsOn.has(key)).map(([dependent]) => dependent),
    );
  });

  const ordered = [...topologicalOrder(writeNodes), ...topologicalOrder(deleteNodes)];
  const indexByKey = new Map(ordered.map((node, position) => [node.key, position + 1]));
  return ordered.map((node, position) => ({
    index: position + 1,
    address: node.change.address,
    action: node.change.action,
    dependsOn: [...node.after].map((key) => indexByKey.get(key) ?? 0).sort((a, b) => a - b),
  }));
}

function nodes(changes: Executable[], dependenciesOf: (change: Executable) => Set<string>): Node[] {
  const keys = new Set(changes.map((change) => addressKey(change.address)));
  return changes.map((change) => ({
    key: addressKey(change.address),
    change,
    after: new Set([...dependenciesOf(change)].filter((key) => keys.has(key))),
  }));
}

/** Kahn's algorithm, always taking the first ready node in kind order, then address order, so plans are stable. */
function topologicalOrder(pending: Node[]): Node[] {
  const remaining = [...pending].sort(compareNodes);
  const done = new Set<string>();
  const ordered: Node[] = [];
  while (remaining.length > 0) {
    const readyAt = remaining.findIndex((node) => [...node.after].every((key) => done.has(key)));
    // A cycle cannot come from a valid environment; fall back to the stable order rather than stall.
    const [next] = remaining.splice(readyAt === -1 ? 0 : readyAt, 1);
    if (!next) break;
    done.add(next.key);
    ordered.push(next);
  }
  return ordered;
}

function compareNodes(a: Node, b: Node): number {
  return (
    KIND_ORDER.indexOf(a.change.address.kind) - KIND_ORDER.indexOf(b.change.address.kind) || compareText(a.key, b.key)
  );
}
