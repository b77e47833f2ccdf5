/** Starts an emulator per test and gives typed clients for it, always stopped afterwards. */
import {
  ApiException,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  StorageV1Api,
} from '@kubernetes/client-node';
import { afterEach, beforeEach } from 'vitest';
import { startKubeEmulator, type KubeEmulator, type KubeEmulatorOptions } from '../support/kube-emulator/index.js';

export interface Cluster {
  emulator: KubeEmulator;
  core: CoreV1Api;
  storage: StorageV1Api;
  batch: BatchV1Api;
  coordination: CoordinationV1Api;
  objects: KubernetesObjectApi;
  /** Plain HTTP for what the generated clients cannot express. */
  fetch(path: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }>;
}

export function useCluster(options: KubeEmulatorOptions = {}): () => Cluster {
  let cluster: Cluster | undefined;
  beforeEach(async () => {
    const emulator = await startKubeEmulator(options);
    const config = new KubeConfig();
    config.loadFromString(emulator.kubeconfig);
    cluster = {
      emulator,
      core: config.makeApiClient(CoreV1Api),
      storage: config.makeApiClient(StorageV1Api),
      batch: config.makeApiClient(BatchV1Api),
      coordination: config.makeApiClient(CoordinationV1Api),
      objects: KubernetesObjectApi.makeApiClient(config),
      async fetch(path, init) {
        const response = await fetch(`${emulator.url}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
        const text = await response.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        return { status: response.status, body, headers: response.headers };
      },
    };
  });
  afterEach(async () => {
    await cluster?.emulator.stop();
    cluster = undefined;
  });
  return () => {
    if (!cluster) throw new Error('the emulator starts in beforeEach; use the cluster inside a test');
    return cluster;
  };
}

/** The Status body of a failed client call: ApiException.body is the raw response text. */
export async function statusOf(call: Promise<unknown>): Promise<{ code: number; message: string; reason: string; details?: any; headers: Record<string, string> }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) {
      const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      return { ...body, headers: error.headers };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

export const pvc = (name: string, storage = '10Gi', storageClassName?: string, namespace = 'default') => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage } },
    ...(storageClassName ? { storageClassName } : {}),
  },
});

export const storageClass = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  provisioner: 'ebs.csi.aws.com',
  ...extra,
});

export const JSON_HEADERS = { 'Content-Type': 'application/json' };
