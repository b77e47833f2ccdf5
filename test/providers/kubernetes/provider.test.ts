/**
 * The Kubernetes provider over the wire, against the run's real control plane: what it reads, how it writes, and
 * what it reports when the server says no. The cluster is shared with every other test file, so each test has its
 * own environment, namespace and storage class, and removes them afterwards.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, StorageV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors/provider-error.js';
import type { ResourceAddress } from '../../../src/model/address.js';
import type { Change } from '../../../src/model/plan.js';
import type {
  DesiredResource,
  PersistentVolumeClaimSpec,
  PrometheusRuleSpec,
  ResourceQuotaSpec,
  StorageClassSpec,
} from '../../../src/model/resources.js';
import { FIELD_MANAGER } from '../../../src/model/resources.js';
import { createKubernetesProvider, type KubernetesProvider } from '../../../src/providers/kubernetes/provider.js';
import { diffSpecs } from '../../../src/plan/diff.js';
import { installCrd } from '../../support/kube/crds.js';
import { openTestCluster, waitFor, type TestCluster } from '../../support/kube/index.js';

let ENVIRONMENT: string;
let NAMESPACE: string;
let FAST_SSD: string;

let cluster: TestCluster;
let provider: KubernetesProvider;
let core: CoreV1Api;
let storage: StorageV1Api;
const signal = new AbortController().signal;

beforeEach(async () => {
  const run = randomBytes(3).toString('hex');
  ENVIRONMENT = `prod-${run}`;
  NAMESPACE = `codequal-${run}`;
  FAST_SSD = `fast-ssd-${run}`;
  cluster = await openTestCluster();
  provider = createKubernetesProvider({ environment: ENVIRONMENT, kubeconfigPath: cluster.kubeconfigPath, env: {} });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  core = kubeConfig.makeApiClient(CoreV1Api);
  storage = kubeConfig.makeApiClient(StorageV1Api);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
});
afterEach(async () => {
  // No kubelet confirms a pod's graceful deletion here, so pods go at once; the namespace controller does the rest.
  await core.deleteCollectionNamespacedPod({ namespace: NAMESPACE, gracePeriodSeconds: 0 }).catch(() => undefined);
  await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  await storage.deleteStorageClass({ name: FAST_SSD }).catch(() => undefined);
  // The test storage driver provisioned volumes for the claims; with reclaimPolicy Retain they outlive them.
  const volumes = await core.listPersistentVolume().catch(() => ({ items: [] }));
  await Promise.all(
    volumes.items
      .filter((volume) => volume.spec?.claimRef?.namespace === NAMESPACE)
      .map((volume) => core.deletePersistentVolume({ name: volume.metadata!.name! }).catch(() => undefined)),
  );
  await cluster.stop();
});

const at = {
  get fastSsd(): ResourceAddress {
    return { system: 'kubernetes', kind: 'StorageClass', name: FAST_SSD };
  },
  get quota(): ResourceAddress {
    return { system: 'kubernetes', kind: 'ResourceQuota', namespace: NAMESPACE, name: 'strata-storage' };
  },
  claim: (name: string): ResourceAddress => ({
    system: 'kubernetes',
    kind: 'PersistentVolumeClaim',
    namespace: NAMESPACE,
    name,
  }),
};

const fastSsd = (type: string): StorageClassSpec => ({
  provisioner: 'ebs.csi.aws.com',
  parameters: { type, encrypted: 'true' },
  reclaimPolicy: 'Retain',
  volumeBindingMode: 'Immediate',
  allowVolumeExpansion: true,
  mountOptions: [],
});
const claim = (size: string): PersistentVolumeClaimSpec => ({
  storageClassName: FAST_SSD,
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Filesystem',
  size,
});
const quota = (storage: string): ResourceQuotaSpec => ({
  hard: { 'requests.storage': storage, persistentvolumeclaims: '10' },
});

function change(address: ResourceAddress, action: Change['action'], after: unknown, fingerprint?: string): Change {
  return { address, action, after, attributes: [], risks: [], ...(fingerprint === undefined ? {} : { fingerprint }) };
}

async function create(address: ResourceAddress, spec: unknown) {
  const { observed } = await provider.apply(change(address, 'create', spec), { dryRun: false, signal });
  return observed!;
}

function declared(address: ResourceAddress, spec: unknown): DesiredResource {
  return { address, spec, logicalKey: address.name, dependsOn: [] } as DesiredResource;
}

async function createClaimByHand(name: string, labels: Record<string, string> = {}) {
  await core.createNamespacedPersistentVolumeClaim({
    namespace: NAMESPACE,
    body: {
      metadata: { name, labels },
      spec: { storageClassName: FAST_SSD, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    },
  });
}

/** The quota controller writes `status.hard` after each spec change, which bumps the resourceVersion: wait for it. */
async function quotaSettled(): Promise<void> {
  await waitFor('the quota controller to write status.hard', async () => {
    const live = await core.readNamespacedResourceQuota({ namespace: NAMESPACE, name: 'strata-storage' });
    return live.status?.hard !== undefined && isDeepStrictEqual(live.status.hard, live.spec?.hard);
  });
}

/**
 * A pod bound to a node that mounts the claim: what the pvc-protection controller counts as a user. No kubelet runs
 * it; its creation waits for the namespace's `default` service account, which pod admission requires.
 */
async function podUsing(claimName: string): Promise<string> {
  const name = `uses-${claimName}`;
  await waitFor(`pod ${name} to be admitted`, () =>
    core
      .createNamespacedPod({
        namespace: NAMESPACE,
        body: {
          metadata: { name },
          spec: {
            nodeName: 'strata-test-node',
            automountServiceAccountToken: false,
            containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
          },
        },
      })
      .then(() => true),
  );
  return name;
}

/** The pod is gone (force-deleted: no kubelet confirms a graceful deletion here). */
async function stopPod(name: string): Promise<void> {
  await core.deleteNamespacedPod({ namespace: NAMESPACE, name, gracePeriodSeconds: 0 });
}

describe('observe', () => {
  it('reads with one LIST per kind and not a single GET', async () => {
    // Installed here too, so the custom resource is listed whichever test file of the run installed it first.
    await installCrd(cluster.kubeconfig, 'prometheusrule');
    await create(at.fastSsd, fastSsd('gp3'));
    await create(at.claim('deepwiki-data'), claim('50Gi'));
    cluster.counters.reset();

    await provider.observe(
      { environment: ENVIRONMENT, desired: [declared(at.claim('deepwiki-data'), claim('50Gi'))] },
      signal,
    );

    const requests = cluster.counters.byVerbAndResource();
    // The client may read API discovery to learn plural names; it never GETs an object.
    expect(Object.keys(requests).filter((key) => key.startsWith('get ') && key !== 'get discovery')).toEqual([]);
    // Lists are cluster-wide, and another test may hold 500 or more claims at this moment: one page or more for claims.
    expect(requests['list persistentvolumeclaims']).toBeGreaterThanOrEqual(1);
    expect(requests).toMatchObject({
      'list namespaces': 1,
      'list storageclasses': 1,
      'list resourcequotas': 1,
      'list cronjobs': 1,
      'list prometheusrules': 1,
    });
  });

  it('outside the namespaces it declares, returns only what is declared or owned by this environment', async () => {
    await create(at.fastSsd, fastSsd('gp3'));
    await create(at.claim('owned-undeclared'), claim('10Gi'));
    await createClaimByHand('declared-by-hand');
    await createClaimByHand('someone-elses');
    await createClaimByHand('other-environment', {
      'app.kubernetes.io/managed-by': 'strata',
      'strata.dev/environment': 'staging',
    });

    const { resources } = await provider.observe(
      {
        environment: ENVIRONMENT,
        desired: [declared(at.claim('declared-by-hand'), claim('5Gi')), declared(at.fastSsd, fastSsd('gp3'))],
      },
      signal,
    );

    const claims = resources
      .filter((r) => r.address.kind === 'PersistentVolumeClaim')
      .map((r) => [r.address.name, r.owned]);
    expect(claims).toEqual([
      ['declared-by-hand', false],
      ['owned-undeclared', true],
    ]);
  });

  it('inside a namespace it declares, also returns what no one declared, as not owned (drift names it unmanaged)', async () => {
    await create(at.fastSsd, fastSsd('gp3'));
    await createClaimByHand('someone-elses');
    const namespace = { system: 'kubernetes', kind: 'Namespace', name: NAMESPACE } as const;

    const { resources } = await provider.observe(
      { environment: ENVIRONMENT, desired: [declared(namespace, { labels: {} })] },
      signal,
    );

    expect(resources.find((r) => r.address.name === 'someone-elses')).toMatchObject({ owned: false });
  });

  /** A provider that lists `pageSize` objects a page, and claims of these names (with their class) to list. */
  async function pagedWithClaims(pageSize: number, names: string[]): Promise<KubernetesProvider> {
    await create(at.fastSsd, fastSsd('gp3'));
    for (const name of names) await create(at.claim(name), claim('1Gi'));
    return createKubernetesProvider({
      environment: ENVIRONMENT,
      kubeconfigPath: cluster.kubeconfigPath,
      env: {},
      pageSize,
    });
  }

  it('pages through a long list with the continue token', async () => {
    const paged = await pagedWithClaims(2, ['a', 'b', 'c', 'd', 'e']);
    cluster.counters.reset();

    const { resources } = await paged.observe({ environment: ENVIRONMENT, desired: [] }, signal);

    expect(resources.filter((r) => r.address.kind === 'PersistentVolumeClaim')).toHaveLength(5);
    // The LIST is cluster-wide and other tests' claims share the cluster: five of ours alone, two a page, take three.
    expect(cluster.counters.byVerbAndResource()['list persistentvolumeclaims']).toBeGreaterThanOrEqual(3);
  });

  it('starts a paged list over when etcd compacted its snapshot between two pages, keeping each object once', async () => {
    const paged = await pagedWithClaims(2, ['a', 'b', 'c', 'd', 'e']);
    cluster.faults.add({ verb: 'list', resource: 'persistentvolumeclaims', continued: true, status: 410, times: 1 });

    const { resources } = await paged.observe({ environment: ENVIRONMENT, desired: [] }, signal);

    const claims = resources.filter((r) => r.address.kind === 'PersistentVolumeClaim').map((r) => r.address.name);
    expect(claims.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('gives up on a list whose snapshot keeps expiring after starting it over three times, saying so', async () => {
    const paged = await pagedWithClaims(1, ['a', 'b']);
    cluster.faults.add({ verb: 'list', resource: 'persistentvolumeclaims', continued: true, status: 410 });
    cluster.counters.reset();

    const error = await paged.observe({ environment: ENVIRONMENT, desired: [] }, signal).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      message:
        "kubernetes list PersistentVolumeClaim: the list's snapshot expired before its last page, 4 times over (HTTP 410 Expired)",
      retryable: true,
    });
    // The first page and the three lists started over, each stopped at its second page.
    expect(cluster.counters.byVerbAndResource()['list persistentvolumeclaims']).toBe(8);
  });
});

describe('apply', () => {
  it('creates with server-side apply as field manager strata, labelled as this environment', async () => {
    const observed = await create(at.claim('deepwiki-data'), claim('50Gi'));

    expect(observed).toMatchObject({ owned: true, spec: claim('50Gi') });
    const live = await core.readNamespacedPersistentVolumeClaim({ namespace: NAMESPACE, name: 'deepwiki-data' });
    expect(live.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'strata',
      'strata.dev/environment': ENVIRONMENT,
    });
    expect(live.metadata?.managedFields?.map((entry) => [entry.manager, entry.operation])).toContainEqual([
      FIELD_MANAGER,
      'Apply',
    ]);
  });

  it('updates a StorageClass declared without parameters, sending no empty map the server would read as a change', async () => {
    const plain: StorageClassSpec = { ...fastSsd('gp3'), parameters: {}, allowVolumeExpansion: false };
    await create(at.fastSsd, plain);
    const before = (await provider.read(at.fastSsd, signal))!;

    const { observed } = await provider.apply(
      change(at.fastSsd, 'update', { ...plain, allowVolumeExpansion: true }, before.fingerprint),
      {
        dryRun: false,
        signal,
        readBefore: before,
      },
    );

    expect(observed?.spec).toEqual({ ...plain, allowVolumeExpansion: true });
  });

  it('updates in place under the resourceVersion of the read before the write', async () => {
    await create(at.quota, quota('200Gi'));
    await quotaSettled();
    const before = (await provider.read(at.quota, signal))!;

    const { observed } = await provider.apply(change(at.quota, 'update', quota('300Gi'), before.fingerprint), {
      dryRun: false,
      signal,
      readBefore: before,
    });

    expect(observed?.spec).toEqual(quota('300Gi'));
    expect(Number(observed?.version)).toBeGreaterThan(Number(before.version));
    expect(observed?.fingerprint).not.toBe(before.fingerprint);
  });

  it('returns from a quota change only once the quota controller enforces it, since admission checks claims against status.hard', async () => {
    await create(at.quota, quota('200Gi'));
    const before = (await provider.read(at.quota, signal))!;

    await provider.apply(change(at.quota, 'update', quota('300Gi'), before.fingerprint), {
      dryRun: false,
      signal,
      readBefore: before,
    });

    const live = await core.readNamespacedResourceQuota({ namespace: NAMESPACE, name: 'strata-storage' });
    expect(live.status?.hard).toEqual({ 'requests.storage': '300Gi', persistentvolumeclaims: '10' });
  });

  it('writes on a newer version when only fields strata does not manage moved since the read, keeping them', async () => {
    const before = await create(at.quota, quota('200Gi'));
    await core.patchNamespacedResourceQuota(
      {
        namespace: NAMESPACE,
        name: 'strata-storage',
        body: { metadata: { annotations: { note: 'edited' } } },
        fieldManager: 'kubectl-annotate',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );

    const { observed } = await provider.apply(change(at.quota, 'update', quota('300Gi'), before.fingerprint), {
      dryRun: false,
      signal,
      readBefore: before,
    });

    expect(observed?.spec).toEqual(quota('300Gi'));
    const live = await core.readNamespacedResourceQuota({ namespace: NAMESPACE, name: 'strata-storage' });
    expect(live.metadata?.annotations).toMatchObject({ note: 'edited' });
  });

  it('refuses an update when what strata manages moved since the read: here its ownership label was taken off', async () => {
    const before = await create(at.quota, quota('200Gi'));
    await core.patchNamespacedResourceQuota(
      {
        namespace: NAMESPACE,
        name: 'strata-storage',
        body: { metadata: { labels: { 'strata.dev/environment': null } } },
        fieldManager: 'kubectl-label',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );

    const attempt = provider.apply(change(at.quota, 'update', quota('300Gi'), before.fingerprint), {
      dryRun: false,
      signal,
      readBefore: before,
    });

    await expect(attempt).rejects.toBeInstanceOf(ProviderError);
    await expect(attempt).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('the object has been modified') as string,
    });
    expect((await provider.read(at.quota, signal))?.spec).toEqual(quota('200Gi'));
  });

  /** strata's quota at 200Gi, whose limit someone then set to 250Gi as `kubectl edit` does (an update, not an apply). */
  async function quotaEditedByKubectlEdit() {
    await create(at.quota, quota('200Gi'));
    await core.patchNamespacedResourceQuota(
      {
        namespace: NAMESPACE,
        name: 'strata-storage',
        body: { spec: { hard: { 'requests.storage': '250Gi' } } },
        fieldManager: 'kubectl-edit',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await quotaSettled();
    return provider.read(at.quota, signal);
  }

  it('reports a conflict the change did not say it takes by name, and does not force it', async () => {
    const current = await quotaEditedByKubectlEdit();

    const error = await provider
      .apply(change(at.quota, 'update', quota('300Gi'), current!.fingerprint), { dryRun: false, signal })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(409);
    expect((error as ProviderError).message).toContain('conflict with "kubectl-edit"');
    expect((error as ProviderError).hint).toContain('strata takes only what a plan showed it taking: plan again');
    expect(((await provider.read(at.quota, signal))?.spec as ResourceQuotaSpec).unmanagedHard).toEqual({
      'requests.storage': '250Gi',
    });
  });

  it('takes a field from another field manager when the change says it takes it, and then owns it', async () => {
    const current = await quotaEditedByKubectlEdit();
    expect(current?.fieldOwners?.['hard["requests.storage"]']).toEqual(['kubectl-edit']);
    const taking = change(at.quota, 'update', quota('300Gi'), current!.fingerprint);
    taking.attributes = [
      { path: 'hard["requests.storage"]', before: '250Gi', after: '300Gi', takesFrom: ['kubectl-edit'] },
    ];

    const { observed } = await provider.apply(taking, { dryRun: false, signal, readBefore: current });

    expect((observed?.spec as ResourceQuotaSpec).hard).toMatchObject({ 'requests.storage': '300Gi' });
    expect(observed?.fieldOwners?.['hard["requests.storage"]']).toEqual(['strata']);
  });

  it('replaces a StorageClass whose parameters changed: deleted and created under the same name', async () => {
    const before = await create(at.fastSsd, fastSsd('gp2'));
    const uidBefore = (await storage.readStorageClass({ name: FAST_SSD })).metadata?.uid;

    const { observed } = await provider.apply(change(at.fastSsd, 'replace', fastSsd('gp3'), before.fingerprint), {
      dryRun: false,
      signal,
    });

    expect(observed?.spec).toEqual(fastSsd('gp3'));
    expect((await storage.readStorageClass({ name: FAST_SSD })).metadata?.uid).not.toBe(uidBefore);
  });

  it('deletes a claim a pod still uses: held by its protection finalizer, it reads as gone and observes as terminating', async () => {
    await create(at.fastSsd, fastSsd('gp3'));
    const before = await create(at.claim('scratch'), claim('10Gi'));
    await podUsing('scratch');

    const { observed } = await provider.apply(
      { ...change(at.claim('scratch'), 'delete', undefined, before.fingerprint), before: claim('10Gi') },
      { dryRun: false, signal },
    );

    expect(observed).toBeUndefined();
    const live = await core.readNamespacedPersistentVolumeClaim({ namespace: NAMESPACE, name: 'scratch' });
    expect(live.metadata?.deletionTimestamp).toBeDefined();
    expect(live.metadata?.finalizers).toContain('kubernetes.io/pvc-protection');
    expect(await provider.read(at.claim('scratch'), signal)).toBeUndefined();
    const { resources } = await provider.observe({ environment: ENVIRONMENT, desired: [] }, signal);
    expect(resources.find((r) => r.address.name === 'scratch')?.terminating).toEqual({
      finalizers: ['kubernetes.io/pvc-protection'],
    });
  });

  it('replaces a claim only once the old one is gone, not by writing to the terminating object', async () => {
    await create(at.fastSsd, fastSsd('gp3'));
    const before = await create(at.claim('warm-db'), claim('20Gi'));
    const pod = await podUsing('warm-db');
    const replaced = { ...claim('20Gi'), accessModes: ['ReadWriteOncePod' as const] };

    const applying = provider.apply(change(at.claim('warm-db'), 'replace', replaced, before.fingerprint), {
      dryRun: false,
      signal,
    });
    applying.catch(() => undefined);
    // The pod stops using the claim while strata waits; the protection controller then lets the old claim go.
    await waitFor('the old claim to be terminating', async () =>
      Boolean(
        (await core.readNamespacedPersistentVolumeClaim({ namespace: NAMESPACE, name: 'warm-db' })).metadata
          ?.deletionTimestamp,
      ),
    );
    await stopPod(pod);
    const { observed } = await applying;

    expect((observed?.spec as PersistentVolumeClaimSpec).accessModes).toEqual(['ReadWriteOncePod']);
    const live = await core.readNamespacedPersistentVolumeClaim({ namespace: NAMESPACE, name: 'warm-db' });
    expect(live.metadata?.deletionTimestamp).toBeUndefined();
    expect(live.spec?.accessModes).toEqual(['ReadWriteOncePod']);
  });

  it('stores nothing in a dry run, yet has the server validate the write', async () => {
    await provider.apply(change(at.claim('deepwiki-data'), 'create', claim('50Gi')), { dryRun: true, signal });
    expect(await provider.read(at.claim('deepwiki-data'), signal)).toBeUndefined();

    const invalid = provider.apply(change(at.claim('bad'), 'create', { ...claim('50Gi'), accessModes: [] }), {
      dryRun: true,
      signal,
    });
    await expect(invalid).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('at least 1 access mode is required') as string,
    });
  });

  it('waits as long as a 429 says in Retry-After, then writes', async () => {
    cluster.faults.add({ verb: 'patch', resource: 'resourcequotas', status: 429, retryAfterSeconds: 1, times: 1 });
    const started = performance.now();

    const observed = await create(at.quota, quota('200Gi'));

    expect(observed.spec).toEqual(quota('200Gi'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(cluster.counters.byVerbAndResource()['patch resourcequotas']).toBe(2);
  });

  it('gives up on a server that keeps throttling, saying so', async () => {
    cluster.faults.add({ verb: 'patch', resource: 'resourcequotas', status: 429, retryAfterSeconds: 0 });

    const error = await provider
      .apply(change(at.quota, 'create', quota('200Gi')), { dryRun: false, signal })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 429, retryable: true });
    expect(cluster.counters.byVerbAndResource()['patch resourcequotas']).toBe(4);
  });

  it('does not retry a 500, which carries no Retry-After', async () => {
    cluster.faults.add({ verb: 'patch', resource: 'resourcequotas', status: 500 });

    await expect(
      provider.apply(change(at.quota, 'create', quota('200Gi')), { dryRun: false, signal }),
    ).rejects.toMatchObject({ status: 500 });
    expect(cluster.counters.byVerbAndResource()['patch resourcequotas']).toBe(1);
  });
});

describe('a PrometheusRule, a custom resource some clusters do not serve', () => {
  const address = (): ResourceAddress => ({
    system: 'kubernetes',
    kind: 'PrometheusRule',
    namespace: NAMESPACE,
    name: 'strata-storage-alerts',
  });
  const rules = (threshold: number): PrometheusRuleSpec => ({
    groups: {
      'volume/deepwiki-data': {
        warning: {
          alert: 'StorageVolumeFillingUp',
          expr: `100 * kubelet_volume_stats_used_bytes{namespace='${NAMESPACE}'} / kubelet_volume_stats_capacity_bytes{namespace='${NAMESPACE}'} > ${threshold}`,
          for: '15m',
          labels: { severity: 'warning' },
          annotations: { summary: `over ${threshold}%` },
        },
      },
    },
  });

  it('creates, reads back with no drift, updates and deletes one on a cluster with the CRD', async () => {
    await installCrd(cluster.kubeconfig, 'prometheusrule');

    const created = await create(address(), rules(75));
    expect(created).toMatchObject({ owned: true, spec: rules(75) });
    const read = await provider.read(address(), signal);
    expect(diffSpecs('PrometheusRule', read!.spec as PrometheusRuleSpec, rules(75))).toEqual([]);
    const { observed: updated } = await provider.apply(
      { ...change(address(), 'update', rules(80)), before: rules(75) },
      { dryRun: false, signal, readBefore: read },
    );
    expect(updated?.spec).toEqual(rules(80));
    await provider.apply(change(address(), 'delete', undefined), { dryRun: false, signal });
    expect(await provider.read(address(), signal)).toBeUndefined();
  });

  it('where the cluster does not serve it, observes everything else and reports the capability only to those declaring one', async () => {
    // kube-apiserver's plain 404 for a group it does not serve, discovery included, as where the CRD is not installed.
    cluster.faults.add({ group: 'monitoring.coreos.com', status: 404 });
    await create(at.claim('deepwiki-data'), claim('5Gi'));
    const claimOnly = [declared(at.claim('deepwiki-data'), claim('5Gi'))];

    const without = await provider.observe({ environment: ENVIRONMENT, desired: claimOnly }, signal);
    const withAlerts = await provider.observe(
      { environment: ENVIRONMENT, desired: [...claimOnly, declared(address(), rules(75))] },
      signal,
    );

    expect(without.capabilities).toEqual([]);
    expect(without.resources.map((resource) => resource.address)).toContainEqual(at.claim('deepwiki-data'));
    expect(withAlerts.capabilities).toEqual([
      {
        capability: 'prometheus-rules',
        supported: false,
        detail: 'the cluster does not serve monitoring.coreos.com/v1 PrometheusRule (its CRD is not installed)',
      },
    ]);
    expect(withAlerts.resources.some((resource) => resource.address.kind === 'PrometheusRule')).toBe(false);
    expect(await provider.read(address(), signal)).toBeUndefined();
  });
});

describe('a server that leaves strata waiting', () => {
  /** What the applier gives a step: a signal that aborts at its deadline, with a reason that says so. */
  function stepDeadline(ms: number): AbortSignal {
    const deadline = new AbortController();
    setTimeout(() => deadline.abort(new Error(`the step ran past its deadline of ${ms / 1000} s`)), ms);
    return deadline.signal;
  }
  const boundedProvider = (requestMs: number) =>
    createKubernetesProvider({
      environment: ENVIRONMENT,
      kubeconfigPath: cluster.kubeconfigPath,
      env: {},
      timeouts: { connectMs: 5_000, requestMs },
    });

  it('fails an observe whose LIST the server holds open at the request timeout, naming the list and the server', async () => {
    cluster.faults.add({ verb: 'list', resource: 'storageclasses', hang: true });

    const error = await boundedProvider(500)
      .observe({ environment: ENVIRONMENT, desired: [] }, signal)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      message: `kubernetes list StorageClass: no answer from ${cluster.url} within 0.5 s`,
      retryable: true,
    });
  });

  it('ends a write the server leaves unanswered at the step deadline, naming the write', async () => {
    cluster.faults.add({ verb: 'patch', resource: 'resourcequotas', hang: true });

    const error = await boundedProvider(30_000)
      .apply(change(at.quota, 'create', quota('200Gi')), { dryRun: false, signal: stepDeadline(400) })
      .catch((e: unknown) => e);

    expect((error as Error).message).toMatch(
      new RegExp(
        `^kubernetes apply ResourceQuota ${NAMESPACE}/strata-storage: no answer from ${cluster.url} within 0\\.[45] s$`,
      ),
    );
  });

  it('ends a Retry-After wait that would outlast the step deadline, saying which deadline', async () => {
    cluster.faults.add({ verb: 'patch', resource: 'resourcequotas', status: 429, retryAfterSeconds: 5 });
    const started = performance.now();

    const error = await boundedProvider(30_000)
      .apply(change(at.quota, 'create', quota('200Gi')), { dryRun: false, signal: stepDeadline(400) })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      message: `kubernetes/ResourceQuota/${NAMESPACE}/strata-storage: the step ran past its deadline of 0.4 s while waiting on ${cluster.url}`,
    });
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
