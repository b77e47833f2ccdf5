import { describe, expect, it } from 'vitest';
import { observeObject, resizeState } from '../../../src/providers/kubernetes/decode.js';
import { manifestFor } from '../../../src/providers/kubernetes/manifests.js';
import type { BackupCronJobSpec } from '../../../src/model/resources.js';

const owned = { 'app.kubernetes.io/managed-by': 'strata', 'strata.dev/environment': 'prod' };

describe('decoding Kubernetes objects into specs', () => {
  it('fills the StorageClass defaults the server applies (Delete, Immediate, no expansion)', () => {
    const observed = observeObject(
      'StorageClass',
      { metadata: { name: 'standard', resourceVersion: '7' }, provisioner: 'ebs.csi.aws.com' },
      'prod',
    );
    expect(observed.spec).toEqual({
      provisioner: 'ebs.csi.aws.com',
      parameters: {},
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: false,
      mountOptions: [],
    });
    expect(observed.version).toBe('7');
  });

  it("fingerprints what strata manages: a status write or another tool's annotation leaves it, a spec or owner change moves it", () => {
    const claim = (edit: {
      size?: string;
      phase?: string;
      annotations?: Record<string, string>;
      labels?: Record<string, string>;
      resourceVersion: string;
    }) =>
      observeObject(
        'PersistentVolumeClaim',
        {
          metadata: {
            name: 'data',
            namespace: 'codequal-prod',
            labels: edit.labels ?? owned,
            annotations: edit.annotations,
            resourceVersion: edit.resourceVersion,
          },
          spec: {
            storageClassName: 'fast-ssd',
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: edit.size ?? '50Gi' } },
          },
          status: { phase: edit.phase ?? 'Pending' },
        },
        'prod',
      ).fingerprint;
    const planned = claim({ resourceVersion: '10' });

    expect(claim({ phase: 'Bound', resourceVersion: '11' })).toBe(planned);
    expect(claim({ annotations: { 'pv.kubernetes.io/bind-completed': 'yes' }, resourceVersion: '12' })).toBe(planned);
    expect(claim({ size: '60Gi', resourceVersion: '13' })).not.toBe(planned);
    expect(claim({ labels: {}, resourceVersion: '14' })).not.toBe(planned);
  });

  it("takes a claim's size from its request and keeps its phase and capacity apart", () => {
    const observed = observeObject(
      'PersistentVolumeClaim',
      {
        metadata: { name: 'deepwiki-data', namespace: 'codequal-prod', labels: owned },
        spec: {
          storageClassName: 'fast-ssd',
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '50Gi' } },
        },
        status: { phase: 'Bound', capacity: { storage: '50Gi' } },
      },
      'prod',
    );
    expect(observed.address).toEqual({
      system: 'kubernetes',
      kind: 'PersistentVolumeClaim',
      namespace: 'codequal-prod',
      name: 'deepwiki-data',
    });
    expect(observed.spec).toMatchObject({ size: '50Gi', volumeMode: 'Filesystem', storageClassName: 'fast-ssd' });
    expect(observed.status).toEqual({ phase: 'Bound', capacity: '50Gi' });
    expect(observed.owned).toBe(true);
  });

  it('owns only objects labelled for the same environment', () => {
    const labels = { ...owned, 'strata.dev/environment': 'staging' };
    const observed = observeObject('Namespace', { metadata: { name: 'codequal-prod', labels } }, 'prod');
    expect(observed.owned).toBe(false);
  });

  it("leaves strata's ownership labels out of a namespace's declared labels", () => {
    const observed = observeObject(
      'Namespace',
      { metadata: { name: 'codequal-prod', labels: { ...owned, team: 'platform' } } },
      'prod',
    );
    expect(observed.spec).toEqual({ labels: { team: 'platform' } });
  });

  it('reads back every field of a backup CronJob it wrote', () => {
    const spec: BackupCronJobSpec = {
      schedule: '0 2 * * *',
      timeZone: 'Etc/UTC',
      volume: 'deepwiki-data',
      destination: { bucket: 'akosha-backups-prod', prefix: 'deepwiki/' },
      keepDays: 30,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      activeDeadlineSeconds: 3600,
      image: 'docker.io/amazon/aws-cli:2.17.0',
      credentials: { serviceAccount: 'backup-writer' },
      s3: { region: 'us-west-2', endpoint: 'https://s3.example.test', forcePathStyle: true },
      serviceAccount: 'strata-backup-deepwiki-nightly',
      kubectlImage: 'registry.k8s.io/kubectl:v1.34.4',
      volumeSnapshotClass: 'csi-snapshots',
      suspend: false,
    };
    const address = {
      system: 'kubernetes',
      kind: 'CronJob',
      namespace: 'codequal-prod',
      name: 'deepwiki-nightly',
    } as const;
    const manifest = manifestFor(address, spec, 'prod');
    expect(observeObject('CronJob', manifest, 'prod').spec).toEqual(spec);
  });

  it("defaults a foreign CronJob's policy fields as batch/v1 does", () => {
    const observed = observeObject(
      'CronJob',
      { metadata: { name: 'x', namespace: 'n' }, spec: { schedule: '@daily' } },
      'prod',
    );
    expect(observed.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      suspend: false,
    });
  });
});

describe('field owners and the entries other writers own', () => {
  const managedFields = [
    { manager: 'strata', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } } },
    {
      manager: 'kubectl-label',
      operation: 'Update',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:pod-security.kubernetes.io/enforce': {} } } },
    },
  ];
  const namespace = {
    metadata: {
      name: 'codequal-prod',
      labels: { team: 'codequal', 'pod-security.kubernetes.io/enforce': 'restricted' },
      managedFields,
    },
  };

  it('names the writers of each attribute, by the path plans use', () => {
    const claim = {
      metadata: {
        name: 'data',
        namespace: 'codequal-prod',
        managedFields: [
          {
            manager: 'strata',
            operation: 'Apply',
            fieldsV1: { 'f:spec': { 'f:accessModes': {}, 'f:storageClassName': {} } },
          },
          {
            manager: 'kubectl-edit',
            operation: 'Update',
            fieldsV1: { 'f:spec': { 'f:resources': { 'f:requests': { 'f:storage': {} } } } },
          },
        ],
      },
      spec: { storageClassName: 'gp3', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '150Gi' } } },
    };
    expect(observeObject('PersistentVolumeClaim', claim, 'prod').fieldOwners).toEqual({
      accessModes: ['strata'],
      storageClassName: ['strata'],
      size: ['kubectl-edit'],
    });
  });

  it('lists the owners of each label on its own', () => {
    expect(observeObject('Namespace', namespace, 'prod').fieldOwners).toEqual({
      'labels.team': ['strata'],
      'labels["pod-security.kubernetes.io/enforce"]': ['kubectl-label'],
    });
  });

  it('sets apart the labels strata does not own, as kept as found', () => {
    expect(observeObject('Namespace', namespace, 'prod').spec).toEqual({
      labels: { team: 'codequal' },
      unmanagedLabels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    });
  });

  it('sets apart the quota limits another writer set', () => {
    const quota = {
      metadata: {
        name: 'storage',
        namespace: 'codequal-prod',
        managedFields: [
          { manager: 'strata', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:hard': { 'f:requests.storage': {} } } } },
          {
            manager: 'kubectl-patch',
            operation: 'Update',
            fieldsV1: { 'f:spec': { 'f:hard': { 'f:count/pods': {} } } },
          },
        ],
      },
      spec: { hard: { 'requests.storage': '500Gi', 'count/pods': '20' } },
    };
    expect(observeObject('ResourceQuota', quota, 'prod').spec).toEqual({
      hard: { 'requests.storage': '500Gi' },
      unmanagedHard: { 'count/pods': '20' },
    });
  });

  it('knows nothing of owners without managedFields, and then sets nothing apart', () => {
    const observed = observeObject('Namespace', { metadata: { name: 'n', labels: { team: 'x' } } }, 'prod');
    expect(observed.fieldOwners).toBeUndefined();
    expect(observed.spec).toEqual({ labels: { team: 'x' } });
  });
});

describe('where a resize stands, as external-resizer and the kubelet write it', () => {
  const claim = (status: Record<string, unknown>, requested = '20Gi') => ({
    metadata: { name: 'data', namespace: 'codequal-prod' },
    spec: { resources: { requests: { storage: requested } } },
    status: { phase: 'Bound', capacity: { storage: '10Gi' }, ...status },
  });

  it('is done once status.capacity holds the request, compared by value', () => {
    expect(resizeState(claim({ capacity: { storage: '1Ti' } }, '1024Gi'))?.state).toBe('done');
  });

  it('is in progress while the driver works on it', () => {
    expect(
      resizeState(
        claim({
          allocatedResourceStatuses: { storage: 'ControllerResizeInProgress' },
          conditions: [{ type: 'Resizing' }],
        }),
      ),
    ).toMatchObject({
      state: 'in-progress',
      detail: 'Resizing',
    });
  });

  it('waits on the file system once the volume grew', () => {
    expect(resizeState(claim({ conditions: [{ type: 'FileSystemResizePending' }] }))?.state).toBe(
      'file-system-pending',
    );
    expect(resizeState(claim({ allocatedResourceStatuses: { storage: 'NodeResizePending' } }))?.state).toBe(
      'file-system-pending',
    );
  });

  it("has failed with the driver's message, or with an infeasible allocation", () => {
    expect(
      resizeState(claim({ conditions: [{ type: 'ControllerResizeError', message: 'quota exceeded in zone' }] })),
    ).toMatchObject({
      state: 'failed',
      detail: 'quota exceeded in zone',
    });
    expect(resizeState(claim({ allocatedResourceStatuses: { storage: 'NodeResizeInfeasible' } }))?.state).toBe(
      'failed',
    );
  });

  it('does not apply to a claim that is not bound', () => {
    expect(resizeState({ ...claim({}), status: { phase: 'Pending' } })).toBeUndefined();
  });
});
