/**
 * The test cluster as a user meets it: the real kubectl against the control plane the suite starts, with the real
 * server's own columns and messages. Skipped, with the reason printed, where kubectl is missing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestCluster, waitFor, type TestCluster } from '../support/kube/index.js';
import { KUBECTL, hasKubectl, kubectlWith, type KubectlRun } from '../support/kube/kubectl.js';

if (!hasKubectl) console.warn(`kubectl tests skipped: ${KUBECTL} is not installed`);

describe.skipIf(!hasKubectl)('kubectl against the test control plane', () => {
  let cluster: TestCluster;
  let directory: string;
  let namespace: string;
  let storageClass: string;

  beforeAll(async () => {
    cluster = await openTestCluster();
    directory = mkdtempSync(join(tmpdir(), 'strata-kubectl-'));
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const run = randomBytes(3).toString('hex');
    namespace = `kubectl-${run}`;
    storageClass = `fast-${run}`;
    await kubectl('create', 'namespace', namespace);
    return async () => {
      await kubectl('delete', 'namespace', namespace, '--wait=false');
      await kubectl('delete', 'storageclass', storageClass, '--ignore-not-found');
    };
  });

  const kubectl = (...args: string[]): Promise<KubectlRun> => kubectlWith(cluster.kubeconfigPath, directory)(...args);

  function manifests(name: string, storage: string): string {
    const path = join(directory, `${name}.yaml`);
    writeFileSync(
      path,
      `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${storageClass}
provisioner: ebs.csi.aws.com
allowVolumeExpansion: true
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: ${namespace}
  labels:
    app: postgres
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ${storageClass}
  resources:
    requests:
      storage: ${storage}
`,
    );
    return path;
  }

  /** The claim as `kubectl get -o json` prints it: the fields these tests read. */
  interface ClaimJson {
    metadata: Record<string, unknown> & { uid: string; finalizers?: string[] };
    spec: { volumeName?: string };
    status: Record<string, unknown>;
  }

  async function claimJson(): Promise<ClaimJson> {
    return JSON.parse((await kubectl('get', 'pvc', 'data', '-n', namespace, '-o', 'json')).stdout) as ClaimJson;
  }

  async function applyAndBind(): Promise<void> {
    const run = await kubectl('apply', '--server-side', '-f', manifests('base', '10Gi'));
    expect(run.stderr).toBe('');
    await waitFor('the claim to bind', async () => (await claimJson()).status.phase === 'Bound');
  }

  it('applies a StorageClass and a PVC with --server-side', async () => {
    const run = await kubectl('apply', '--server-side', '-f', manifests('base', '10Gi'));
    expect(run).toMatchObject({
      code: 0,
      stdout: `storageclass.storage.k8s.io/${storageClass} serverside-applied\npersistentvolumeclaim/data serverside-applied\n`,
    });
  });

  it('shows the claim bound by the PV controller to the volume the storage driver provisioned, with kubectl as its field manager', async () => {
    await applyAndBind();
    const run = await kubectl('get', 'pvc', 'data', '-n', namespace, '-o', 'json', '--show-managed-fields');
    const claim = JSON.parse(run.stdout) as ClaimJson & { metadata: { managedFields: { manager: string }[] } };
    expect(claim.status).toMatchObject({ phase: 'Bound', capacity: { storage: '10Gi' } });
    expect(claim.spec.volumeName).toBe(`pvc-${claim.metadata.uid}`);
    expect(claim.metadata.managedFields[0]).toMatchObject({
      manager: 'kubectl',
      operation: 'Apply',
      fieldsType: 'FieldsV1',
    });
    // The real controllers write too: the binder's annotations and status are theirs, not kubectl's.
    expect(claim.metadata.managedFields.map((entry) => entry.manager)).toContain('kube-controller-manager');
  });

  it('prints the server-side PVC columns for kubectl get', async () => {
    await applyAndBind();
    const run = await kubectl('get', 'pvc', 'data', '-n', namespace);
    const [header, row] = run.stdout
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s{2,}/));
    expect(header).toEqual([
      'NAME',
      'STATUS',
      'VOLUME',
      'CAPACITY',
      'ACCESS MODES',
      'STORAGECLASS',
      'VOLUMEATTRIBUTESCLASS',
      'AGE',
    ]);
    expect(row).toEqual([
      'data',
      'Bound',
      expect.stringMatching(/^pvc-/),
      '10Gi',
      'RWO',
      storageClass,
      '<unset>',
      expect.stringMatching(/^\d+s$/),
    ]);
  });

  it('diffs nothing (exit 0) when the files match the cluster', async () => {
    await applyAndBind();
    expect(await kubectl('diff', '--server-side', '-f', manifests('same', '10Gi'))).toMatchObject({
      code: 0,
      stdout: '',
    });
  });

  it('shows the change (exit 1) when a file differs', async () => {
    await applyAndBind();
    const run = await kubectl('diff', '--server-side', '-f', manifests('grow', '20Gi'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('-      storage: 10Gi\n+      storage: 20Gi');
  });

  it('fails a PVC shrink with the real message', async () => {
    await applyAndBind();
    const run = await kubectl('apply', '--server-side', '-f', manifests('shrink', '5Gi'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'The PersistentVolumeClaim "data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity\n',
    );
  });

  it('refuses to change a StorageClass parameter, as every real cluster does', async () => {
    await kubectl('apply', '--server-side', '-f', manifests('base', '10Gi'));
    const run = await kubectl(
      'patch',
      'storageclass',
      storageClass,
      '--type',
      'merge',
      '-p',
      '{"parameters":{"type":"gp3"}}',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `The StorageClass "${storageClass}" is invalid: parameters: Forbidden: updates to parameters are forbidden.\n`,
    );
  });

  // The protection controller works through a queue: with another test's thousand claims going at once, it can be slow.
  it(
    'deletes a claim no pod uses: its protection finalizer is removed by the controller, and kubectl delete waits for that',
    { timeout: 90_000 },
    async () => {
      await applyAndBind();
      expect((await claimJson()).metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
      const run = await kubectl('delete', 'pvc', 'data', '-n', namespace, '--timeout=75s');
      expect(run).toMatchObject({ code: 0, stdout: 'persistentvolumeclaim "data" deleted\n' });
      expect((await kubectl('get', 'pvc', 'data', '-n', namespace)).stderr).toContain('"data" not found');
    },
  );
});
