/**
 * The floor: the requests strata's plan sent, sent again by the least client that can (Node's http with kept-alive
 * connections, SigV4 signing for S3, JSON parsing only to follow a LIST's continue token), at strata's concurrency:
 * every Kubernetes LIST at once, pages one after another, and S3 requests up to strata's limit. What strata spends
 * beyond this is its own. Run as its own process by the scale benchmark:
 * `node --import tsx bench/scale/floor.ts <requests.json>`. It prints nothing.
 */
import { createHash, createHmac, type BinaryLike } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { createLimiter } from '../../src/providers/s3/limiter.js';

export interface FloorRequests {
  kubernetes: { server: string; token: string; ca: string; lists: string[]; others: string[] };
  s3: {
    endpoint: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
    concurrency: number;
    requests: { method: string; path: string }[];
  };
}

/** node:crypto in the shape the signer asks for. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): BinaryLike {
  if (typeof data === 'string') return data;
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * One request, its answer read whole. A kept-alive connection the server closed as it was reused is tried once more
 * on a new one, as Go's client (and so kubectl) does for requests that can be repeated.
 */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  agent: HttpAgent | HttpsAgent,
  ca?: string,
  retried = false,
): Promise<string> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers, agent, ...(ca ? { ca } : {}) }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      answer.on('error', reject);
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' && outgoing.reusedSocket && !retried)
        resolve(send(url, method, headers, agent, ca, true));
      else reject(error);
    });
    outgoing.end();
  });
}

async function kubernetes(plan: FloorRequests['kubernetes']): Promise<void> {
  const agent = new HttpsAgent({ keepAlive: true, ca: plan.ca });
  const headers = { authorization: `Bearer ${plan.token}`, accept: 'application/json' };
  const get = (path: string) => send(new URL(path, plan.server), 'GET', headers, agent, plan.ca);
  const list = async (first: string) => {
    let continueToken: string | undefined;
    do {
      const url = new URL(first, plan.server);
      if (continueToken) url.searchParams.set('continue', continueToken);
      const answer = await get(`${url.pathname}${url.search}`);
      // A kind the cluster does not serve answers `404 page not found`, which ends its list as it does strata's.
      const page = answer.startsWith('{') ? (JSON.parse(answer) as { metadata?: { continue?: string } }) : {};
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
  };
  await Promise.all([...plan.lists.map(list), ...plan.others.map(get)]);
}

async function s3(plan: FloorRequests['s3']): Promise<void> {
  const endpoint = new URL(plan.endpoint);
  const agent = new HttpAgent({ keepAlive: true, maxSockets: plan.concurrency });
  const signer = new SignatureV4({
    service: 's3',
    region: plan.region,
    credentials: { accessKeyId: plan.accessKeyId, secretAccessKey: plan.secretAccessKey },
    sha256: Sha256,
    uriEscapePath: false,
  });
  const limit = createLimiter(plan.concurrency);
  await Promise.all(
    plan.requests.map(({ method, path }) =>
      limit(async () => {
        const url = new URL(path, endpoint);
        const signed = await signer.sign({
          method,
          protocol: endpoint.protocol,
          hostname: endpoint.hostname,
          port: Number(endpoint.port),
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: { host: endpoint.host },
        });
        await send(url, method, signed.headers, agent);
      }),
    ),
  );
}

const requests = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as FloorRequests;
await Promise.all([kubernetes(requests.kubernetes), s3(requests.s3)]);
