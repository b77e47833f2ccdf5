/**
 * Every request strata sends to the Kubernetes API goes through `send`, `getJson` or `writeJson`: it connects within
 * the connect timeout, is answered within the request timeout, and the caller's signal (a step's deadline) aborts it in
 * flight; otherwise it fails naming the operation and the server. client-node 1.4 has no timeout of its own, but it
 * sends with node-fetch, which honours the signal of a request's context: `getJson` and `writeJson` set it on the
 * request they make, and `send` hands a generated client's call options whose middleware sets it. (Reads and writes of
 * managed objects skip KubernetesObjectApi: it ignores per-call options, so its signal could only come from
 * AsyncLocalStorage, whose promise hooks slow every promise of the process.)
 */
import type { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Socket } from 'node:net';
import {
  ApiException,
  createConfiguration,
  HttpMethod,
  Observable,
  ServerConfiguration,
  type Configuration,
  type ConfigurationOptions,
  type KubeConfig,
  type Middleware,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import { cannotConnect, DEFAULT_REQUEST_TIMEOUTS, noAnswer, type RequestTimeouts } from '../request-timeouts.js';
import { WholeBodyHttpLibrary } from './whole-body-http.js';

export interface BoundedRequests {
  /** The API server's URL, for messages. */
  readonly server: string;
  /** A generated API client (CoreV1Api, CoordinationV1Api, …) whose calls `send` bounds. */
  client<T>(api: new (configuration: Configuration) => T): T;
  /**
   * Runs `call` (one generated client method) with its request bounded; `operation` names it in errors: `get Lease
   * default/strata-lock-dev`. The call passes on the options it is given: they carry the request's signal.
   */
  send<T>(
    operation: string,
    signal: AbortSignal | undefined,
    call: (options: ConfigurationOptions) => Promise<T>,
  ): Promise<T>;
  /**
   * GET of an API path answered with JSON, as plain data, bounded as `send` bounds a call: the client's typed models
   * are skipped (converting every object of a 10,000-claim LIST into them took more CPU than planning it), and so is
   * discovery, as the path is known. Failures are the client's own ApiException, so error handling is the same as for
   * its methods.
   */
  getJson(
    operation: string,
    path: string,
    query: Record<string, string | undefined>,
    signal: AbortSignal | undefined,
  ): Promise<unknown>;
  /** A PATCH or DELETE of an API path, its body JSON, answered and failing as `getJson` is. */
  writeJson(operation: string, write: JsonWrite, signal: AbortSignal | undefined): Promise<unknown>;
}

export interface JsonWrite {
  method: 'PATCH' | 'DELETE';
  path: string;
  query: Record<string, string | undefined>;
  body?: unknown;
  /** `application/apply-patch+yaml` for server-side apply (JSON is YAML); `application/json` when absent. */
  contentType?: string;
}

/** The socket error of a connection not up within the connect timeout; node-fetch keeps its code. */
const CONNECT_TIMED_OUT = 'STRATA_CONNECT_TIMEOUT';

export function boundedRequests(
  kubeConfig: KubeConfig,
  timeouts: RequestTimeouts = DEFAULT_REQUEST_TIMEOUTS,
): BoundedRequests {
  const server = kubeConfig.getCurrentCluster()?.server ?? 'the Kubernetes API';
  const connections = new SharedConnections(timeouts.connectMs);
  const pooled: Middleware = {
    pre: async (context) => {
      const agent = context.getAgent();
      if (agent) context.setAgent(connections.agentFor(agent));
      return context;
    },
    post: async (response) => response,
  };
  // What KubeConfig.makeApiClient builds, with the middleware. Objects strata sends always name their namespace, so
  // the client's default namespace (which makeApiClient takes from the context) is never used.
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [pooled],
    httpApi: new WholeBodyHttpLibrary(),
  });

  async function bounded<T>(
    operation: string,
    signal: AbortSignal | undefined,
    run: (abort: AbortSignal) => Promise<T>,
  ): Promise<T> {
    signal?.throwIfAborted();
    const answered = AbortSignal.timeout(timeouts.requestMs);
    const request = { system: 'kubernetes', operation, server } as const;
    const started = performance.now();
    try {
      return await run(AbortSignal.any([answered, ...(signal ? [signal] : [])]));
    } catch (error) {
      if ((error as { code?: unknown } | undefined)?.code === CONNECT_TIMED_OUT)
        throw cannotConnect(request, timeouts.connectMs, error);
      if (answered.aborted) throw noAnswer(request, timeouts.requestMs, error);
      if (signal?.aborted) throw noAnswer(request, performance.now() - started, error);
      throw error;
    }
  }

  async function fetchJson(
    method: HttpMethod,
    path: string,
    query: Record<string, string | undefined>,
    signal: AbortSignal,
    body?: { text: string; contentType: string },
  ) {
    const context = configuration.baseServer.makeRequestContext(path, method);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) context.setQueryParam(name, value);
    context.setHeaderParam('Accept', 'application/json');
    if (body) {
      context.setHeaderParam('Content-Type', body.contentType);
      context.setBody(body.text);
    }
    await kubeConfig.applySecurityAuthentication(context);
    await pooled.pre(context);
    context.setSignal(signal);
    const response = await configuration.httpApi.send(context).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299)
      throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', text, response.headers);
    return JSON.parse(text) as unknown;
  }

  return {
    server,
    client: (api) => new api(configuration),
    send: (operation, signal, call) => bounded(operation, signal, (abort) => call(signalledBy(abort))),
    getJson: (operation, path, query, signal) =>
      bounded(operation, signal, (abort) => fetchJson(HttpMethod.GET, path, query, abort)),
    writeJson: (operation, write, signal) =>
      bounded(operation, signal, (abort) =>
        fetchJson(
          write.method === 'PATCH' ? HttpMethod.PATCH : HttpMethod.DELETE,
          write.path,
          write.query,
          abort,
          write.body === undefined
            ? undefined
            : { text: JSON.stringify(write.body), contentType: write.contentType ?? 'application/json' },
        ),
      ),
  };
}

/**
 * A generated client's call options that send its request with `signal`, after the client's own middleware (as the
 * client's own setHeaderOptions adds a header).
 */
function signalledBy(signal: AbortSignal): ConfigurationOptions {
  const signalled: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [signalled], middlewareMergeStrategy: 'append' };
}

/** `get PersistentVolumeClaim codequal-prod/deepwiki-data`, `list StorageClass`. */
export function operationOn(verb: string, kind: string, object?: { name: string; namespace?: string }): string {
  if (!object) return `${verb} ${kind}`;
  return `${verb} ${kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

/**
 * One pool of kept-alive connections for every request. The client makes a new agent for every request
 * (KubeConfig.applySecurityAuthentication), and so a new TLS handshake: an apply of 1,000 claims spent more CPU on
 * handshakes than on anything else. The first agent's TLS options (the kubeconfig's CA, client certificate, server
 * name) are kept in a keep-alive agent; a proxy agent (kubeconfig proxy-url) is reused as it is.
 */
class SharedConnections {
  private shared: Agent | undefined;

  constructor(private readonly connectMs: number) {}

  agentFor(created: Agent): Agent {
    this.shared ??= this.boundedConnect(
      created instanceof HttpsAgent && created.constructor === HttpsAgent
        ? new HttpsAgent({ ...created.options, keepAlive: true })
        : created,
    );
    return this.shared;
  }

  /** Fails the request of a connection not up within the connect timeout, by destroying it with CONNECT_TIMED_OUT. */
  private boundedConnect(agent: Agent): Agent {
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = (options, callback) => {
      const socket = createConnection(options, callback);
      // A proxy agent hands over a socket that is already connected (to the proxy).
      if (socket instanceof Socket && socket.connecting) {
        const timer = setTimeout(() => {
          const error = new Error(`no connection within ${this.connectMs} ms`) as Error & { code: string };
          error.code = CONNECT_TIMED_OUT;
          socket.destroy(error);
        }, this.connectMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      }
      return socket;
    };
    return agent;
  }
}
