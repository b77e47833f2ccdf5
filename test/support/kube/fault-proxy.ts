/**
 * An HTTPS proxy in front of the real kube-apiserver, one per test file: it counts requests by verb and resource and
 * injects the faults a network or an overloaded server produces (latency, 500/503, 429 with Retry-After, a reset
 * connection, a request held open and never answered). Everything else, conflicts included, comes from the real
 * server. Requests keep their own credentials, so RBAC applies to each caller as it would without the proxy.
 */
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type InjectedStatus = 404 | 410 | 500 | 503 | 429;

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'discovery';

export interface FaultRule {
  verb?: Verb;
  /**
   * API group, e.g. `monitoring.coreos.com`: matches its discovery too, so `{ group, status: 404 }` is a cluster
   * that does not serve the group at all (its CRDs not installed), whichever test file installed them.
   */
  group?: string;
  /** Plural resource name, e.g. `persistentvolumeclaims`. */
  resource?: string;
  namespace?: string;
  name?: string;
  /**
   * Only requests for a LIST's next page (a `continue` query parameter): with status 410, the answer etcd's compaction
   * of the list's snapshot brings.
   */
  continued?: true;
  latencyMs?: number;
  status?: InjectedStatus;
  retryAfterSeconds?: number;
  reset?: true;
  /** Holds the request open and never answers it, as a wedged server does; it ends when the client gives up. */
  hang?: true;
  /** How many matching requests the rule affects; unlimited when absent. */
  times?: number;
}

interface Decision {
  latencyMs: number;
  status?: InjectedStatus;
  retryAfterSeconds?: number;
  reset: boolean;
  hang: boolean;
}

interface RequestFacts {
  verb: Verb;
  /** `''` for the core group (`/api`); absent for the discovery of API roots. */
  group?: string;
  resource: string;
  namespace?: string;
  name?: string;
  continued: boolean;
}

export class FaultInjector {
  private rules: { rule: FaultRule; fired: number }[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, fired: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  decide(facts: RequestFacts): Decision {
    const decision: Decision = { latencyMs: 0, reset: false, hang: false };
    for (const active of this.rules) {
      const { rule } = active;
      if (!matches(rule, facts) || active.fired >= (rule.times ?? Number.POSITIVE_INFINITY)) continue;
      active.fired += 1;
      decision.latencyMs += rule.latencyMs ?? 0;
      decision.reset ||= rule.reset === true;
      decision.hang ||= rule.hang === true;
      if (rule.status && decision.status === undefined) {
        decision.status = rule.status;
        decision.retryAfterSeconds = rule.retryAfterSeconds;
      }
    }
    return decision;
  }
}

/**
 * Requests counted by `<verb> <resource>` (e.g. `list persistentvolumeclaims`); discovery counts as `get discovery`.
 * The requests themselves are kept too (method and path with query), for a benchmark that replays them.
 */
export class RequestCounters {
  private counts = new Map<string, number>();
  private sent: { method: string; path: string }[] = [];

  count(facts: RequestFacts, request: { method: string; path: string }): void {
    const key = `${facts.verb === 'discovery' ? 'get' : facts.verb} ${facts.resource}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.sent.push(request);
  }

  requests(): { method: string; path: string }[] {
    return [...this.sent];
  }

  byVerbAndResource(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  reset(): void {
    this.counts.clear();
    this.sent = [];
  }
}

export interface FaultProxy {
  url: string;
  faults: FaultInjector;
  counters: RequestCounters;
  stop(): Promise<void>;
}

export async function startFaultProxy(options: {
  upstream: string;
  caCert: string;
  servingCert: string;
  servingKey: string;
}): Promise<FaultProxy> {
  const faults = new FaultInjector();
  const counters = new RequestCounters();
  const ca = readFileSync(options.caCert);
  const upstream = new URL(options.upstream);
  const server: Server = createServer(
    { cert: readFileSync(options.servingCert), key: readFileSync(options.servingKey) },
    (req, res) => {
      void forward(req, res);
    },
  );
  server.keepAliveTimeout = 1000;

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const facts = requestFacts(req.method ?? 'GET', new URL(req.url ?? '/', 'https://proxy'));
    counters.count(facts, { method: req.method ?? 'GET', path: req.url ?? '/' });
    const decision = faults.decide(facts);
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    if (decision.hang) {
      req.resume();
      return;
    }
    if (decision.reset) {
      // A TLS socket cannot send a TCP reset; the TCP socket beneath it (Node keeps it as _parent) can.
      const tcp = (req.socket as { _parent?: Socket })._parent;
      (tcp ?? req.socket).resetAndDestroy();
      return;
    }
    if (decision.status) {
      injectedError(res, decision.status, decision.retryAfterSeconds);
      req.resume();
      return;
    }
    const outgoing = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
        ca,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.once('error', () => res.destroy());
    res.once('close', () => outgoing.destroy());
    req.pipe(outgoing);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    faults,
    counters,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The API verb and resource of a request path, as kube-apiserver's request-info resolver reads it. */
function requestFacts(method: string, url: URL): RequestFacts {
  const segments = url.pathname.split('/').filter(Boolean);
  const [root, ...rest] = segments;
  const group = root === 'api' ? '' : root === 'apis' ? rest[0] : undefined;
  const continued = url.searchParams.has('continue');
  const discovery: RequestFacts = {
    verb: 'discovery',
    resource: 'discovery',
    continued,
    ...(group === undefined ? {} : { group }),
  };
  if (root === 'api') rest.splice(0, 1);
  else if (root === 'apis' && rest.length >= 3) rest.splice(0, 2);
  else return discovery;
  if (rest.length === 0) return discovery;
  let namespace: string | undefined;
  // namespaces/<ns>/<resource>[/<name>], except a namespace's own subresources (status, finalize).
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && ['status', 'finalize'].includes(rest[2]!))
  ) {
    namespace = rest[1];
    rest.splice(0, 2);
  }
  const [resource, name] = rest as [string, string | undefined];
  const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  const verb: Verb =
    method === 'POST'
      ? 'create'
      : method === 'PUT'
        ? 'update'
        : method === 'PATCH'
          ? 'patch'
          : method === 'DELETE'
            ? 'delete'
            : watch
              ? 'watch'
              : name === undefined
                ? 'list'
                : 'get';
  return { verb, group, resource, namespace, name, continued };
}

function matches(rule: FaultRule, facts: RequestFacts): boolean {
  return (
    (rule.verb === undefined || rule.verb === facts.verb) &&
    (rule.group === undefined || rule.group === facts.group) &&
    (rule.resource === undefined || rule.resource === facts.resource) &&
    (rule.namespace === undefined || rule.namespace === facts.namespace) &&
    (rule.name === undefined || rule.name === facts.name) &&
    (rule.continued === undefined || facts.continued)
  );
}

/** The Status bodies kube-apiserver sends for these codes, so clients parse them as they would the real thing. */
function injectedError(res: ServerResponse, code: InjectedStatus, retryAfterSeconds: number | undefined): void {
  if (code === 404) {
    // A path no API serves (a group whose CRDs are not installed) is answered by the API server's mux, not as a
    // Status: plain text, as docs/TEST-WORLD.md records.
    const text = '404 page not found\n';
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  let reason = 'InternalError';
  let message = 'Internal error occurred: injected fault';
  let details: Record<string, unknown> = { causes: [{ message: 'injected fault' }] };
  if (code === 429) {
    const seconds = retryAfterSeconds ?? 1;
    headers['Retry-After'] = String(seconds);
    reason = 'TooManyRequests';
    message = 'Too many requests, please try again later.';
    details = { retryAfterSeconds: seconds };
  } else if (code === 410) {
    reason = 'Expired';
    message =
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';
    details = {};
  } else if (code === 503) {
    if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
    reason = 'ServiceUnavailable';
    message = 'the server is currently unable to handle the request (injected fault)';
    details = {};
  }
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  });
  res.writeHead(code, { ...headers, 'Content-Length': Buffer.byteLength(body) }).end(body);
}
