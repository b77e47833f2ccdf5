/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of the S3 server, for tests that must see the wire: it counts
 * requests, which were sent to each bucket and the most in flight at once, can hold each request a while, and can
 * answer with S3 errors instead of forwarding (RGW's 503 SlowDown). The Host header is forwarded as sent, so SigV4
 * signatures stay valid. Buckets are named in the path, as strata addresses them at a custom endpoint.
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyOptions {
  /** Milliseconds each request is held before it is forwarded. */
  delayMs?: number;
  /**
   * Answers this many requests (the first ones, or the first after `after` were forwarded) with an S3 error instead
   * of forwarding them.
   */
  fail?: { count: number; status: number; code: string; after?: number };
}

export interface S3Proxy {
  endpoint: string;
  readonly requests: number;
  readonly failed: number;
  readonly mostInFlight: number;
  /** The requests sent to one bucket, sorted: `HEAD`, `GET versioning`, `GET object-lock`, ... */
  sentTo(bucket: string): string[];
  close(): Promise<void>;
}

export async function startS3Proxy(target: string, options: ProxyOptions = {}): Promise<S3Proxy> {
  const upstream = new URL(target);
  let requests = 0;
  let failed = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const sent = new Map<string, string[]>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests++;
    record(sent, req);
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    res.on('close', () => inFlight--);
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (options.fail && requests > (options.fail.after ?? 0) && failed < options.fail.count) {
      failed++;
      res.writeHead(options.fail.status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${options.fail.code}</Code><Message></Message></Error>`,
      );
      return;
    }
    const out = forward(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
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
    get mostInFlight() {
      return mostInFlight;
    },
    sentTo: (bucket) => [...(sent.get(bucket) ?? [])].sort(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `GET /akosha-backups?versioning` is `GET versioning` sent to akosha-backups; `HEAD /akosha-backups` is `HEAD`. */
function record(sent: Map<string, string[]>, req: IncomingMessage): void {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const bucket = url.pathname.split('/')[1];
  if (!bucket) return;
  const subresource = [...url.searchParams.keys()].find((key) => key !== 'x-id');
  const operation = subresource ? `${req.method} ${subresource}` : (req.method ?? '');
  sent.set(bucket, [...(sent.get(bucket) ?? []), operation]);
}
