/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of the S3 server, for tests and benchmarks that must see the wire:
 * it counts requests (in all, by operation, and the most in flight at once), keeps them for replaying, can hold each
 * request a while, and can answer with S3 errors instead of forwarding (RGW's 503 SlowDown). The Host header is
 * forwarded as sent, so SigV4 signatures stay valid.
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyOptions {
  /** Milliseconds each request is held before it is forwarded. */
  delayMs?: number;
  /**
   * Answers this many requests (the first ones, or the first after `after` were forwarded) with an S3 error instead
   * of forwarding them; with `oncePerPath`, a retry of a request that failed is forwarded; with `bucket`, only
   * requests to that bucket fail.
   */
  fail?: {
    count: number;
    status: number;
    code: string;
    after?: number;
    oncePerPath?: true;
    bucket?: string;
    headers?: Record<string, string>;
  };
}

export interface S3Proxy {
  endpoint: string;
  readonly requests: number;
  readonly failed: number;
  /** Requests held or forwarded now: a client that gives up on one closes its connection, and it ends here too. */
  readonly inFlight: number;
  readonly mostInFlight: number;
  /** Milliseconds each request is held from now on. */
  delayMs: number;
  /** `GET versioning`, `HEAD bucket`, `GET service` (ListBuckets): counted since the start or the last reset. */
  byOperation(): Record<string, number>;
  /** The requests sent to one bucket, sorted: `HEAD`, `GET versioning`, `GET object-lock`, ... */
  sentTo(bucket: string): string[];
  /** The requests forwarded since the start or the last reset, as sent. */
  sent(): { method: string; path: string }[];
  reset(): void;
  close(): Promise<void>;
}

export async function startS3Proxy(target: string, options: ProxyOptions = {}): Promise<S3Proxy> {
  const upstream = new URL(target);
  let requests = 0;
  let failed = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  let delayMs = options.delayMs ?? 0;
  let operations = new Map<string, number>();
  let sent: { method: string; path: string }[] = [];
  let byBucket = new Map<string, string[]>();
  const failedPaths = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests++;
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    res.on('close', () => inFlight--);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const { bucket, subresource, objectKey } = partsOf(path);
    const operation = `${method} ${subresource ?? (bucket === undefined ? 'service' : objectKey ? 'object' : 'bucket')}`;
    operations.set(operation, (operations.get(operation) ?? 0) + 1);
    sent.push({ method, path });
    if (bucket)
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), subresource ? `${method} ${subresource}` : method]);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const fail = options.fail;
    if (
      fail &&
      requests > (fail.after ?? 0) &&
      failed < fail.count &&
      !(fail.oncePerPath && failedPaths.has(path)) &&
      (fail.bucket === undefined || fail.bucket === bucket)
    ) {
      failed++;
      failedPaths.add(path);
      res.writeHead(fail.status, { 'content-type': 'application/xml', ...fail.headers });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fail.code}</Code><Message></Message></Error>`);
      return;
    }
    const out = forward(
      // A connection of its own to the server for each request: a kept-alive one the server closes as it is reused
      // would answer the client with a reset the server never sent (and the SDK's retry would count twice).
      { host: upstream.hostname, port: upstream.port, method, path, headers: req.headers, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get failed() {
      return failed;
    },
    get inFlight() {
      return inFlight;
    },
    get mostInFlight() {
      return mostInFlight;
    },
    get delayMs() {
      return delayMs;
    },
    set delayMs(value: number) {
      delayMs = value;
    },
    byOperation: () => Object.fromEntries([...operations].sort(([a], [b]) => (a < b ? -1 : 1))),
    sent: () => [...sent],
    sentTo: (bucket) => [...(byBucket.get(bucket) ?? [])].sort(),
    reset() {
      requests = 0;
      failed = 0;
      mostInFlight = inFlight;
      operations = new Map();
      sent = [];
      byBucket = new Map();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `/akosha-backups?versioning` is the versioning subresource of bucket akosha-backups (strata sends path style). */
function partsOf(path: string): { bucket?: string; subresource?: string; objectKey: boolean } {
  const url = new URL(path, 'http://proxy');
  const [bucket, ...key] = url.pathname.split('/').filter(Boolean);
  const subresource = [...url.searchParams.keys()].find((name) => name !== 'x-id');
  return { ...(bucket ? { bucket } : {}), ...(subresource ? { subresource } : {}), objectKey: key.length > 0 };
}
