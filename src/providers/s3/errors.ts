/**
 * What the S3 client throws, turned into ProviderErrors that say which resource, what the server said and what to do.
 * Ceph RGW often sends an empty message (the SDK then says "UnknownError"), so decisions branch on `error.name` and
 * the HTTP status, never on message text.
 */
import type { ResourceAddress } from '../../model/address.js';
import { ProviderError } from '../../errors/provider-error.js';

interface ServiceErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
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
};

export function toProviderError(
  error: unknown,
  endpoint: string,
  address?: ResourceAddress,
  hint?: string,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const shape = (error ?? {}) as ServiceErrorShape;
  const status = httpStatus(error);
  const where = address ? { address } : {};
  if (status === undefined) {
    const detail = error instanceof Error ? `${shape.code ?? error.name}: ${error.message}` : String(error);
    return new ProviderError(`cannot reach S3 at ${endpoint}: ${detail}`, {
      ...where,
      retryable: true,
      hint: hint ?? 'check the endpoint is up and reachable (--s3-endpoint, AWS_ENDPOINT_URL_S3, AWS_REGION)',
      cause: error,
    });
  }
  const name = shape.name ?? 'UnknownError';
  const text = shape.message && shape.message !== name && shape.message !== 'UnknownError' ? `: ${shape.message}` : '';
  const retryable = THROTTLING.has(name) || status === 429 || status >= 500;
  return new ProviderError(`${name} (HTTP ${status})${text}`, {
    ...where,
    status,
    retryable,
    hint: hint ?? HINTS[name] ?? (retryable ? 'the S3 server is throttling or failing; try again later' : undefined),
    cause: error,
  });
}
