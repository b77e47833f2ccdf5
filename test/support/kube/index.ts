/**
 * What tests import to talk to the run's real control plane (started once by global-setup.ts). Each test file opens
 * its own view of the shared cluster: a fault proxy in front of kube-apiserver, with counters, and a kubeconfig for it.
 * Tests share one cluster, so they isolate themselves by unique names, never by assuming an empty cluster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { kubeconfigYaml, readClusterAccess, type ClusterAccess } from './control-plane.js';
import { startFaultProxy, type FaultInjector, type RequestCounters } from './fault-proxy.js';
import { SELECTED_NODE } from './storage-driver.js';

export { waitFor } from './wait.js';

export const CLUSTER_DIR_VARIABLE = 'STRATA_TEST_KUBE_DIR';

export interface TestCluster {
  /** The fault proxy's URL, which the kubeconfig names. */
  url: string;
  contextName: string;
  kubeconfig: string;
  kubeconfigPath: string;
  faults: FaultInjector;
  counters: RequestCounters;
  kubernetesVersion: string;
  /** A kubeconfig (text and file) for a user other than the admin, e.g. one of TEST_USERS bound to a role. */
  kubeconfigAs(user: string, bearerToken: string): { kubeconfig: string; kubeconfigPath: string };
  userToken(user: string): string;
  /** Sets the node a consumer of a WaitForFirstConsumer claim was scheduled to, as the scheduler does. */
  scheduleClaim(namespace: string, name: string): Promise<void>;
  stop(): Promise<void>;
}

export function clusterAccess(): ClusterAccess {
  const dir = process.env[CLUSTER_DIR_VARIABLE];
  if (!dir) {
    throw new Error(
      `${CLUSTER_DIR_VARIABLE} is not set: the Kubernetes control plane is started by vitest's global setup ` +
        `(test/support/kube/global-setup.ts); run the tests with npm test or npx vitest.`,
    );
  }
  try {
    return readClusterAccess(dir);
  } catch {
    throw new Error(
      `${CLUSTER_DIR_VARIABLE}=${dir} names no running test cluster; start one with npm run test-servers -- up, or unset it`,
    );
  }
}

export async function openTestCluster(options: { contextName?: string } = {}): Promise<TestCluster> {
  const access = clusterAccess();
  const contextName = options.contextName ?? 'strata-test';
  const proxy = await startFaultProxy({
    upstream: access.server,
    caCert: access.caCert,
    servingCert: access.servingCert,
    servingKey: access.servingKey,
  });
  const directory = mkdtempSync(join(tmpdir(), 'strata-test-kubeconfig-'));
  const write = (file: string, user: string, bearer: string) => {
    const text = kubeconfigYaml(proxy.url, access.caCert, user, bearer, contextName);
    const path = join(directory, file);
    writeFileSync(path, text, { mode: 0o600 });
    return { kubeconfig: text, kubeconfigPath: path };
  };
  const admin = write('kubeconfig', 'strata-test-admin', access.adminToken);
  const core = () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(admin.kubeconfig);
    return kubeConfig.makeApiClient(CoreV1Api);
  };

  return {
    url: proxy.url,
    contextName,
    ...admin,
    faults: proxy.faults,
    counters: proxy.counters,
    kubernetesVersion: access.kubernetesVersion,
    kubeconfigAs: (user, bearer) => write(`kubeconfig-${user}`, user, bearer),
    userToken(user) {
      const found = access.userTokens[user];
      if (!found)
        throw new Error(`no static token for ${user}; the users are ${Object.keys(access.userTokens).join(', ')}`);
      return found;
    },
    async scheduleClaim(namespace, name) {
      await core().patchNamespacedPersistentVolumeClaim(
        { namespace, name, body: { metadata: { annotations: { [SELECTED_NODE]: 'strata-test-node' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    },
    async stop() {
      await proxy.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
