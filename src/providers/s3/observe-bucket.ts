/**
 * One bucket's resources, observed: each kind is built from the raw reads it needs, fingerprinted by the raw
 * configuration (so apply can tell it moved), and owned when the bucket carries strata's tags for this environment.
 */
import type { ResourceAddress, S3Kind } from '../../model/address.js';
import type { ObservedResource, SpecByKind } from '../../model/resources.js';
import type { BucketReads } from './bucket-reads.js';
import { fingerprintOf } from '../fingerprint.js';
import { ProviderError } from '../../errors/provider-error.js';
import { splitPolicy } from '../../model/policy-statements.js';
import {
  encryptionSpec,
  lifecycleSpec,
  objectLockSpec,
  ownerEnvironment,
  parsePolicy,
  publicAccessBlockSpec,
  tagMap,
  tagsSpec,
  versioningStatus,
} from './decode.js';

export interface ObserveContext {
  environment: string;
  /** The region a bucket is taken to be in when the server does not say (RGW never does). */
  region: string;
  /** Default encryption is read only where the capability probe found it supported. */
  encryptionSupported: boolean;
  /**
   * Lifecycle rule IDs, tag keys and policy statement Sids the environment declares for a bucket: strata manages those
   * (and the statements carrying its Sid prefix), and keeps the rest.
   */
  declaredRuleIds(bucket: string): ReadonlySet<string>;
  declaredTagKeys(bucket: string): ReadonlySet<string>;
  declaredStatementSids(bucket: string): ReadonlySet<string>;
}

interface Reading<K extends S3Kind> {
  raw: unknown;
  spec: SpecByKind[K];
}

type Reader<K extends S3Kind> = (
  reads: BucketReads,
  bucket: string,
  context: ObserveContext,
) => Promise<Reading<K> | undefined>;

const READERS: { [K in S3Kind]: Reader<K> } = {
  async Bucket(reads, _bucket, context) {
    const [head, lock] = await Promise.all([reads.head(), reads.objectLock()]);
    const region = head?.region ?? context.region;
    const objectLockEnabled = lock?.ObjectLockEnabled === 'Enabled';
    return { raw: { region, objectLockEnabled }, spec: { region, objectLockEnabled } };
  },
  async BucketVersioning(reads) {
    const raw = await reads.versioning();
    return { raw, spec: { status: versioningStatus(raw.Status) } };
  },
  async BucketObjectLock(reads) {
    const raw = await reads.objectLock();
    return raw?.ObjectLockEnabled === 'Enabled' ? { raw, spec: objectLockSpec(raw) } : undefined;
  },
  async BucketLifecycle(reads, bucket, context) {
    const raw = await reads.lifecycle();
    return raw ? { raw, spec: lifecycleSpec(raw, context.declaredRuleIds(bucket)) } : undefined;
  },
  async BucketTags(reads, bucket, context) {
    const raw = await reads.tags();
    return raw.length > 0 ? { raw, spec: tagsSpec(tagMap(raw), context.declaredTagKeys(bucket)) } : undefined;
  },
  async BucketPolicy(reads, bucket, context) {
    const raw = await reads.policy();
    return raw === undefined
      ? undefined
      : { raw, spec: splitPolicy(parsePolicy(raw, bucket), context.declaredStatementSids(bucket)) };
  },
  async BucketPublicAccessBlock(reads) {
    const raw = await reads.publicAccessBlock();
    const spec = publicAccessBlockSpec(raw);
    return spec ? { raw, spec } : undefined;
  },
  async BucketEncryption(reads, _bucket, context) {
    if (!context.encryptionSupported) return undefined;
    const raw = await reads.encryption();
    const spec = encryptionSpec(raw);
    return spec ? { raw, spec } : undefined;
  },
};

export const OBSERVED_S3_KINDS = Object.keys(READERS) as S3Kind[];

/** Every resource of one bucket; none when the bucket does not exist. */
export async function observeBucket(
  reads: BucketReads,
  bucket: string,
  context: ObserveContext,
): Promise<ObservedResource[]> {
  if (!(await reads.head())) return [];
  const observed = await Promise.all(
    OBSERVED_S3_KINDS.map((kind) => observeKind(reads, { system: 's3', kind, name: bucket }, context)),
  );
  return observed.filter((resource): resource is ObservedResource => resource !== undefined);
}

/** One resource of one bucket; `undefined` when the bucket or that configuration does not exist. */
export async function observeResource(
  reads: BucketReads,
  address: ResourceAddress,
  context: ObserveContext,
): Promise<ObservedResource | undefined> {
  if (!(await reads.head())) return undefined;
  return observeKind(reads, address, context);
}

async function observeKind(
  reads: BucketReads,
  address: ResourceAddress,
  context: ObserveContext,
): Promise<ObservedResource | undefined> {
  const reader = READERS[address.kind as S3Kind] as Reader<S3Kind> | undefined;
  if (!reader) throw new ProviderError(`the S3 provider does not handle ${address.kind}`, { address });
  const [reading, tags] = await Promise.all([reader(reads, address.name, context), reads.tags()]);
  if (!reading) return undefined;
  const owner = ownerEnvironment(tagMap(tags));
  const owned = owner === context.environment;
  return {
    address: { system: 's3', kind: address.kind, name: address.name },
    spec: reading.spec,
    fingerprint: fingerprintOf(reading.raw),
    owned,
    ...(owner !== undefined && !owned ? { ownedByEnvironment: owner } : {}),
  };
}
