/**
 * strata's S3 provider: observes each declared bucket (and the buckets this environment owns, and the existence of
 * unowned ones named like the declared ones) with a bounded number of requests in flight, probes optional
 * capabilities instead of guessing them, and carries out one change at a time.
 */
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { ResourceAddress } from '../../model/address.js';
import type { Change } from '../../model/plan.js';
import {
  filtersBySize,
  type BucketLifecycleSpec,
  type BucketPolicySpec,
  type BucketTagsSpec,
  type CapabilityReport,
  type DesiredResource,
  type ObservedResource,
} from '../../model/resources.js';
import { statementSids } from '../../model/policy-statements.js';
import { strataLikeBucketPattern } from '../../model/bucket-names.js';
import type { Provider, Scope, StepOutcome } from '../provider.js';
import { cutShort } from '../request-timeouts.js';
import { applyS3Change } from './apply-change.js';
import { bucketReads, type BucketReads, type Listed } from './bucket-reads.js';
import { connectS3, type S3Target } from './connect.js';
import { probeEncryption, type EncryptionProbe } from './encryption-capability.js';
import { probeLifecycleSizeFilters } from './lifecycle-size-capability.js';
import { httpStatus, isInAnotherRegion, isS3Error, notAnS3Server, toProviderError, type S3Server } from './errors.js';
import { createLimiter, type Limiter } from './limiter.js';
import { isOwned, tagMap } from './decode.js';
import { observeBucket, observeResource, type ObserveContext } from './observe-bucket.js';
import { call, type S3Session } from './session.js';

export { resolveS3Target, type S3TargetInput } from './target.js';
export type { S3Target } from './connect.js';

export interface S3ProviderOptions extends S3Target {
  environment: string;
}

export interface S3Provider extends Provider {
  /** `us-east-1 (http://127.0.0.1:7480)`, for the plan header (which names the system). */
  readonly source: string;
}

export function createS3Provider(options: S3ProviderOptions): S3Provider {
  const { send, source, endpoint, timeouts, concurrency } = connectS3(options);
  const server: S3Server = { endpoint, endpointFrom: options.endpointFrom };
  const limit: Limiter = createLimiter(concurrency);
  const declared = new Declarations();
  let encryption: CapabilityReport | undefined;

  const session = (signal: AbortSignal): S3Session => ({
    send,
    limit,
    signal,
    endpoint,
    requestTimeoutMs: timeouts.requestMs,
  });
  const context = (): ObserveContext => ({
    environment: options.environment,
    region: options.region,
    encryptionSupported: encryption?.supported ?? false,
    declaredRuleIds: (bucket) => declared.ruleIds(bucket),
    declaredTagKeys: (bucket) => declared.tagKeys(bucket),
    declaredStatementSids: (bucket) => declared.statementSids(bucket),
  });
  const fail = (error: unknown, signal: AbortSignal, address?: ResourceAddress) =>
    cutShort(error, signal, endpoint, address) ?? toProviderError(error, server, address);

  /**
   * Undeclared buckets strata must know of: the ones this environment owns (a plan deletes them) and, by their bucket
   * resource only, unowned ones named like the declared buckets (a drift report names them; nothing touches them).
   */
  async function undeclared(
    reads: (bucket: string) => BucketReads,
    listed: Listing,
    declaredNames: Set<string>,
  ): Promise<{ owned: string[]; namedLike: string[] }> {
    const pattern = strataLikeBucketPattern([...declaredNames]);
    const candidates = [...listed.keys()].filter((name) => !declaredNames.has(name));
    const found = await Promise.all(
      candidates.map(async (name) => {
        try {
          if (isOwned(tagMap(await reads(name).tags()), options.environment)) return { name, owned: true };
          return pattern?.test(name) ? { name, owned: false } : undefined;
        } catch (error) {
          // Another account's or region's bucket that these credentials may not read is not strata's.
          if (
            isS3Error(error, 'AccessDenied', 'NoSuchBucket', 'AuthorizationHeaderMalformed') ||
            isInAnotherRegion(error)
          )
            return undefined;
          throw error;
        }
      }),
    );
    const present = found.filter((bucket) => bucket !== undefined);
    return {
      owned: present.filter((bucket) => bucket.owned).map((bucket) => bucket.name),
      namedLike: present.filter((bucket) => !bucket.owned).map((bucket) => bucket.name),
    };
  }

  /** The buckets in this region, with the region ListBuckets gives (AWS does; RGW does not). */
  async function listBuckets(s3: S3Session): Promise<Listing> {
    const listed: Listing = new Map();
    let token: string | undefined;
    do {
      const page = await call(s3, new ListBucketsCommand({ ...(token ? { ContinuationToken: token } : {}) })).catch(
        (error: unknown) => {
          // Every S3 server answers at its root with the buckets (or a refusal): one with no page there is not S3.
          throw httpStatus(error) === 404 ? notAnS3Server(error, 404, server) : error;
        },
      );
      for (const bucket of page.Buckets ?? []) {
        if (!bucket.BucketRegion || bucket.BucketRegion === options.region)
          listed.set(bucket.Name ?? '', bucket.BucketRegion ? { region: bucket.BucketRegion } : {});
      }
      token = page.ContinuationToken;
    } while (token);
    return listed;
  }

  /** The reads behind each resource `read` returned, for the write of its step: see ApplyContext.readBefore. */
  const readsBehind = new WeakMap<ObservedResource, BucketReads>();

  async function read(address: ResourceAddress, signal: AbortSignal): Promise<ObservedResource | undefined> {
    try {
      if (address.kind === 'BucketEncryption' && !encryption)
        encryption = await probeEncryption(session(signal), ownBucket(address.name));
      const reads = bucketReads(session(signal), address.name);
      const observed = await observeResource(reads, address, context());
      if (observed) readsBehind.set(observed, reads);
      return observed;
    } catch (error) {
      throw fail(error, signal, address);
    }
  }

  return {
    system: 's3',
    source,

    async observe(scope: Scope, signal: AbortSignal) {
      declared.learn(scope.desired);
      const s3 = session(signal);
      try {
        const declaredNames = new Set(
          scope.desired.filter((r) => r.address.system === 's3').map((r) => r.address.name),
        );
        const listed = await listBuckets(s3);
        // One set of reads per bucket for the whole observation, so the tags read to find owners serve again.
        const readers = new Map<string, BucketReads>();
        const reads = (name: string): BucketReads => {
          if (!readers.has(name)) readers.set(name, bucketReads(s3, name, listed.get(name)));
          return readers.get(name) as BucketReads;
        };
        const { owned, namedLike } = await undeclared(reads, listed, declaredNames);
        const names = [...[...declaredNames].sort(), ...owned];
        const own = names.find((name) => listed.has(name));
        encryption = await probeEncryption(s3, own !== undefined ? ownBucket(own) : anyListedBucket(listed));
        const observeContext = context();
        const perBucket = await Promise.all(names.map((name) => observeBucket(reads(name), name, observeContext)));
        const unowned = await Promise.all(
          namedLike.map((name) => observeResource(reads(name), { system: 's3', kind: 'Bucket', name }, observeContext)),
        );
        const resources = [...perBucket.flat(), ...unowned.filter((bucket) => bucket !== undefined)];
        // Probed only for a file that declares size filters: no other plan depends on the answer.
        const sizeFilters = scope.desired.some(declaresSizeFilter)
          ? [await probeLifecycleSizeFilters(s3, options.endpoint, resources)]
          : [];
        return { resources, capabilities: [encryption, ...sizeFilters], source };
      } catch (error) {
        throw fail(error, signal);
      }
    },

    read,

    async apply(change: Change, { dryRun, signal, readBefore }): Promise<StepOutcome> {
      signal.throwIfAborted();
      declared.learnFrom(change);
      try {
        const s3 = session(signal);
        const before = (readBefore && readsBehind.get(readBefore)) ?? bucketReads(s3, change.address.name);
        await applyS3Change(
          { session: s3, environment: options.environment, region: options.region, dryRun, readBefore: before },
          change,
        );
      } catch (error) {
        throw fail(error, signal, change.address);
      }
      if (dryRun || (change.action === 'delete' && change.address.kind === 'Bucket')) return {};
      const observed = await read(change.address, signal);
      return observed ? { observed } : {};
    },
  };
}

function ownBucket(bucket: string): EncryptionProbe {
  return { bucket, shownAs: `bucket ${bucket}` };
}

/** Before the environment has a bucket, any other on the server can answer for the capability, unnamed. */
function anyListedBucket(listed: Listing): EncryptionProbe | undefined {
  const bucket = listed.keys().next().value;
  return bucket === undefined ? undefined : { bucket, shownAs: 'another bucket on this server' };
}

/** What ListBuckets said of each bucket it listed, by name. */
type Listing = Map<string, Listed>;

function declaresSizeFilter(resource: DesiredResource): boolean {
  return (
    resource.address.kind === 'BucketLifecycle' && (resource.spec as BucketLifecycleSpec).rules.some(filtersBySize)
  );
}

/**
 * The lifecycle rule IDs, tag keys and policy statement Sids declared per bucket, learnt from the desired state
 * (observe) or from the change being applied, so a read after a write sorts managed from unmanaged as the plan did.
 */
class Declarations {
  private readonly rules = new Map<string, Set<string>>();
  private readonly tags = new Map<string, Set<string>>();
  private readonly statements = new Map<string, Set<string>>();

  learn(desired: DesiredResource[]): void {
    for (const resource of desired) this.record(resource.address, resource.spec);
  }

  learnFrom(change: Change): void {
    if (change.after !== undefined) this.record(change.address, change.after);
  }

  ruleIds(bucket: string): ReadonlySet<string> {
    return this.rules.get(bucket) ?? new Set();
  }

  tagKeys(bucket: string): ReadonlySet<string> {
    return this.tags.get(bucket) ?? new Set();
  }

  statementSids(bucket: string): ReadonlySet<string> {
    return this.statements.get(bucket) ?? new Set();
  }

  private record(address: ResourceAddress, spec: unknown): void {
    if (address.system !== 's3') return;
    if (address.kind === 'BucketLifecycle') {
      this.rules.set(address.name, new Set((spec as BucketLifecycleSpec).rules.map((rule) => rule.id)));
    } else if (address.kind === 'BucketTags') {
      this.tags.set(address.name, new Set(Object.keys((spec as BucketTagsSpec).tags)));
    } else if (address.kind === 'BucketPolicy') {
      this.statements.set(address.name, statementSids((spec as BucketPolicySpec).document));
    }
  }
}
