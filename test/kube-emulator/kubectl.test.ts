/** Fidelity: the real kubectl against the emulator. Skipped, with the reason printed, where kubectl is missing. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeEmulator, type KubeEmulator } from '../support/kube-emulator/index.js';

const KUBECTL = '/usr/bin/kubectl';
const hasKubectl = existsSync(KUBECTL);
if (!hasKubectl) console.warn(`kubectl fidelity tests skipped: ${KUBECTL} is not installed`);

const manifests = (storage: string) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: ebs.csi.aws.com
allowVolumeExpansion: true
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: default
  labels:
    app: postgres
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  resources:
    requests:
      storage: ${storage}
`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe.skipIf(!hasKubectl)('kubectl against the Kubernetes API emulator', () => {
  let emulator: KubeEmulator;
  let directory: string;

  beforeEach(async () => {
    emulator = await startKubeEmulator();
    directory = mkdtempSync(join(tmpdir(), 'strata-kubectl-'));
  });

  afterEach(async () => {
    await emulator?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  function kubectl(...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        KUBECTL,
        args,
        { env: { PATH: process.env.PATH, HOME: directory, KUBECONFIG: emulator.kubeconfigPath, KUBECACHEDIR: join(directory, 'cache') }, timeout: 20_000 },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  }

  function file(name: string, storage: string): string {
    const path = join(directory, name);
    writeFileSync(path, manifests(storage));
    return path;
  }

  function writeJson(name: string, object: object): string {
    const path = join(directory, name);
    writeFileSync(path, JSON.stringify(object));
    return path;
  }

  async function applyBase(): Promise<Run> {
    return kubectl('apply', '--server-side', '-f', file('base.yaml', '10Gi'));
  }

  it('applies a StorageClass and a PVC with --server-side', async () => {
    const run = await applyBase();
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('storageclass.storage.k8s.io/fast serverside-applied\npersistentvolumeclaim/data serverside-applied\n');
  });

  it('reads the bound PVC back as JSON with kubectl as its field manager', async () => {
    await applyBase();
    const run = await kubectl('get', 'pvc', 'data', '-n', 'default', '-o', 'json', '--show-managed-fields');
    const claim = JSON.parse(run.stdout);
    expect(claim.status).toMatchObject({ phase: 'Bound', capacity: { storage: '10Gi' } });
    expect(claim.metadata.managedFields[0]).toMatchObject({ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1' });
  });

  it('prints the server-side PVC columns for kubectl get', async () => {
    await applyBase();
    const run = await kubectl('get', 'pvc', 'data', '-n', 'default');
    const [header, row] = run.stdout.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));
    expect(header).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(row).toEqual(['data', 'Bound', expect.stringMatching(/^pvc-/), '10Gi', 'RWO', 'fast', '<unset>', expect.stringMatching(/^\d+s$/)]);
  });

  it('prints the server-side Event columns for kubectl get events, and the wide ones with -o wide', async () => {
    const at = new Date().toISOString();
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'data.1', namespace: 'default' },
      involvedObject: { kind: 'PersistentVolumeClaim', name: 'data', namespace: 'default' },
      type: 'Normal',
      reason: 'Updated',
      message: 'set size 10Gi → 20Gi',
      source: { component: 'strata', host: 'laptop' },
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    };
    await kubectl('create', '-f', writeJson('event.json', event));
    const [header, row] = (await kubectl('get', 'events', '-n', 'default')).stdout.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));
    expect(header).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(row).toEqual([expect.stringMatching(/^\d+s$/), 'Normal', 'Updated', 'persistentvolumeclaim/data', 'set size 10Gi → 20Gi']);
    const [wideHeader, wideRow] = (await kubectl('get', 'events', '-n', 'default', '-o', 'wide')).stdout.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));
    expect(wideHeader).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
    // SUBOBJECT is empty, so splitting on runs of spaces leaves no cell for it.
    expect(wideRow?.slice(4, 6)).toEqual(['strata, laptop', 'set size 10Gi → 20Gi']);
    expect(wideRow?.slice(-2)).toEqual(['1', 'data.1']);
  });

  it('diffs nothing (exit 0) when the files match the cluster', async () => {
    await applyBase();
    const run = await kubectl('diff', '--server-side', '-f', file('same.yaml', '10Gi'));
    expect(run).toMatchObject({ code: 0, stdout: '' });
  });

  it('shows the change (exit 1) when a file differs', async () => {
    await applyBase();
    const run = await kubectl('diff', '--server-side', '-f', file('grow.yaml', '20Gi'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('-      storage: 10Gi\n+      storage: 20Gi');
  });

  it('fails a PVC shrink with the real message', async () => {
    await applyBase();
    const run = await kubectl('apply', '--server-side', '-f', file('shrink.yaml', '5Gi'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'The PersistentVolumeClaim "data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity\n',
    );
  });

  it('deletes: the StorageClass at once, the PVC kept terminating by its finalizer', async () => {
    await applyBase();
    const storageClass = await kubectl('delete', 'storageclass', 'fast');
    expect(storageClass.stdout).toBe('storageclass.storage.k8s.io "fast" deleted\n');
    const claim = await kubectl('delete', 'pvc', 'data', '-n', 'default', '--wait=false');
    expect(claim.stdout).toBe('persistentvolumeclaim "data" deleted\n');
    const read = JSON.parse((await kubectl('get', 'pvc', 'data', '-n', 'default', '-o', 'json')).stdout);
    expect(read.metadata.deletionTimestamp).toBeDefined();
    expect(read.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
  });

  it('waits in kubectl delete until the finalizer is removed, as the protection controller would', async () => {
    await applyBase();
    const deletion = kubectl('delete', 'pvc', 'data', '-n', 'default', '--timeout=15s');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const response = await fetch(`${emulator.url}/api/v1/namespaces/default/persistentvolumeclaims/data`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { finalizers: null } }),
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status).toBe(200);
    expect(await deletion).toMatchObject({ code: 0, stdout: 'persistentvolumeclaim "data" deleted\n' });
  });
});
