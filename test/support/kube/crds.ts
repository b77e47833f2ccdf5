/**
 * Installs the project's own minimal Velero CRDs (crds/velero.yaml) into the shared test cluster. Test files run in
 * parallel and share one cluster, so the install is a server-side apply (idempotent: a second apply of the same
 * definitions changes nothing) followed by a wait until kube-apiserver serves both kinds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubectlWith } from './kubectl.js';
import { waitFor } from './wait.js';

export const VELERO_CRDS = fileURLToPath(new URL('crds/velero.yaml', import.meta.url));
const NAMES = ['schedules.velero.io', 'backupstoragelocations.velero.io'];

export async function installVeleroCrds(kubeconfigPath: string): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'strata-test-crds-'));
  try {
    const kubectl = kubectlWith(kubeconfigPath, scratch);
    const applied = await kubectl('apply', '--server-side', '--field-manager=strata-test-crds', '-f', VELERO_CRDS);
    if (applied.code !== 0) throw new Error(`installing the Velero CRDs failed: ${applied.stderr}`);
    // Established first, then served: discovery of velero.io/v1 follows the condition by a moment.
    await waitFor('the Velero CRDs to be served', async () => {
      const listed = await kubectl('get', NAMES.join(','), '--all-namespaces', '-o', 'name');
      return listed.code === 0;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
