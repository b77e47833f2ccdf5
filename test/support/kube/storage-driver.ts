/**
 * TEST-ONLY STAND-IN FOR A STORAGE VENDOR'S CSI DRIVER. It is not part of Kubernetes and not part of strata.
 *
 * No CSI driver runs here, so this plays the two sidecars a real one ships, through the real API and nothing else:
 * - external-provisioner: for a claim the PV controller has handed to one of `PROVISIONERS` (annotation
 *   `volume.kubernetes.io/storage-provisioner`), it creates a PersistentVolume pre-bound to the claim; the real PV
 *   controller then binds the pair. A WaitForFirstConsumer claim waits for `volume.kubernetes.io/selected-node`, which
 *   the scheduler would set (tests set it with `scheduleClaim`). A released volume of a `Delete` class is deleted.
 * - external-resizer and the kubelet's part of a resize: for a bound claim whose volume is the driver's and that asks
 *   for more than it has, it grows the volume, then the file system, each after a delay, writing
 *   the conditions and allocated-resource statuses the real ones write. Some provisioner names make a resize stall at
 *   `FileSystemResizePending` or fail with `ControllerResizeError`, as real ones can.
 * - the CSI snapshotter (snapshot-controller with the driver's csi-snapshotter): it installs the project's own minimal
 *   snapshot CRDs (`crds/volume-snapshots.yaml`), and for a VolumeSnapshot of a bound claim whose volume is the
 *   driver's it writes a VolumeSnapshotContent and marks the snapshot `readyToUse` with the claim's capacity as
 *   `restoreSize`; a snapshot of a missing claim gets `status.error`, and a deleted snapshot's content is deleted. A
 *   claim restored from a snapshot (`dataSource`) is provisioned once the snapshot is ready. No data is copied: the
 *   volumes here hold none.
 */
import { readFileSync } from 'node:fs';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  ApiextensionsV1Api,
  KubeConfig,
  PatchStrategy,
  StorageV1Api,
  makeInformer,
  setHeaderOptions,
  type V1PersistentVolume,
  type V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { kubeconfigYaml, type ClusterAccess } from './control-plane.js';

type ResizeBehaviour = 'completes' | 'stalls-at-file-system' | 'fails';

/** Provisioner names this driver answers for, and what a resize does on each. */
export const PROVISIONERS: Record<string, ResizeBehaviour> = {
  'ebs.csi.aws.com': 'completes',
  'pd.csi.storage.gke.io': 'completes',
  'stalls-resize.test.strata.dev': 'stalls-at-file-system',
  'fails-resize.test.strata.dev': 'fails',
};

export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
/** How long each half of a resize takes by default, like a cloud volume modification followed by resize2fs. */
const RESIZE_STEP_MS = 300;
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';
const SNAPSHOT_CRDS = new URL('./crds/volume-snapshots.yaml', import.meta.url);

interface VolumeSnapshot {
  metadata?: { name?: string; namespace?: string; uid?: string; deletionTimestamp?: unknown };
  spec?: { volumeSnapshotClassName?: string; source?: { persistentVolumeClaimName?: string } };
  status?: { readyToUse?: boolean; error?: { message?: string } };
}

export interface StorageDriver {
  stop(): void;
}

export async function startStorageDriver(
  access: ClusterAccess,
  options: { resizeStepMs?: number } = {},
): Promise<StorageDriver> {
  const resizeStepMs = options.resizeStepMs ?? RESIZE_STEP_MS;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(
    kubeconfigYaml(access.server, access.caCert, 'strata-test-storage-driver', access.adminToken),
  );
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const storage = kubeConfig.makeApiClient(StorageV1Api);
  const inFlight = new Set<string>();
  let stopped = false;
  await installSnapshotCrds(kubeConfig);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);

  const informer = makeInformer(kubeConfig, '/api/v1/persistentvolumeclaims', () =>
    core.listPersistentVolumeClaimForAllNamespaces(),
  );
  const onClaim = (claim: V1PersistentVolumeClaim): void => {
    const key = `${claim.metadata?.namespace}/${claim.metadata?.name}`;
    if (stopped || inFlight.has(key)) return;
    inFlight.add(key);
    reconcile(claim)
      .catch((error: unknown) => process.stderr.write(`test storage driver: ${key}: ${(error as Error).message}\n`))
      .finally(() => inFlight.delete(key));
  };
  informer.on('add', onClaim);
  informer.on('update', onClaim);
  informer.on('error', () => {
    if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 500);
  });
  await informer.start();

  // external-provisioner's other half: a released volume whose class said Delete is deleted with its disk.
  const volumes = makeInformer(kubeConfig, '/api/v1/persistentvolumes', () => core.listPersistentVolume());
  const onVolume = (volume: V1PersistentVolume): void => {
    const driver = volume.spec?.csi?.driver;
    if (
      stopped ||
      !driver ||
      !PROVISIONERS[driver] ||
      volume.status?.phase !== 'Released' ||
      volume.spec?.persistentVolumeReclaimPolicy !== 'Delete'
    )
      return;
    core.deletePersistentVolume({ name: volume.metadata!.name! }).catch(() => undefined);
  };
  volumes.on('add', onVolume);
  volumes.on('update', onVolume);
  volumes.on('error', () => {
    if (!stopped) setTimeout(() => void volumes.start().catch(() => undefined), 500);
  });
  await volumes.start();

  const snapshots = makeInformer(
    kubeConfig,
    `/apis/${SNAPSHOT_GROUP}/v1/volumesnapshots`,
    () => custom.listClusterCustomObject({ group: SNAPSHOT_GROUP, version: 'v1', plural: 'volumesnapshots' }) as never,
  );
  const onSnapshot = (snapshot: VolumeSnapshot): void => {
    const key = `snapshot ${snapshot.metadata?.namespace}/${snapshot.metadata?.name}`;
    if (stopped || inFlight.has(key) || snapshot.status?.readyToUse || snapshot.status?.error) return;
    inFlight.add(key);
    takeSnapshot(snapshot)
      .catch((error: unknown) => process.stderr.write(`test storage driver: ${key}: ${(error as Error).message}\n`))
      .finally(() => inFlight.delete(key));
  };
  snapshots.on('add', onSnapshot);
  snapshots.on('update', onSnapshot);
  snapshots.on('delete', (snapshot: VolumeSnapshot) => {
    if (stopped) return;
    // deletionPolicy Delete: the snapshot's content (and, on a real cloud, the disk snapshot) goes with it.
    custom
      .deleteClusterCustomObject({
        group: SNAPSHOT_GROUP,
        version: 'v1',
        plural: 'volumesnapshotcontents',
        name: `snapcontent-${snapshot.metadata!.uid}`,
      })
      .catch(() => undefined);
  });
  snapshots.on('error', () => {
    if (!stopped) setTimeout(() => void snapshots.start().catch(() => undefined), 500);
  });
  await snapshots.start();

  async function takeSnapshot(snapshot: VolumeSnapshot): Promise<void> {
    const { namespace, name, uid } = snapshot.metadata as { namespace: string; name: string; uid: string };
    const patchStatus = (status: object) =>
      custom.patchNamespacedCustomObjectStatus(
        { group: SNAPSHOT_GROUP, version: 'v1', namespace, plural: 'volumesnapshots', name, body: { status } },
        MERGE,
      );
    const claimName = snapshot.spec?.source?.persistentVolumeClaimName ?? '';
    const claim = await core.readNamespacedPersistentVolumeClaim({ namespace, name: claimName }).catch(() => undefined);
    if (!claim) {
      await patchStatus({
        readyToUse: false,
        error: { message: `PersistentVolumeClaim "${claimName}" not found`, time: new Date().toISOString() },
      });
      return;
    }
    // A claim that is not bound yet, or whose volume another driver holds, is not this snapshotter's to take.
    if (claim.status?.phase !== 'Bound' || !claim.spec?.volumeName) return;
    const volume = await core.readPersistentVolume({ name: claim.spec.volumeName });
    const driver = volume.spec?.csi?.driver;
    if (!driver || !PROVISIONERS[driver]) return;
    const content = `snapcontent-${uid}`;
    await custom
      .createClusterCustomObject({
        group: SNAPSHOT_GROUP,
        version: 'v1',
        plural: 'volumesnapshotcontents',
        body: {
          apiVersion: `${SNAPSHOT_GROUP}/v1`,
          kind: 'VolumeSnapshotContent',
          metadata: { name: content },
          spec: {
            driver,
            deletionPolicy: 'Delete',
            source: { volumeHandle: volume.spec!.csi!.volumeHandle },
            volumeSnapshotRef: { apiVersion: `${SNAPSHOT_GROUP}/v1`, kind: 'VolumeSnapshot', namespace, name, uid },
            ...(snapshot.spec?.volumeSnapshotClassName
              ? { volumeSnapshotClassName: snapshot.spec.volumeSnapshotClassName }
              : {}),
          },
        },
      })
      .catch((error: unknown) => {
        if ((error as { code?: number }).code !== 409) throw error;
      });
    await patchStatus({
      boundVolumeSnapshotContentName: content,
      creationTime: new Date().toISOString(),
      readyToUse: true,
      restoreSize: claim.status?.capacity?.storage ?? claim.spec.resources?.requests?.storage,
    });
  }

  /** external-provisioner restores from a snapshot only once it is ready to use. */
  async function snapshotReady(claim: V1PersistentVolumeClaim): Promise<boolean> {
    const source = claim.spec?.dataSource;
    if (source?.kind !== 'VolumeSnapshot' || source.apiGroup !== SNAPSHOT_GROUP) return true;
    const snapshot = (await custom
      .getNamespacedCustomObject({
        group: SNAPSHOT_GROUP,
        version: 'v1',
        namespace: claim.metadata!.namespace!,
        plural: 'volumesnapshots',
        name: source.name,
      })
      .catch(() => undefined)) as VolumeSnapshot | undefined;
    return snapshot?.status?.readyToUse === true;
  }

  async function reconcile(claim: V1PersistentVolumeClaim): Promise<void> {
    const annotations = claim.metadata?.annotations ?? {};
    const provisioner = annotations[STORAGE_PROVISIONER];
    if (provisioner && PROVISIONERS[provisioner] && !claim.spec?.volumeName && !claim.metadata?.deletionTimestamp) {
      await provision(claim, provisioner);
      return;
    }
    if (claim.status?.phase !== 'Bound' || !claim.spec?.volumeName || !growing(claim)) return;
    // external-resizer takes the claims whose volume belongs to its driver; the expand controller only says so in an event.
    const driver = (await core.readPersistentVolume({ name: claim.spec.volumeName })).spec?.csi?.driver;
    if (driver && PROVISIONERS[driver]) await resize(claim, PROVISIONERS[driver]);
  }

  async function provision(claim: V1PersistentVolumeClaim, provisioner: string): Promise<void> {
    const className = claim.spec?.storageClassName;
    if (!className) return;
    // A claim whose class is gone (a test's cleanup) waits, as it would for a real provisioner.
    const storageClass = await storage.readStorageClass({ name: className }).catch(() => undefined);
    if (!storageClass) return;
    if (storageClass.volumeBindingMode === 'WaitForFirstConsumer' && !claim.metadata?.annotations?.[SELECTED_NODE])
      return;
    if (!(await snapshotReady(claim))) return;
    const name = `pvc-${claim.metadata!.uid}`;
    const exists = await core.readPersistentVolume({ name }).then(
      () => true,
      () => false,
    );
    if (exists) return;
    await core.createPersistentVolume({
      body: {
        metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': provisioner } },
        spec: {
          capacity: { storage: claim.spec!.resources!.requests!.storage! },
          accessModes: claim.spec!.accessModes,
          volumeMode: claim.spec!.volumeMode,
          storageClassName: className,
          persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            namespace: claim.metadata!.namespace,
            name: claim.metadata!.name,
            uid: claim.metadata!.uid,
          },
          csi: { driver: provisioner, volumeHandle: `vol-${claim.metadata!.uid}` },
        },
      },
    });
  }

  async function resize(claim: V1PersistentVolumeClaim, behaviour: ResizeBehaviour): Promise<void> {
    const wanted = claim.spec!.resources!.requests!.storage!;
    const volumeName = claim.spec!.volumeName!;
    const { namespace, name } = claim.metadata as { namespace: string; name: string };
    const patchStatus = (status: object) =>
      core.patchNamespacedPersistentVolumeClaimStatus({ namespace, name, body: { status } }, MERGE);
    const condition = (type: string, message?: string) => [
      { type, status: 'True', lastTransitionTime: new Date().toISOString(), ...(message ? { message } : {}) },
    ];

    await patchStatus({
      allocatedResources: { storage: wanted },
      allocatedResourceStatuses: { storage: 'ControllerResizeInProgress' },
      conditions: condition('Resizing'),
    });
    await delay(resizeStepMs);
    if (behaviour === 'fails') {
      await patchStatus({
        allocatedResourceStatuses: { storage: 'ControllerResizeInfeasible' },
        conditions: condition(
          'ControllerResizeError',
          `resize volume "${volumeName}" by resizer "test" failed: the volume cannot grow (test driver)`,
        ),
      });
      return;
    }
    await core.patchPersistentVolume({ name: volumeName, body: { spec: { capacity: { storage: wanted } } } }, MERGE);
    await patchStatus({
      allocatedResourceStatuses: { storage: 'NodeResizePending' },
      conditions: condition('FileSystemResizePending'),
    });
    if (behaviour === 'stalls-at-file-system') return;
    await delay(resizeStepMs);
    await patchStatus({ capacity: { storage: wanted }, allocatedResourceStatuses: null, conditions: null });
  }

  return {
    stop() {
      stopped = true;
      void informer.stop();
      void volumes.stop();
      void snapshots.stop();
    },
  };
}

/** Asked for more than it has, and not yet taken up by a resize (allocatedResources records the one under way). */
function growing(claim: V1PersistentVolumeClaim): boolean {
  const wanted = claim.spec?.resources?.requests?.storage;
  return (
    wanted !== undefined &&
    wanted !== claim.status?.capacity?.storage &&
    wanted !== claim.status?.allocatedResources?.storage
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Server-side apply under the driver's own field manager: every start (and every parallel cluster) converges. */
async function installSnapshotCrds(kubeConfig: KubeConfig): Promise<void> {
  const objects = kubeConfig.makeApiClient(KubernetesObjectApi);
  const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const documents = parseAllDocuments(readFileSync(SNAPSHOT_CRDS, 'utf8')).map(
    (document) => document.toJS() as { metadata: { name: string } },
  );
  for (const crd of documents)
    await objects.patch(crd, undefined, undefined, 'strata-test-storage-driver', true, PatchStrategy.ServerSideApply);
  for (const { metadata } of documents) {
    for (let attempt = 0; ; attempt += 1) {
      const read = await extensions.readCustomResourceDefinition({ name: metadata.name });
      if (read.status?.conditions?.some((condition) => condition.type === 'Established' && condition.status === 'True'))
        break;
      if (attempt > 100) throw new Error(`CRD ${metadata.name} not established after 10 s`);
      await delay(100);
    }
  }
}
