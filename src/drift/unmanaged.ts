/**
 * Unmanaged resources: live, neither declared nor owned, but where strata's resources live, so someone probably
 * meant them to be managed (or created them by hand next to managed ones). The planner rightly ignores them; a drift
 * report names them, and nothing ever touches them.
 * - Kubernetes: namespaced objects (claims, quotas, CronJobs) in a namespace the file declares. PrometheusRules there
 *   are most often a team's alerts on its own application, not storage policy: only one named as strata names its
 *   own (strata-storage-alerts) is reported.
 * - S3: buckets named like the declared ones: the first name segment all of them share and, when they share one,
 *   the last (`akosha-backups-dev`, `akosha-projects-dev` → `akosha-*-dev`).
 */
import { ALERT_RULE_NAME } from '../config/alert-rules.js';
import { addressKey } from '../model/address.js';
import type { DesiredState } from '../model/desired.js';
import { strataLikeBucketPattern } from '../model/bucket-names.js';
import type { Observed, ObservedResource } from '../model/resources.js';

export interface UnmanagedResource {
  resource: ObservedResource;
  reason: string;
}

export function unmanagedResources(desired: DesiredState, observed: Observed): UnmanagedResource[] {
  const declared = new Set(desired.resources.map((resource) => addressKey(resource.address)));
  const namespaces = new Set(
    desired.resources.filter((r) => r.address.kind === 'Namespace').map((r) => r.address.name),
  );
  const bucketPattern = strataLikeBucketPattern(
    desired.resources.filter((r) => r.address.kind === 'Bucket').map((r) => r.address.name),
  );
  const found: UnmanagedResource[] = [];
  for (const resource of observed.resources) {
    if (resource.owned || resource.terminating || declared.has(addressKey(resource.address))) continue;
    const { namespace, kind, name } = resource.address;
    if (kind === 'PrometheusRule' && name !== ALERT_RULE_NAME) continue;
    if (namespace !== undefined && namespaces.has(namespace)) {
      found.push({
        resource,
        reason: `in namespace ${namespace}, which this file manages, but not declared or owned by strata`,
      });
    } else if (kind === 'Bucket' && bucketPattern?.test(name)) {
      found.push({
        resource,
        reason: `named like this file's buckets (${bucketPattern.glob}) but not declared or owned by strata`,
      });
    }
  }
  return found;
}
