/**
 * vitest global setup: one real Kubernetes control plane for the whole run, when a selected test file needs one
 * (imports test/support/kube). It builds or reuses the binaries, starts etcd, kube-apiserver and
 * kube-controller-manager on loopback, runs the test storage driver beside them, and hands the cluster's directory to
 * the workers through STRATA_TEST_KUBE_DIR. Everything stops on teardown, on SIGINT/SIGTERM and on exit; a watchdog
 * stops the daemons even if this process is killed outright. With STRATA_TEST_KUBE_DIR already set (by
 * `npm run test-servers -- up`), the tests use that cluster and nothing is started.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runNeeds, stopOnExit } from '../run-needs.js';
import { startControlPlane, stopControlPlane } from './control-plane.js';
import { CLUSTER_DIR_VARIABLE, clusterAccess } from './index.js';
import { startStorageDriver } from './storage-driver.js';

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env[CLUSTER_DIR_VARIABLE]) {
    clusterAccess(); // a cluster started by `npm run test-servers -- up`: fails early, with the fix, if it is gone
    return undefined;
  }
  if (!runNeeds(project, new URL('./', import.meta.url))) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'strata-test-kube-'));
  const started = Date.now();
  let driver: { stop(): void } | undefined;
  const release = stopOnExit(() => {
    driver?.stop();
    stopControlPlane(dir);
  });
  try {
    const controlPlane = await startControlPlane({ dir, watchPid: process.pid });
    driver = await startStorageDriver(controlPlane);
    process.stderr.write(
      `strata tests: Kubernetes ${controlPlane.kubernetesVersion} control plane at ${controlPlane.server} (started in ${Date.now() - started} ms)\n`,
    );
  } catch (error) {
    release();
    throw error;
  }
  process.env[CLUSTER_DIR_VARIABLE] = dir;
  return () => {
    delete process.env[CLUSTER_DIR_VARIABLE];
    release();
  };
}
