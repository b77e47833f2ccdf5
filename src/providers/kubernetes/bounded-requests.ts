/**
 * Every request strata sends to the Kubernetes API goes through `send`: it connects within the connect timeout, is
 * answered within the request timeout, and the caller's signal (a step's deadline) aborts it in flight; otherwise it
 * fails naming the operation and the server. client-node 1.4 has no timeout of its own, but it sends with node-fetch,
 * which honours the signal of a request's context: a middleware sets it. KubernetesObjectApi ignores per-call options
 * (its requestPromise reads only the client's own configuration), so the signal reaches the middleware through
 * AsyncLocalStorage, for the discovery requests the client makes on its own too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Agent } from 'node:http';
import { Socket } from 'node:net';
import {
  createConfiguration,
  ServerConfiguration,
  type Configuration,
  type KubeConfig,
  type Middleware,
} from '@kubernetes/client-node';
import { cannotConnect, DEFAULT_REQUEST_TIMEOUTS, noAnswer, type RequestTimeouts } from '../request-timeouts.js';

export interface BoundedRequests {
  /** The API server's URL, for messages. */
  readonly server: string;
  /** An API client (CoreV1Api, KubernetesObjectApi, …) whose requests the middleware bounds. */
  client<T>(api: new (configuration: Configuration) => T): T;
  /** Runs `call` (one client method) with its requests bounded; `operation` names it in errors: `list StorageClass`. */
  send<T>(operation: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T>;
}

interface InFlight {
  signal: AbortSignal;
  connectMs: number;
  connectTimedOut: AbortController;
}

export function boundedRequests(
  kubeConfig: KubeConfig,
  timeouts: RequestTimeouts = DEFAULT_REQUEST_TIMEOUTS,
): BoundedRequests {
  const server = kubeConfig.getCurrentCluster()?.server ?? 'the Kubernetes API';
  const inFlight = new AsyncLocalStorage<InFlight>();
  const bound: Middleware = {
    pre: async (context) => {
      const request = inFlight.getStore();
      if (request) {
        context.setSignal(request.signal);
        limitConnect(context.getAgent(), request);
      }
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

  return {
    server,
    client: (api) => new api(configuration),
    async send(operation, signal, call) {
      signal?.throwIfAborted();
      const answered = AbortSignal.timeout(timeouts.requestMs);
      const connectTimedOut = new AbortController();
      const request = { system: 'kubernetes', operation, server } as const;
      const started = performance.now();
      try {
        const abort = AbortSignal.any([answered, connectTimedOut.signal, ...(signal ? [signal] : [])]);
        return await inFlight.run({ signal: abort, connectMs: timeouts.connectMs, connectTimedOut }, call);
      } catch (error) {
        if (connectTimedOut.signal.aborted) throw cannotConnect(request, timeouts.connectMs, error);
        if (answered.aborted) throw noAnswer(request, timeouts.requestMs, error);
        if (signal?.aborted) throw noAnswer(request, performance.now() - started, error);
        throw error;
      }
    },
  };
}

/** `get PersistentVolumeClaim codequal-prod/deepwiki-data`, `list StorageClass`. */
export function operationOn(verb: string, kind: string, object?: { name: string; namespace?: string }): string {
  if (!object) return `${verb} ${kind}`;
  return `${verb} ${kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

/**
 * Aborts the request when its TCP connection is not up within the connect timeout. The client makes a new agent for
 * every request (KubeConfig.applySecurityAuthentication), so wrapping its connect touches only this request.
 */
function limitConnect(agent: Agent | undefined, request: InFlight): void {
  if (!agent) return;
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = createConnection(options, callback);
    // A proxy agent hands over a socket that is already connected (to the proxy).
    if (socket instanceof Socket && socket.connecting) {
      const timer = setTimeout(() => request.connectTimedOut.abort(), request.connectMs);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    }
    return socket;
  };
}
