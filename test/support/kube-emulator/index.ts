/**
 * A Kubernetes API emulator for the storage subset strata manages, served over HTTP on 127.0.0.1 so tests, kubectl
 * and strata itself talk to it through their real clients. See TEST-WORLD.md for the behaviours it reproduces.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { KubeApi } from './api.js';
import { bind } from './controllers.js';
import { RequestCounters } from './counters.js';
import { FaultInjector } from './faults.js';
import { kubeconfigFor } from './kubeconfig.js';
import { loadStore, saveStore } from './persistence.js';
import { NAMESPACE_TYPE, PVC_TYPE } from './resources.js';
import { createHandler } from './server.js';
import { ObjectStore } from './store.js';
import { timestamp } from './writes.js';

export { FaultInjector, type FaultRule } from './faults.js';
export { RequestCounters } from './counters.js';

export interface KubeEmulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  contextName?: string;
  /** Load the store from this JSON file at start and save it after every write. */
  persistPath?: string;
}

export interface KubeEmulator {
  url: string;
  contextName: string;
  kubeconfig: string;
  kubeconfigPath: string;
  faults: FaultInjector;
  counters: RequestCounters;
  /** Binds a Pending claim now, as the binder does once a consumer is scheduled (WaitForFirstConsumer). */
  bindClaim(namespace: string, name: string): void;
  stop(): Promise<void>;
}

/** The namespaces every cluster starts with. */
const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

function seed(store: ObjectStore): void {
  const now = timestamp(new Date());
  for (const name of INITIAL_NAMESPACES) {
    store.write(NAMESPACE_TYPE, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: crypto.randomUUID(), creationTimestamp: now, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startKubeEmulator(options: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
  const contextName = options.contextName ?? 'strata-emulator';
  const store = new ObjectStore();
  const persistPath = options.persistPath;
  if (!persistPath || !loadStore(store, persistPath)) seed(store);
  const persist = () => {
    if (persistPath) saveStore(store, persistPath);
  };
  persist();

  const api = new KubeApi(store, persist);
  const faults = new FaultInjector();
  const counters = new RequestCounters();
  let address = '';
  const server = createServer(createHandler({ api, faults, counters, serverAddress: () => address }));
  server.keepAliveTimeout = 1000;
  const port = await listen(server, options.port ?? 0);
  address = `127.0.0.1:${port}`;
  const url = `http://${address}`;
  const kubeconfig = kubeconfigFor(url, contextName);
  const directory = mkdtempSync(join(tmpdir(), 'strata-kube-emulator-'));
  const kubeconfigPath = join(directory, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });

  return {
    url,
    contextName,
    kubeconfig,
    kubeconfigPath,
    faults,
    counters,
    bindClaim(namespace, name) {
      api.bindClaim(PVC_TYPE, namespace, name, (claim) => bind(store, claim, new Date()));
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        rmSync(directory, { recursive: true, force: true });
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
