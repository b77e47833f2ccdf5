/** HTTP routing: discovery, OpenAPI and resource URLs to the API verbs, with faults and counters applied first. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeApi, Reply, Target } from './api.js';
import type { RequestCounters } from './counters.js';
import { coreVersions, group, groupList, openApiFor, openApiRoot, resourceList, VERSION_INFO } from './discovery.js';
import type { FaultInjector, RequestFacts, Verb } from './faults.js';
import { inApiOrder } from './order.js';
import { findType } from './resources.js';
import { asTable, wantsTable } from './table.js';
import { ApiError, conflict, methodNotAllowed } from './status.js';

export interface ServerParts {
  api: KubeApi;
  faults: FaultInjector;
  counters: RequestCounters;
  serverAddress: () => string;
}

type Route = { kind: 'discovery'; reply: () => Reply | undefined } | { kind: 'resource'; target: Target; verb: Verb };

const NOT_FOUND = new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

function parseResourcePath(segments: string[], method: string): Route | undefined {
  const [root, ...rest] = segments;
  let groupName = '';
  let version: string | undefined;
  if (root === 'api') version = rest.shift();
  else if (root === 'apis') {
    groupName = rest.shift() ?? '';
    version = rest.shift();
  } else return undefined;
  if (!version) return undefined;
  let namespace: string | undefined;
  let plural = rest[0];
  let name = rest[1];
  let subresource = rest[2];
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespacedType = findType(groupName, version, rest[2]!);
    if (namespacedType?.namespaced) {
      namespace = rest[1];
      plural = rest[2];
      name = rest[3];
      subresource = rest[4];
    }
  }
  const type = plural === undefined ? undefined : findType(groupName, version, plural);
  if (!type || (subresource !== undefined && (subresource !== 'status' || !type.statusSubresource)) || rest.length > (namespace ? 5 : 3)) return undefined;
  const verb = verbOf(method, name !== undefined);
  if (!verb) return undefined;
  return { kind: 'resource', verb, target: { type, namespace, name, ...(subresource ? { subresource: 'status' as const } : {}) } };
}

function verbOf(method: string, named: boolean): Verb | undefined {
  if (method === 'GET') return named ? 'get' : 'list';
  if (method === 'POST' && !named) return 'create';
  if (method === 'PUT' && named) return 'update';
  if (method === 'PATCH' && named) return 'patch';
  if (method === 'DELETE' && named) return 'delete';
  return undefined;
}

function route(path: string, method: string, serverAddress: string): Route | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  const discovery = (reply: () => unknown | undefined): Route => ({
    kind: 'discovery',
    reply: () => {
      const body = reply();
      return body === undefined ? undefined : { status: 200, body };
    },
  });
  const joined = segments.join('/');
  if (joined === 'version') return discovery(() => VERSION_INFO);
  if (joined === 'api') return discovery(() => coreVersions(serverAddress));
  if (joined === 'apis') return discovery(() => groupList());
  if (joined === 'openapi/v3') return discovery(() => openApiRoot());
  if (segments[0] === 'openapi' && segments[1] === 'v3') return discovery(() => openApiFor(segments.slice(2).join('/')));
  if (segments[0] === 'apis' && segments.length === 2) return discovery(() => group(segments[1]!));
  if (segments[0] === 'api' && segments.length === 2) return discovery(() => resourceList('', segments[1]!));
  if (segments[0] === 'apis' && segments.length === 3) return discovery(() => resourceList(segments[1]!, segments[2]!));
  return parseResourcePath(segments, method);
}

function send(response: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(inApiOrder(reply.body));
  response.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

function sendError(response: ServerResponse, error: ApiError): void {
  send(response, { status: error.code, body: error.toStatus() }, error.headers);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function injectedError(status: 500 | 503 | 429, retryAfterSeconds: number | undefined): ApiError {
  if (status === 429) {
    const seconds = retryAfterSeconds ?? 1;
    return new ApiError(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) });
  }
  if (status === 503) {
    return new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request (injected fault)', {}, retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : {});
  }
  return new ApiError(500, 'InternalError', 'Internal error occurred: injected fault', { causes: [{ message: 'injected fault' }] });
}

export function createHandler(parts: ServerParts): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const method = request.method ?? 'GET';
    try {
      const body = await readBody(request);
      if (['healthz', 'readyz', 'livez'].includes(url.pathname.slice(1))) {
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return;
      }
      const matched = route(url.pathname, method, parts.serverAddress());
      if (matched?.kind === 'resource' && matched.verb === 'list' && ['true', '1'].includes(url.searchParams.get('watch') ?? '')) matched.verb = 'watch';
      const facts: RequestFacts =
        matched?.kind === 'resource'
          ? { verb: matched.verb, resource: matched.target.type.plural, namespace: matched.target.namespace, name: matched.target.name }
          : { verb: 'discovery', resource: 'discovery' };
      parts.counters.count(facts.verb === 'discovery' ? 'get' : facts.verb, facts.resource ?? 'unknown');
      const decision = parts.faults.decide(facts);
      if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
      if (decision.reset) {
        request.socket.destroy();
        return;
      }
      if (decision.status) throw injectedError(decision.status, decision.retryAfterSeconds);
      if (!matched) throw NOT_FOUND;
      if (matched.kind === 'discovery') {
        if (method !== 'GET') throw methodNotAllowed();
        const reply = matched.reply();
        if (!reply) throw NOT_FOUND;
        send(response, reply);
        return;
      }
      const { target, verb } = matched;
      const options = { query: url.searchParams, userAgent: request.headers['user-agent'] ?? '' };
      const json = () => {
        try {
          return body === '' ? undefined : (JSON.parse(body) as unknown);
        } catch (error) {
          throw new ApiError(400, 'BadRequest', `${target.type.kind} in version "${target.type.version}" cannot be handled as a ${target.type.kind}: ${(error as Error).message}`);
        }
      };
      if (decision.conflict) throw conflict(target.type, target.name ?? String((json() as { metadata?: { name?: string } } | undefined)?.metadata?.name ?? ''));
      if (verb === 'watch') {
        parts.api.watch(target, url.searchParams, response);
        return;
      }
      const api = parts.api;
      const reply =
        verb === 'get'
          ? api.get(target)
          : verb === 'list'
            ? api.list(target, url.searchParams)
            : verb === 'create'
              ? api.create(target, json(), options)
              : verb === 'update'
                ? api.update(target, json(), options)
                : verb === 'patch'
                  ? api.patch(target, request.headers['content-type'] ?? '', body, options)
                  : api.delete(target, json(), options);
      const table = (verb === 'get' || verb === 'list') && wantsTable(request.headers.accept);
      send(response, table ? { status: reply.status, body: asTable(target.type, reply.body as Record<string, unknown>, new Date()) } : reply);
    } catch (error) {
      if (error instanceof ApiError) sendError(response, error);
      else {
        const message = error instanceof Error ? error.message : String(error);
        sendError(response, new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }));
      }
    }
  };
}
