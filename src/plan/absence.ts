/** Settings that read back as nothing at all when they hold only defaults, so an absent one is not drift. */
import type { ResourceKind } from '../model/address.js';
import type { AnySpec, BucketPublicAccessBlockSpec } from '../model/resources.js';

/**
 * Whether finding no such resource on the server means the same as this spec: a public access block that blocks
 * nothing (`publicAccess: open`), which RGW reads back as none at all and AWS answers with a 404 once removed.
 */
export function absenceMatches(kind: ResourceKind, spec: AnySpec | undefined): boolean {
  if (kind !== 'BucketPublicAccessBlock' || spec === undefined) return false;
  return Object.values(spec as BucketPublicAccessBlockSpec).every((value) => value === false);
}
