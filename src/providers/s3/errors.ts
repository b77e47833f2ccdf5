/**
 * What the S3 client throws, turned into ProviderErrors that say which resource, what the server said and what to do.
 * Ceph RGW often sends an empty message (the SDK then says "UnknownError"), so decisions branch on `error.name` and
 * the HTTP status, never on message text.
 */
import { S3ServiceException } from '@aws-sdk/client-s3';
import type { ResourceAddress } from '../../model/address.js';
import { clip } from '../../model/clip.js';
import { ProviderError } from '../../errors/provider-error.js';

interface ServiceErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  /** The body of an answer the SDK could not read as S3's. */
  $responseBodyText?: string;
  $response?: { headers?: Record<string, string | undefined> };
}

/** Where requests go, as messages name it, and where that was set, so a hint can send a person there. */
export interface S3Server {
  endpoint: string;
  /** `--s3-endpoint`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` or `targets.s3.endpoint`; absent for AWS itself. */
  endpointFrom?: string;
}

export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

export function httpStatus(error: unknown): number | undefined {
  return (error as ServiceErrorShape | undefined)?.$metadata?.httpStatusCode;
}

/** The error is one of these S3 error codes. */
export function isS3Error(error: unknown, ...names: string[]): boolean {
  const name = errorName(error);
  return name !== undefined && names.includes(name);
}

/** HeadBucket has no body, so a missing bucket is a bare 404 named NotFound; other calls say NoSuchBucket. */
export function isMissingBucket(error: unknown): boolean {
  return (
    isS3Error(error, 'NoSuchBucket', 'NotFound') ||
    (isS3Error(error, 'Unknown', 'UnknownError') && httpStatus(error) === 404)
  );
}

const THROTTLING = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequests',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

const HINTS: Record<string, string> = {
  BucketNotEmpty:
    'strata never deletes objects: empty the bucket first (every object and object version), then apply again',
  InvalidBucketState: 'a bucket with object lock must keep versioning enabled; declare versioning: Enabled',
  BucketAlreadyExists: 'bucket names are global and this one belongs to another account; choose another name',
  NoSuchBucket: 'the bucket does not exist (any more); run strata plan again',
  AccessDenied: 'check the credentials in use (AWS_PROFILE, AWS_ACCESS_KEY_ID) and their permissions on this bucket',
  InvalidAccessKeyId: 'the access key is unknown to this endpoint; check AWS_ACCESS_KEY_ID and --s3-endpoint',
  SignatureDoesNotMatch: 'the secret key does not match the access key; check AWS_SECRET_ACCESS_KEY',
  MalformedPolicy: 'the server rejected the bucket policy document; check its statements, principals and resources',
  InvalidStorageClass: 'the server does not know this storage class; use one it offers',
  NotImplemented: 'this S3 server does not implement the operation',
  TooManyBuckets:
    "the account is at its bucket limit; raise it (AWS: a Service Quotas increase of 'General purpose buckets'; Ceph RGW: radosgw-admin user modify --max-buckets), or delete buckets it no longer needs, then apply again",
};

export function toProviderError(error: unknown, server: S3Server, address?: ResourceAddress): ProviderError {
  if (error instanceof ProviderError) return error;
  const shape = (error ?? {}) as ServiceErrorShape;
  const status = httpStatus(error);
  const where = address ? { address } : {};
  if (status === undefined) {
    const detail = error instanceof Error ? `${shape.code ?? error.name}: ${error.message}` : String(error);
    return new ProviderError(`cannot reach S3 at ${server.endpoint}: ${detail}`, {
      ...where,
      retryable: true,
      hint: 'check the endpoint is up and reachable (--s3-endpoint, AWS_ENDPOINT_URL_S3, AWS_REGION)',
      cause: error,
    });
  }
  // The SDK could not read the body as S3's XML (a web page, JSON, plain text): another kind of server answered.
  if (!(error instanceof S3ServiceException)) return notAnS3Server(error, status, server, address);
  const name = shape.name ?? 'UnknownError';
  const text = shape.message && shape.message !== name && shape.message !== 'UnknownError' ? `: ${shape.message}` : '';
  const retryable = THROTTLING.has(name) || status === 429 || status >= 500;
  return new ProviderError(`${name} (HTTP ${status})${text}`, {
    ...where,
    status,
    retryable,
    hint: HINTS[name] ?? (retryable ? 'the S3 server is throttling or failing; try again later' : undefined),
    cause: error,
  });
}

/** The error `call` throws for a bucket in another region (see inAnotherRegion). */
export function isInAnotherRegion(error: unknown): boolean {
  return error instanceof ProviderError && error.status === 301;
}

/**
 * strata does not follow region redirects (connect.ts): a bucket that lives in another region than the target's is
 * answered with a 301 that names its region, for HeadBucket in a header only. The request names the bucket.
 */
export function inAnotherRegion(error: unknown, operation: string): ProviderError | undefined {
  if (httpStatus(error) !== 301) return undefined;
  const region = (error as ServiceErrorShape).$response?.headers?.['x-amz-bucket-region'];
  return new ProviderError(
    `s3 ${operation}: the bucket is in ${region ? `region ${region}` : 'another region'} (HTTP 301)`,
    {
      status: 301,
      retryable: false,
      hint: `an environment reads and writes the buckets of its own region: declare this bucket in an environment whose targets.s3.region is ${region ?? "the bucket's"}, or choose another name`,
      cause: error,
    },
  );
}

/**
 * The endpoint answered, but not as an S3 server does: usually it is another service's port or a web server. Says
 * what came back and where the endpoint was set.
 */
export function notAnS3Server(
  error: unknown,
  status: number,
  server: S3Server,
  address?: ResourceAddress,
): ProviderError {
  const shape = (error ?? {}) as ServiceErrorShape;
  const type = shape.$response?.headers?.['content-type'];
  const body = shape.$responseBodyText?.replace(/\s+/g, ' ').trim();
  const answer = `HTTP ${status}${type ? `, ${clip(type)}` : ''}${body ? `: ${JSON.stringify(clip(body))}` : ''}`;
  // A proxy's error page in front of a real S3 server is worth another try; a web server's 404 is not.
  const retryable = status === 429 || status >= 500;
  return new ProviderError(`the S3 endpoint ${server.endpoint} did not answer like S3 (${answer})`, {
    ...(address ? { address } : {}),
    status,
    retryable,
    hint: retryable ? 'the S3 server, or a proxy in front of it, is failing; try again later' : endpointHint(server),
    cause: error,
  });
}

function endpointHint({ endpointFrom }: S3Server): string {
  if (endpointFrom === undefined)
    return 'no endpoint is set, so this was AWS; for another S3 server set targets.s3.endpoint or pass --s3-endpoint';
  const where = endpointFrom === 'targets.s3.endpoint' ? 'targets.s3.endpoint in the environment file' : endpointFrom;
  return `check the endpoint, set by ${where}: it should be the address of an S3 server (for Ceph RGW, radosgw's port)`;
}
