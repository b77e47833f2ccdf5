/**
 * A large cluster, written straight into the control plane through the Kubernetes client (not through strata): N
 * namespaces of M claims each, labelled as strata's, and the environment file that declares exactly them. Used by the
 * request-counting test and by the benchmark. Every name, the cluster-scoped StorageClass's included, carries the
 * environment's name, so environments seeded side by side in one cluster never collide.
 */
import { CoreV1Api, KubeConfig, StorageV1Api } from '@kubernetes/client-node';
import type { TestCluster } from '../../support/kube/index.js';

export interface SeedSize {
  namespaces: number;
  claimsPerNamespace: number;
  /**
   * For the environment file only: a nightly Velero backup of every claim, into the bucket (its key, declared by the
   * caller) this names for the namespace's index, under a prefix of the claim's own.
   */
  backupBucket?: (namespace: number) => string;
}

/** The class's logical key in the environment file; its physical name is `storageClassName(environment)`. */
const CLASS = 'standard';
const SIZE = '20Gi';
const WRITES_IN_FLIGHT = 16;

export const namespaceName = (environment: string, index: number) =>
  `tenant-${String(index).padStart(3, '0')}-${environment}`;
export const claimName = (index: number) => `repo-cache-${String(index).padStart(3, '0')}`;
export const storageClassName = (environment: string) => `${CLASS}-${environment}`;
/** strata's ownership labels, as an apply of the environment writes them. */
export const ownershipLabels = (environment: string) => ({
  'app.kubernetes.io/managed-by': 'strata',
  'strata.dev/environment': environment,
});

export async function seedCluster(cluster: TestCluster, environment: string, size: SeedSize): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const storage = kubeConfig.makeApiClient(StorageV1Api);
  const labels = ownershipLabels(environment);

  await storage.createStorageClass({
    body: {
      metadata: { name: storageClassName(environment), labels },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'st1' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    },
  });
  const namespaces = Array.from({ length: size.namespaces }, (_, index) => namespaceName(environment, index));
  await inBatches(namespaces, (name) =>
    core.createNamespace({ body: { metadata: { name, labels: { ...labels, team: 'codequal' } } } }),
  );
  const claims = namespaces.flatMap((namespace) =>
    Array.from({ length: size.claimsPerNamespace }, (_, index) => ({ namespace, name: claimName(index) })),
  );
  await inBatches(claims, ({ namespace, name }) =>
    core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name, labels },
        spec: {
          storageClassName: storageClassName(environment),
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: SIZE } },
        },
      },
    }),
  );
}

/** The environment file declaring exactly what `seedCluster` wrote: planning it against the seeded cluster changes nothing. */
export function seededEnvironment(environment: string, size: SeedSize, context: string): string {
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${environment} }`,
    `targets: { kubernetes: { context: ${context} } }`,
    'storageClasses:',
    `  ${CLASS}: { name: ${storageClassName(environment)}, provisioner: ebs.csi.aws.com, parameters: { type: st1 }, volumeBindingMode: WaitForFirstConsumer, allowVolumeExpansion: true }`,
    'namespaces:',
  ];
  for (let n = 0; n < size.namespaces; n += 1) {
    lines.push(
      `  tenant-${n}:`,
      `    name: ${namespaceName(environment, n)}`,
      '    labels: { team: codequal }',
      '    volumes:',
    );
    for (let c = 0; c < size.claimsPerNamespace; c += 1) {
      lines.push(`      ${claimName(c)}: { storageClass: ${CLASS}, size: ${SIZE}, maxSize: 100Gi }`);
    }
    if (!size.backupBucket) continue;
    lines.push('    backups:');
    for (let c = 0; c < size.claimsPerNamespace; c += 1) {
      const destination = `{ bucket: ${size.backupBucket(n)}, prefix: ${claimName(c)}/ }`;
      lines.push(
        `      ${claimName(c)}-nightly: { volume: ${claimName(c)}, schedule: "0 2 * * *", destination: ${destination}, keep: 30d, credentials: { veleroServer: true } }`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

async function inBatches<T>(items: T[], write: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await write(items[next++]!);
  };
  await Promise.all(Array.from({ length: WRITES_IN_FLIGHT }, worker));
}
