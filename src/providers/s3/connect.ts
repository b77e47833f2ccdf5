/**
 * The S3 client strata uses, how a request is sent with it, and how it is described in plan headers. Retries are the
 * SDK's standard mode:
 * exponential backoff with full jitter on throttling (including RGW's 503 SlowDown), 5xx and connection errors, up
 * to `maxAttempts` tries per request, whatever the concurrency. (Adaptive mode was measured twice as slow to recover
 * from one SlowDown, and strata bounds its requests in flight itself.) A connection attempt that takes longer than
 * the connect timeout is one of those errors; how long a request may take, its retries included, is bounded where it
 * is sent (session.ts).
 *
 * The checksum settings stay the SDK's: none of the reads strata sends has a checksum to compute or validate, and
 * every write it sends requires one (Content-MD5 or a CRC), so `WHEN_REQUIRED` would change no request.
 *
 * The SDK builds a command's middleware stack anew for every call given options, about a fifth of its CPU per request
 * (measured on RGW, GetBucketVersioning 64 at a time: 1.13 ms of CPU a request, 0.93 ms with the stack built once).
 * With `cacheMiddleware` it builds it once per kind of command, but then takes no per-call options, and the abort
 * signal is one: `send` hands it to the HTTP handler another way (RequestSignals). A cached stack shares one context
 * between the calls of a kind, which region redirects write to and never clear, so they are off: a bucket in another
 * region is an error that names its region (errors.ts).
 */
import {
  S3Client,
  type $Command,
  type S3ClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_REQUEST_TIMEOUTS, type RequestTimeouts } from '../request-timeouts.js';

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Most S3 requests in flight, unless `targets.s3.concurrency` says otherwise. AWS serves thousands of requests a
 * second and answers in 10-30 ms within a region: 64 in flight allow 2,000-6,000 requests a second, more than the
 * client itself sends (about 1 ms of CPU per request, measured), so the network stops being the wait, while staying
 * well below where AWS answers SlowDown (retried anyway). 8 left a 1,000-bucket plan waiting ~40 s on the network.
 */
export const DEFAULT_CONCURRENCY = 64;

export interface S3Target {
  region: string;
  /** A non-AWS endpoint (Ceph RGW, MinIO) or a regional override; absent means AWS for `region`. */
  endpoint?: string;
  /** Where `endpoint` was set (`--s3-endpoint`, `targets.s3.endpoint`, ...), for hints that send a person there. */
  endpointFrom?: string;
  /** Defaults to true when an endpoint is given: self-hosted servers rarely have wildcard DNS for bucket names. */
  forcePathStyle?: boolean;
  /** Absent means the AWS default credential chain (environment, profile, SSO, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
  timeouts?: RequestTimeouts;
  /** Most requests in flight at once; `DEFAULT_CONCURRENCY` when absent. */
  concurrency?: number;
}

export interface S3Connection {
  /** Sends a command, aborted when `signal` is, its retries included. */
  send: Send;
  /** `s3 us-east-1 (http://127.0.0.1:7480)`: never credentials. */
  source: string;
  endpoint: string;
  timeouts: RequestTimeouts;
  concurrency: number;
}

export function connectS3(target: S3Target): S3Connection {
  const timeouts = target.timeouts ?? DEFAULT_REQUEST_TIMEOUTS;
  const concurrency = target.concurrency ?? DEFAULT_CONCURRENCY;
  // One pool of kept-alive connections, one per request in flight: the SDK's own pool stops at 50 sockets, which
  // would queue requests the limiter has already let go, and a new connection per request costs a TCP (and TLS)
  // handshake each. Given as options, the SDK makes the agents and so closes them with the client.
  const pool = { keepAlive: true, maxSockets: concurrency };
  const signals = new RequestSignals();
  const client = new S3Client({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    forcePathStyle: target.forcePathStyle ?? target.endpoint !== undefined,
    ...(target.credentials ? { credentials: target.credentials } : {}),
    maxAttempts: target.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard',
    cacheMiddleware: true,
    followRegionRedirects: false,
    requestHandler: new SignalledHttpHandler(signals, {
      connectionTimeout: timeouts.connectMs,
      httpAgent: pool,
      httpsAgent: pool,
    }),
  });
  client.middlewareStack.add(
    (next) => (args) => {
      signals.attempting(args.input, args.request);
      return next(args);
    },
    { step: 'deserialize', priority: 'low', name: 'strataRequestSignal' },
  );
  const send: Send = (command, signal) => {
    signals.sending(command.input, signal);
    return client.send(command);
  };
  const endpoint = target.endpoint ? withoutSecrets(target.endpoint) : `https://s3.${target.region}.amazonaws.com`;
  return { send, source: `${target.region} (${endpoint})`, endpoint, timeouts, concurrency };
}

export type S3Command<Input extends ServiceInputTypes, Output extends ServiceOutputTypes> = $Command<
  Input,
  Output,
  S3ClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes
>;

export type Send = <Input extends ServiceInputTypes, Output extends ServiceOutputTypes>(
  command: S3Command<Input, Output>,
  signal: AbortSignal,
) => Promise<Output>;

/**
 * Each call's abort signal, from `send` to the HTTP handler. The command's input goes through every middleware as it
 * was given, so the signal is kept by it; the innermost middleware, the last before the handler, keys it by the
 * request the handler gets, afresh for each attempt of the SDK's retries. (AsyncLocalStorage would carry it too, but
 * turns on Node's promise hooks, which cost about 2 s of CPU in a 1,000-bucket plan.)
 */
class RequestSignals {
  private readonly byInput = new WeakMap<object, AbortSignal>();
  private readonly byRequest = new WeakMap<object, AbortSignal>();

  sending(input: object, signal: AbortSignal): void {
    this.byInput.set(input, signal);
  }

  attempting(input: object, request: unknown): void {
    const signal = this.byInput.get(input);
    if (signal && typeof request === 'object' && request !== null) this.byRequest.set(request, signal);
  }

  of(request: object): AbortSignal | undefined {
    return this.byRequest.get(request);
  }
}

/** Node's HTTP handler, given the abort signal of the request it sends. */
class SignalledHttpHandler extends NodeHttpHandler {
  constructor(
    private readonly signals: RequestSignals,
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
  ) {
    super(options);
  }

  override handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const abortSignal = this.signals.of(request);
    return super.handle(request, abortSignal ? { ...options, abortSignal } : options);
  }
}

/** Endpoints can carry user:password or signed query strings; the plan header must not. */
function withoutSecrets(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return endpoint;
  }
}
