/**
 * What observing costs the API server: 50 namespaces with 1,000 claims are read with a handful of paginated LISTs,
 * never one GET per object. Kubernetes only, so no S3 server is involved.
 *
 * strata lists each kind cluster-wide, and the cluster is shared with the other test files of the run, so a LIST may
 * also page through their objects: the expected number of pages is taken from the cluster's own counts around the plan
 * (in an otherwise empty cluster, every kind takes one page: 11 LISTs). The
 * PrometheusRule and Velero CRDs are installed first, so their LISTs are counted whichever test file installed them.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBERNETES_KINDS, type KubernetesKind } from '../../src/model/address.js';
import { DEFAULT_PAGE_SIZE } from '../../src/providers/kubernetes/provider.js';
import { runCli, scratchProject } from '../support/cli.js';
import { installCrd, installVeleroCrds } from '../support/kube/crds.js';
import { openTestCluster, type TestCluster } from '../support/kube/index.js';
import { seedCluster, seededEnvironment } from './support/seed.js';

const ENVIRONMENT = `bulk-${randomBytes(3).toString('hex')}`;
const SIZE = { namespaces: 50, claimsPerNamespace: 20 };
/** Writing 50 namespaces and 1,000 claims into a real kube-apiserver, on a machine shared with other tests. */
const SEEDING_TIMEOUT_MS = 240_000;
/** Observing and planning 1,000 claims, with the rest of the run's tests on the same two cores. */
const PLAN_TIMEOUT_MS = 90_000;

let cluster: TestCluster;
let project: Awaited<ReturnType<typeof scratchProject>>;

beforeAll(async () => {
  cluster = await openTestCluster();
  await installVeleroCrds(cluster.kubeconfigPath);
  project = await scratchProject();
  await installCrd(cluster.kubeconfig, 'prometheusrule');
  await seedCluster(cluster, ENVIRONMENT, SIZE);
  await writeFile(
    join(project.dir, 'environments', `${ENVIRONMENT}.yaml`),
    seededEnvironment(ENVIRONMENT, SIZE, cluster.contextName),
  );
}, SEEDING_TIMEOUT_MS);
// The seeded objects stay until the run's cluster is thrown away: deleting 1,000 claims at once floods the namespace
// and pvc-protection controllers that other test files are waiting on at the same moment.
afterAll(async () => {
  await cluster?.stop();
  await project?.remove();
});

/** Each kind's API version and plural, written out here rather than taken from strata's own table. */
const KINDS: Record<KubernetesKind, { apiVersion: string; plural: string }> = {
  Namespace: { apiVersion: 'v1', plural: 'namespaces' },
  StorageClass: { apiVersion: 'storage.k8s.io/v1', plural: 'storageclasses' },
  ResourceQuota: { apiVersion: 'v1', plural: 'resourcequotas' },
  PersistentVolumeClaim: { apiVersion: 'v1', plural: 'persistentvolumeclaims' },
  ServiceAccount: { apiVersion: 'v1', plural: 'serviceaccounts' },
  Role: { apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'roles' },
  RoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'rolebindings' },
  CronJob: { apiVersion: 'batch/v1', plural: 'cronjobs' },
  PrometheusRule: { apiVersion: 'monitoring.coreos.com/v1', plural: 'prometheusrules' },
  BackupStorageLocation: { apiVersion: 'velero.io/v1', plural: 'backupstoragelocations' },
  Schedule: { apiVersion: 'velero.io/v1', plural: 'schedules' },
};

/** How many objects of each kind the whole cluster holds now (one LIST of a single item per kind). */
async function objectsInCluster(): Promise<Record<KubernetesKind, number>> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  const sizes = await Promise.all(
    KUBERNETES_KINDS.map(async (kind) => {
      const list = await objects.list(
        KINDS[kind].apiVersion,
        kind,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        1,
      );
      return [kind, list.items.length + (list.metadata?.remainingItemCount ?? 0)] as const;
    }),
  );
  return Object.fromEntries(sizes) as Record<KubernetesKind, number>;
}

const pages = (objects: number) => Math.max(1, Math.ceil(objects / DEFAULT_PAGE_SIZE));

describe('observing 50 namespaces with 1,000 claims', () => {
  it(
    'costs one LIST per 5,000 objects of each kind, no discovery and no GET of any object',
    async () => {
      const before = await objectsInCluster();
      cluster.counters.reset();

      const { exitCode, stdout, stderr } = await runCli(
        ['plan', ENVIRONMENT, '--kubeconfig', cluster.kubeconfigPath, '--no-out', '--detailed-exitcode'],
        { cwd: project.dir },
      );
      const requests = cluster.counters.byVerbAndResource();
      const total = cluster.counters.total();
      const after = await objectsInCluster();

      expect(stderr).toBe('');
      expect(stdout).toContain('No changes.');
      expect(exitCode).toBe(0);
      // A paginated LIST is one snapshot, taken at its first page: other tests' objects count as they stood then.
      const claims = SIZE.namespaces * SIZE.claimsPerNamespace;
      expect(before.PersistentVolumeClaim).toBeGreaterThanOrEqual(claims);
      const lists = Object.entries(requests).filter(([key]) => key.startsWith('list '));
      for (const kind of KUBERNETES_KINDS) {
        const key = `list ${KINDS[kind].plural}`;
        const fewest = pages(Math.min(before[kind], after[kind]));
        const most = pages(Math.max(before[kind], after[kind]));
        expect(
          requests[key],
          `${key}: ${before[kind]} objects before the plan, ${after[kind]} after`,
        ).toBeGreaterThanOrEqual(fewest);
        expect(
          requests[key],
          `${key}: ${before[kind]} objects before the plan, ${after[kind]} after`,
        ).toBeLessThanOrEqual(most);
      }
      expect(lists.map(([key]) => key).sort()).toEqual(
        KUBERNETES_KINDS.map((kind) => `list ${KINDS[kind].plural}`).sort(),
      );
      // Collections are addressed by their known paths, so API discovery is not read; objects are never read one by one.
      expect(Object.keys(requests).filter((key) => !key.startsWith('list '))).toEqual([]);
      // A LIST per kind, and another page only where other tests' objects push a kind past a page: bounded by the kinds.
      expect(total).toBeLessThan(KUBERNETES_KINDS.length * 2);
    },
    PLAN_TIMEOUT_MS,
  );
});
