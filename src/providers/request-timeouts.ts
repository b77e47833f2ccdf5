/**
 * How long strata waits on a live system, and what it says when a server leaves it waiting. Shared by the Kubernetes
 * and S3 providers, so both name a stuck server, and the operation it left unanswered, the same way.
 */
import type { ResourceAddress } from '../model/address.js';
import { ProviderError } from '../errors/provider-error.js';

export interface RequestTimeouts {
  /** The longest wait for a TCP connection to the server. */
  connectMs: number;
  /** The longest wait for the answer to one request. */
  requestMs: number;
}

/**
 * 5 s to connect: within a region a connection takes milliseconds, so this only cuts off an endpoint that cannot be
 * reached (a firewall that drops packets otherwise holds each try for the kernel's two minutes of SYN retries).
 * 30 s to answer: EKS and S3 answer strata's reads and writes in well under a second even when busy, and a LIST of a
 * thousand objects in a few; kube-apiserver itself gives up on a request after 60 s.
 */
export const DEFAULT_REQUEST_TIMEOUTS: RequestTimeouts = { connectMs: 5_000, requestMs: 30_000 };

/** A request as an error names it: `s3 PutBucketLifecycleConfiguration on akosha-backups-prod`, and where it went. */
export interface RequestDescription {
  system: 'kubernetes' | 's3';
  operation: string;
  server: string;
}

/** The server took the request (or the caller's deadline came) and no answer arrived. */
export function noAnswer(request: RequestDescription, waitedMs: number, cause: unknown): ProviderError {
  return new ProviderError(
    `${request.system} ${request.operation}: no answer from ${request.server} within ${secondsText(waitedMs)}`,
    {
      retryable: true,
      hint: 'check that the server is up and not overloaded; --request-timeout and --step-timeout (STRATA_REQUEST_TIMEOUT, STRATA_STEP_TIMEOUT) set how long strata waits',
      cause,
    },
  );
}

export function cannotConnect(request: RequestDescription, waitedMs: number, cause: unknown): ProviderError {
  return new ProviderError(
    `${request.system} ${request.operation}: could not connect to ${request.server} within ${secondsText(waitedMs)}`,
    {
      retryable: true,
      hint: 'check the server address and that the network lets strata reach it; --connect-timeout (STRATA_CONNECT_TIMEOUT) sets how long strata waits',
      cause,
    },
  );
}

/**
 * What a provider throws when the caller's signal (a step's deadline) ended a wait between requests: a Retry-After, a
 * poll for a controller. Undefined when the signal did not end it, or when `error` already says so (a request in
 * flight names itself). The signal's reason says which deadline.
 */
export function cutShort(
  error: unknown,
  signal: AbortSignal,
  server: string,
  address?: ResourceAddress,
): ProviderError | undefined {
  if (!signal.aborted || error instanceof ProviderError) return undefined;
  const reason = signal.reason instanceof Error ? signal.reason.message : 'stopped';
  return new ProviderError(`${reason} while waiting on ${server}`, {
    ...(address ? { address } : {}),
    retryable: true,
    cause: signal.reason,
  });
}

/** `3 s`, `2.5 s`, `150 s`: tenths only where they matter. */
function secondsText(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds < 10 ? Math.round(seconds * 10) / 10 : Math.round(seconds)} s`;
}
