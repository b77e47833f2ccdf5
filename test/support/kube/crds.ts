/**
 * The project's own minimal CustomResourceDefinitions (crds/*.yaml) installed into the shared test cluster. Test files
 * run in parallel and share one cluster, so installing is idempotent: a server-side apply of the same definition by
 * one field manager changes nothing the second time, and every caller waits until the API serves the kind.
 */
import { readFileSync } from 'node:fs';
import {
  KubeConfig,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
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
