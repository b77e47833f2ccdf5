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
 */
import {
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  StorageV1Api,
  makeInformer,
  setHeaderOptions,
  type V1PersistentVolume,
  type V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
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
