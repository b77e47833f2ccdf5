/**
 * The platform-scale world: N namespaces × M claims (the request-count test's seeded cluster) and B buckets with
 * versioning, two lifecycle rules, tags and public access blocked, declared in one environment file. Names carry the
 * environment's name, which carries the size, so worlds of different sizes live side by side on one set of servers.
 */
import {
  claimName,
  namespaceName,
  ownershipLabels,
  seededEnvironment,
  storageClassName,
} from '../../test/e2e/support/seed.js';

export interface WorldSize {
  namespaces: number;
  claimsPerNamespace: number;
  buckets: number;
  /** A nightly Velero backup of every claim, into a versioned backup bucket per namespace: for validation only. */
  backups?: true;
}

/** What a per-resource refresh reads: every object the file declares, as Terraform's state would list them. */
export interface WorldObjects {
  kubernetes: { apiVersion: string; kind: string; plural: string; namespace?: string; name: string }[];
  buckets: string[];
}

/** `--pvcs` claims spread over `--namespaces`, at least one in each. */
export const claimsPerNamespace = (pvcs: number, namespaces: number) => Math.max(1, Math.round(pvcs / namespaces));

export const worldName = (size: WorldSize) => `scale-${size.namespaces}x${size.claimsPerNamespace}-b${size.buckets}`;

/**
 * `data-0042-scale-50x200-b1000`, as platform teams name theirs (`akosha-backups-prod`): the environment last, so one
 * world's buckets are not named like another's, which strata would read as look-alikes to report (index.ts,
 * `undeclared`), and a world would pay for the other worlds beside it on the server.
 */
export const bucketName = (environment: string, index: number) =>
  `data-${String(index).padStart(4, '0')}-${environment}`;

export function worldEnvironment(environment: string, size: WorldSize, context: string): string {
  const backupBucket = (namespace: number) => `backups-${namespace}`;
  const kubernetes = seededEnvironment(
    environment,
    {
      namespaces: size.namespaces,
      claimsPerNamespace: size.claimsPerNamespace,
      ...(size.backups ? { backupBucket } : {}),
    },
    context,
  );
  if (size.buckets === 0 && !size.backups) return kubernetes;
  // The S3 server is the benchmark's proxy, named by AWS_ENDPOINT_URL_S3.
  const targets = `targets: { kubernetes: { context: ${context} }, s3: { region: us-east-1 } }`;
  const lines = ['buckets:'];
  for (let index = 0; index < size.buckets; index += 1) {
    lines.push(
      `  data-${index}:`,
      `    name: ${bucketName(environment, index)}`,
      '    versioning: true',
      '    publicAccess: blocked',
      '    tags: { team: platform }',
      '    lifecycle:',
      '      - { id: cleanup, noncurrentExpireAfter: 30d, abortIncompleteUploadsAfter: 7d }',
      '      - { id: logs, prefix: logs/, expireAfter: 90d }',
    );
  }
  for (let namespace = 0; size.backups && namespace < size.namespaces; namespace += 1) {
    lines.push(
      `  ${backupBucket(namespace)}:`,
      `    name: backups-${String(namespace).padStart(3, '0')}-${environment}`,
      '    versioning: true',
      '    publicAccess: blocked',
      '    lifecycle: [{ id: cleanup, noncurrentExpireAfter: 7d }]',
    );
  }
  return `${kubernetes.replace(`targets: { kubernetes: { context: ${context} } }`, targets)}${lines.join('\n')}\n`;
}

export function worldObjects(environment: string, size: WorldSize): WorldObjects {
  const kubernetes: WorldObjects['kubernetes'] = [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      plural: 'storageclasses',
      name: storageClassName(environment),
    },
  ];
  for (let n = 0; n < size.namespaces; n += 1) {
    const namespace = namespaceName(environment, n);
    kubernetes.push({ apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', name: namespace });
    for (let c = 0; c < size.claimsPerNamespace; c += 1) {
      kubernetes.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        plural: 'persistentvolumeclaims',
        namespace,
        name: claimName(c),
      });
    }
  }
  return { kubernetes, buckets: Array.from({ length: size.buckets }, (_, index) => bucketName(environment, index)) };
}

/** The same claims as manifests, for `kubectl diff --server-side`: what a kubectl-based pipeline would compare. */
export function claimManifests(environment: string, size: WorldSize, namespaces: number): string {
  const labels = JSON.stringify(ownershipLabels(environment));
  const documents: string[] = [];
  for (let n = 0; n < Math.min(namespaces, size.namespaces); n += 1) {
    for (let c = 0; c < size.claimsPerNamespace; c += 1) {
      documents.push(
        [
          'apiVersion: v1',
          'kind: PersistentVolumeClaim',
          `metadata: { name: ${claimName(c)}, namespace: ${namespaceName(environment, n)}, labels: ${labels} }`,
          `spec: { storageClassName: ${storageClassName(environment)}, accessModes: [ReadWriteOnce], resources: { requests: { storage: 20Gi } } }`,
        ].join('\n'),
      );
    }
  }
  return `${documents.join('\n---\n')}\n`;
}
