/**
 * Every request strata sends to the Kubernetes API goes through `send` or `getJson`: it connects within the connect
 * timeout, is answered within the request timeout, and the caller's signal (a step's deadline) aborts it in flight;
 * otherwise it fails naming the operation and the server. client-node 1.4 has no timeout of its own, but it sends with
 * node-fetch, which honours the signal of a request's context. `getJson` sets it on the request it makes.
 * KubernetesObjectApi ignores per-call options (its requestPromise reads only the client's own configuration), so for
 * the typed clients a middleware sets it, taking it from AsyncLocalStorage, for the discovery requests the client makes
 * on its own too. Plans read through `getJson` alone, so they never turn on the promise hooks AsyncLocalStorage needs,
 * which slow every promise of the process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Socket } from 'node:net';
import {
  ApiException,
  createConfiguration,
  HttpMethod,
  ServerConfiguration,
  type Configuration,
  type KubeConfig,
  type Middleware,
} from '@kubernetes/client-node';
import { cannotConnect, DEFAULT_REQUEST_TIMEOUTS, noAnswer, type RequestTimeouts } from '../request-timeouts.js';

export interface BoundedRequests {
  /** The API server's URL, for messages. */
  readonly server: string;
  /** An API client (CoreV1Api, KubernetesObjectApi, …) whose requests `send` bounds. */
  client<T>(api: new (configuration: Configuration) => T): T;
  /** Runs `call` (one client method) with its requests bounded; `operation` names it in errors: `list StorageClass`. */
  send<T>(operation: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T>;
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
}

/** The socket error of a connection not up within the connect timeout; node-fetch keeps its code. */
const CONNECT_TIMED_OUT = 'STRATA_CONNECT_TIMEOUT';

export function boundedRequests(
  kubeConfig: KubeConfig,
  timeouts: RequestTimeouts = DEFAULT_REQUEST_TIMEOUTS,
): BoundedRequests {
  const server = kubeConfig.getCurrentCluster()?.server ?? 'the Kubernetes API';
  const callSignal = new AsyncLocalStorage<AbortSignal>();
  const connections = new SharedConnections(timeouts.connectMs);
  const bound: Middleware = {
    pre: async (context) => {
      const signal = callSignal.getStore();
      if (signal) context.setSignal(signal);
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
    promiseMiddleware: [bound],
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

  async function fetchJson(path: string, query: Record<string, string | undefined>, signal: AbortSignal) {
    const context = configuration.baseServer.makeRequestContext(path, HttpMethod.GET);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) context.setQueryParam(name, value);
    context.setHeaderParam('Accept', 'application/json');
    await kubeConfig.applySecurityAuthentication(context);
    const agent = context.getAgent();
    if (agent) context.setAgent(connections.agentFor(agent));
    context.setSignal(signal);
    const response = await configuration.httpApi.send(context).toPromise();
    const body = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299)
      throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', body, response.headers);
    return JSON.parse(body) as unknown;
  }

  return {
    server,
    client: (api) => new api(configuration),
    getJson: (operation, path, query, signal) => bounded(operation, signal, (abort) => fetchJson(path, query, abort)),
    send: (operation, signal, call) => bounded(operation, signal, (abort) => callSignal.run(abort, call)),
  };
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
