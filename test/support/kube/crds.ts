/**
 * The project's own minimal CustomResourceDefinitions (crds/*.yaml) installed into the shared test cluster. Test files
 * run in parallel and share one cluster, so installing is idempotent: a server-side apply of the same definition by
 * one field manager changes nothing the second time, and every caller waits until the API serves the kind.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  KubeConfig,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { kubectlWith } from './kubectl.js';
import { waitFor } from './wait.js';

export type TestCrd = 'prometheusrule';

const FIELD_MANAGER = 'strata-test-crds';

/**
 * Read through client-node's model, as its serializer writes only the model's fields: a plain object would lose
 * `x-kubernetes-list-type` (the model's `xKubernetesListType`) on the way out.
 */
export function crdDefinition(crd: TestCrd): V1CustomResourceDefinition {
  return loadYaml<V1CustomResourceDefinition>(readFileSync(new URL(`./crds/${crd}.yaml`, import.meta.url), 'utf8'));
}

/** Installs the definition (or leaves it as it is) and resolves once a fresh client can list the kind. */
export async function installCrd(kubeconfig: string, crd: TestCrd): Promise<void> {
  const definition = crdDefinition(crd);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfig);
  await KubernetesObjectApi.makeApiClient(kubeConfig).patch(
    { ...definition, apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
    undefined,
    undefined,
    FIELD_MANAGER,
    true,
    PatchStrategy.ServerSideApply,
  );
  const apiVersion = `${definition.spec.group}/${definition.spec.versions[0]!.name}`;
  // Established is not yet served: discovery follows a moment later, and strata's client reads discovery.
  await waitFor(
    `${apiVersion} ${definition.spec.names.kind} to be served`,
    async () => {
      await KubernetesObjectApi.makeApiClient(kubeConfig).list(apiVersion, definition.spec.names.kind);
      return true;
    },
    { timeoutMs: 30_000 },
  );
}

/** Velero's two kinds are one file of two definitions, applied with kubectl as a user would install them. */
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
