/**
 * Whether the server keeps size filters (ObjectSizeGreaterThan, ObjectSizeLessThan) in lifecycle rules. Ceph RGW 16
 * accepts a rule with one and stores it without it (docs/TEST-WORLD.md), so a rule for small objects would expire
 * objects of every size. strata must know before it writes one, and no S3 read answers the question, so it is found
 * out without changing anything:
 * - a size filter read back from any observed bucket shows that the server keeps them;
 * - AWS S3 (no endpoint set) has them;
 * - radosgw names its version at `/swift/info` (a GET that needs no credentials); a Ceph RGW is taken to drop them,
 *   as 16.2.15 does, since no release that keeps them has been tried here;
 * - any other server is taken to keep them, and the read-back after each write checks it.
 */
import {
  filtersBySize,
  type BucketLifecycleSpec,
  type CapabilityReport,
  type ObservedResource,
} from '../../model/resources.js';
import type { S3Session } from './session.js';

export async function probeLifecycleSizeFilters(
  session: S3Session,
  endpoint: string | undefined,
  observed: readonly ObservedResource[],
): Promise<CapabilityReport> {
  const report = (supported: boolean, detail: string): CapabilityReport => ({
    capability: 'lifecycle-size-filters',
    supported,
    detail,
  });
  const holder = observed.find(
    (resource) => resource.address.kind === 'BucketLifecycle' && holdsSizeFilter(resource.spec as BucketLifecycleSpec),
  );
  if (holder) return report(true, `bucket ${holder.address.name} holds a lifecycle rule with a size filter`);
  if (endpoint === undefined) return report(true, 'AWS S3 filters lifecycle rules by object size');
  const swift = await swiftInfo(session);
  if (!swift.answered) {
    return report(false, `not verified: ${session.endpoint}/swift/info did not answer in time`);
  }
  if (swift.cephVersion !== undefined) {
    return report(
      false,
      `the server is Ceph RGW ${swift.cephVersion} (its /swift/info says so); Ceph RGW 16.2.15 accepts size filters in lifecycle rules and drops them, so a rule would apply to objects of every size, and no release that keeps them has been verified; strata will not write rules with largerThan or smallerThan here`,
    );
  }
  return report(true, 'the server is not Ceph RGW; its read-back after each write shows whether it keeps size filters');
}

function holdsSizeFilter(spec: BucketLifecycleSpec): boolean {
  return [...spec.rules, ...(spec.unmanagedRules ?? [])].some(filtersBySize);
}

type SwiftInfo = { answered: false } | { answered: true; cephVersion?: string };

/** radosgw's version from its Swift info; none from any server that does not answer as radosgw does. */
function swiftInfo(session: S3Session): Promise<SwiftInfo> {
  return session.limit(async () => {
    session.signal.throwIfAborted();
    const answered = AbortSignal.timeout(session.requestTimeoutMs);
    try {
      const response = await fetch(new URL('/swift/info', session.endpoint), {
        signal: AbortSignal.any([session.signal, answered]),
      });
      if (!response.ok) return { answered: true };
      const info = (await response.json()) as { swift?: { version?: unknown } } | null;
      const version = info?.swift?.version;
      return typeof version === 'string' ? { answered: true, cephVersion: version } : { answered: true };
    } catch (error) {
      if (session.signal.aborted) throw error;
      // Not JSON, or no page there: not radosgw. No answer in time says nothing either way.
      return answered.aborted ? { answered: false } : { answered: true };
    }
  });
}
