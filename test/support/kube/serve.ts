/**
 * `tsx test/support/kube/serve.ts <dir>`: the control plane and the test storage driver, kept running until this
 * process gets SIGTERM or SIGINT (the watchdog stops the daemons if it dies otherwise). Prints
 * `KUBECONFIG=<dir>/admin.kubeconfig` once the cluster is ready; used by `npm run test-servers -- up`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubeconfigYaml, startControlPlane, stopControlPlane } from './control-plane.js';
import { startStorageDriver } from './storage-driver.js';

export const CONTEXT = 'strata-test';

async function main(dir: string | undefined): Promise<void> {
  if (!dir) throw new Error('usage: serve.ts <directory>');
  const controlPlane = await startControlPlane({ dir, watchPid: process.pid });
  const driver = await startStorageDriver(controlPlane);
  const stop = (): void => {
    driver.stop();
    stopControlPlane(dir);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const kubeconfig = join(dir, 'admin.kubeconfig');
  writeFileSync(
    kubeconfig,
    kubeconfigYaml(controlPlane.server, controlPlane.caCert, 'strata-test-admin', controlPlane.adminToken, CONTEXT),
    { mode: 0o600 },
  );
  process.stdout.write(
    `Kubernetes ${controlPlane.kubernetesVersion} at ${controlPlane.server}\nKUBECONFIG=${kubeconfig}\n`,
  );
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`control plane: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
