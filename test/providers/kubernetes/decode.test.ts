import { describe, expect, it } from 'vitest';
import { observeObject, resizeState } from '../../../src/providers/kubernetes/decode.js';
import { manifestFor } from '../../../src/providers/kubernetes/manifests.js';
import type { AlertRuleSpec, BackupCronJobSpec, PrometheusRuleSpec, SpecByKind } from '../../../src/model/resources.js';

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

  describe('a backup CronJob it wrote', () => {
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
    type Written = {
      metadata: Record<string, unknown>;
      spec: { jobTemplate: { spec: { template: { spec: Record<string, unknown> } } } };
    };
    const written = () => structuredClone(manifestFor(address, spec, 'prod')) as unknown as Written;
    const podOf = (cronJob: Written) => cronJob.spec.jobTemplate.spec.template.spec;
    const backupContainer = (cronJob: Written) => (podOf(cronJob).containers as Record<string, unknown>[])[0]!;

    it('reads back every field', () => {
      expect(observeObject('CronJob', manifestFor(address, spec, 'prod'), 'prod').spec).toEqual(spec);
    });

    // The Job a run makes is not read back field by field: where it is not strata's, the spec says so.
    it('reads as edited where its script was changed', () => {
      const cronJob = written();
      backupContainer(cronJob).args = ['echo skipped'];

      expect(observeObject('CronJob', cronJob, 'prod').spec).toEqual({
        ...spec,
        editedTemplate: ['spec.template.spec.containers[backup].args'],
      });
    });

    it('reads as edited where the copy pod it creates was changed', () => {
      const cronJob = written();
      const env = backupContainer(cronJob).env as { name: string; value?: string }[];
      const copyPod = env.find((variable) => variable.name === 'COPY_POD')!;
      copyPod.value = copyPod.value!.replace('aws s3 sync', 'true');

      expect(observeObject('CronJob', cronJob, 'prod').spec).toMatchObject({
        editedTemplate: ['spec.template.spec.containers[backup].env[COPY_POD].value'],
      });
    });

    it('names the writer of the edited fields, not every writer of the template', () => {
      const cronJob = written();
      backupContainer(cronJob).args = ['echo skipped'];
      (backupContainer(cronJob).env as Record<string, unknown>[]).push({ name: 'HTTPS_PROXY', value: 'http://proxy' });
      const container = (fields: Record<string, unknown>) => ({
        'f:spec': {
          'f:jobTemplate': {
            'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"backup"}': fields } } } },
          },
        },
      });
      const managedFields = [
        { manager: 'strata', operation: 'Apply', fieldsV1: container({ 'f:image': {}, 'f:env': {} }) },
        { manager: 'kubectl-patch', operation: 'Update', fieldsV1: container({ 'f:args': {} }) },
        {
          manager: 'kubectl-set',
          operation: 'Update',
          fieldsV1: container({ 'f:env': { 'k:{"name":"HTTPS_PROXY"}': { 'f:value': {} } } }),
        },
      ];
      const object = { ...cronJob, metadata: { ...cronJob.metadata, managedFields } };

      expect(observeObject('CronJob', object, 'prod').fieldOwners?.editedTemplate).toEqual(['kubectl-patch']);
    });

    it("keeps the API server's defaults and what other writers append out of it", () => {
      const cronJob = written();
      const container = backupContainer(cronJob);
      Object.assign(podOf(cronJob), { dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' });
      container.imagePullPolicy = 'IfNotPresent';
      (container.env as Record<string, unknown>[]).push({ name: 'HTTPS_PROXY', value: 'http://proxy:3128' });
      (container.env as { valueFrom?: { fieldRef?: Record<string, string> } }[])[0]!.valueFrom!.fieldRef!.apiVersion =
        'v1';

      expect(observeObject('CronJob', cronJob, 'prod').spec).toEqual(spec);
    });
  });

  it('reads back every rule of a PrometheusRule it wrote, groups by name and rules by severity', () => {
    const rule = (severity: string, threshold: number): AlertRuleSpec => ({
      alert: 'StorageVolumeFillingUp',
      expr: `used / capacity * 100 > ${threshold}`,
      for: severity === 'warning' ? '15m' : '5m',
      labels: { severity },
      annotations: { summary: `over ${threshold}%` },
    });
    const spec: PrometheusRuleSpec = {
      groups: {
        'volume/deepwiki-data': { warning: rule('warning', 75), critical: rule('critical', 90) },
        'quota/strata-storage': { critical: rule('critical', 95) },
      },
    };
    const address = {
      system: 'kubernetes',
      kind: 'PrometheusRule',
      namespace: 'codequal-prod',
      name: 'strata-storage-alerts',
    } as const;
    const manifest = manifestFor(address, spec, 'prod');
    expect((manifest.spec as { groups: { name: string }[] }).groups.map((group) => group.name)).toEqual([
      'quota/strata-storage',
      'volume/deepwiki-data',
    ]);
    expect(observeObject('PrometheusRule', manifest, 'prod').spec).toEqual(spec);
  });

  it('keys a rule without a severity, or a second one with the same, by its position, so it shows as drift', () => {
    const object = {
      metadata: { name: 'strata-storage-alerts', namespace: 'codequal-prod' },
      spec: {
        groups: [
          {
            name: 'volume/data',
            rules: [
              { alert: 'A', expr: 'a > 1', labels: { severity: 'warning' } },
              { alert: 'B', expr: 'b > 1', for: '1m', labels: { severity: 'warning' } },
              { record: 'c:ratio', expr: 2 },
            ],
          },
        ],
      },
    };
    expect(observeObject('PrometheusRule', object, 'prod').spec).toEqual({
      groups: {
        'volume/data': {
          warning: { alert: 'A', expr: 'a > 1', for: '0s', labels: { severity: 'warning' }, annotations: {} },
          'rule 1': { alert: 'B', expr: 'b > 1', for: '1m', labels: { severity: 'warning' }, annotations: {} },
          'rule 2': { alert: 'c:ratio', expr: '2', for: '0s', labels: {}, annotations: {} },
        },
      },
    });
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

  it('sets apart the rule groups another writer added to the keyed list, and names the owners of each group', () => {
    const rules = { warning: { alert: 'A', expr: 'a > 1', labels: { severity: 'warning' } } };
    const object = {
      metadata: {
        name: 'strata-storage-alerts',
        namespace: 'codequal-prod',
        managedFields: [
          {
            manager: 'strata',
            operation: 'Apply',
            fieldsV1: { 'f:spec': { 'f:groups': { 'k:{"name":"volume/data"}': { '.': {}, 'f:name': {} } } } },
          },
          {
            manager: 'kubectl-patch',
            operation: 'Update',
            fieldsV1: {
              'f:spec': {
                'f:groups': {
                  'k:{"name":"volume/data"}': { 'f:rules': {} },
                  'k:{"name":"team/own"}': { '.': {}, 'f:name': {}, 'f:rules': {} },
                },
              },
            },
          },
        ],
      },
      spec: {
        groups: [
          { name: 'volume/data', rules: [rules.warning] },
          { name: 'team/own', rules: [rules.warning] },
        ],
      },
    };
    const observed = observeObject('PrometheusRule', object, 'prod');
    const read = { warning: { ...rules.warning, for: '0s', annotations: {} } };
    expect(observed.spec).toEqual({ groups: { 'volume/data': read }, unmanagedGroups: { 'team/own': read } });
    expect(observed.fieldOwners).toEqual({
      'groups["volume/data"]': ['kubectl-patch', 'strata'],
      'groups["team/own"]': ['kubectl-patch'],
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

describe("pvc-autoresizer's annotations", () => {
  const growth = { threshold: '20%', increase: '20Gi', storageLimit: '500Gi' };
  const annotations = {
    'resize.topolvm.io/threshold': '20%',
    'resize.topolvm.io/increase': '20Gi',
    'resize.topolvm.io/storage_limit': '500Gi',
    'resize.topolvm.io/pre_capacity_bytes': '21474836480',
  };
  const annotated = (manager: string, ...names: string[]) => ({
    manager,
    operation: manager === 'strata' ? 'Apply' : 'Update',
    fieldsV1: { 'f:metadata': { 'f:annotations': Object.fromEntries(names.map((name) => [`f:${name}`, {}])) } },
  });
  const claim = (managedFields: ReturnType<typeof annotated>[]) => ({
    metadata: { name: 'data', namespace: 'codequal-prod', labels: owned, annotations, managedFields },
    spec: {
      storageClassName: 'fast-ssd',
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '20Gi' } },
    },
  });

  it('reads back the growth strata writes, leaving the annotations the autoresizer keeps for itself out', () => {
    const spec = {
      storageClassName: 'fast-ssd',
      accessModes: ['ReadWriteOnce' as const],
      volumeMode: 'Filesystem' as const,
      size: '20Gi',
      growth,
    };
    const manifest = manifestFor(
      { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'n', name: 'data' },
      spec,
      'prod',
    );
    expect(manifest.metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '20%',
      'resize.topolvm.io/increase': '20Gi',
      'resize.topolvm.io/storage_limit': '500Gi',
    });
    const observed = observeObject(
      'PersistentVolumeClaim',
      claim([annotated('strata', ...Object.keys(manifest.metadata.annotations!))]),
      'prod',
    );
    expect(observed.spec).toMatchObject({ growth });
  });

  it('names every writer of the growth annotations, as one attribute', () => {
    const observed = observeObject(
      'PersistentVolumeClaim',
      claim([
        annotated('strata', 'resize.topolvm.io/increase', 'resize.topolvm.io/storage_limit'),
        annotated('kubectl-annotate', 'resize.topolvm.io/threshold'),
      ]),
      'prod',
    );
    expect(observed.spec).toMatchObject({ growth });
    expect(observed.fieldOwners?.growth).toEqual(['kubectl-annotate', 'strata']);
  });

  it("sets apart growth strata's field manager owns none of, and the enabled annotation of a class", () => {
    const observed = observeObject(
      'PersistentVolumeClaim',
      claim([annotated('kubectl-annotate', ...Object.keys(annotations))]),
      'prod',
    );
    expect(observed.spec).not.toHaveProperty('growth');
    expect(observed.spec).toMatchObject({ unmanagedGrowth: growth });

    const storageClass = (manager: string) => ({
      metadata: {
        name: 'fast-ssd',
        annotations: { 'resize.topolvm.io/enabled': 'true' },
        managedFields: [annotated(manager, 'resize.topolvm.io/enabled')],
      },
      provisioner: 'ebs.csi.aws.com',
    });
    expect(observeObject('StorageClass', storageClass('strata'), 'prod').spec).toMatchObject({ autoresize: true });
    expect(observeObject('StorageClass', storageClass('kubectl-annotate'), 'prod').spec).toMatchObject({
      unmanagedAutoresize: true,
    });
    const disabled = storageClass('kubectl-annotate');
    disabled.metadata.annotations['resize.topolvm.io/enabled'] = 'false';
    const off = observeObject('StorageClass', disabled, 'prod');
    expect(off.spec).toMatchObject({ unmanagedAutoresize: false });
    expect(off.fieldOwners?.autoresize).toEqual(['kubectl-annotate']);
  });
});

describe('decoding Velero objects', () => {
  const schedule: SpecByKind['Schedule'] = {
    schedule: '0 2 * * *',
    timeZone: 'Europe/Berlin',
    includedNamespaces: ['analytics-prod'],
    labelSelector: { 'strata.dev/volume': 'warm-db' },
    keepDays: 30,
    storageLocation: 'akosha-backups-prod-warm',
    snapshotVolumes: true,
    paused: false,
  };
  const address = { system: 'kubernetes', namespace: 'velero' } as const;

  it('reads a Schedule back as written: the zone from its CRON_TZ prefix, the ttl in days', () => {
    const manifest = manifestFor({ ...address, kind: 'Schedule', name: 's' }, schedule, 'prod');
    expect(manifest.spec).toMatchObject({
      schedule: 'CRON_TZ=Europe/Berlin 0 2 * * *',
      template: { ttl: '720h0m0s' },
    });
    expect(observeObject('Schedule', manifest, 'prod').spec).toEqual(schedule);
  });

  it('writes a UTC schedule bare, which older Velero accepts, and reads a bare one as having no zone', () => {
    const manifest = manifestFor(
      { ...address, kind: 'Schedule', name: 's' },
      { ...schedule, timeZone: 'Etc/UTC' },
      'prod',
    );
    expect((manifest.spec as { schedule: string }).schedule).toBe('0 2 * * *');
    expect(observeObject('Schedule', manifest, 'prod').spec).toMatchObject({ timeZone: '' });
  });

  it('reads a ttl Velero wrote in another form by its length, and a ttl that is not a duration as none', () => {
    const withTtl = (ttl: string) =>
      observeObject('Schedule', { metadata: { name: 's' }, spec: { schedule: '@daily', template: { ttl } } }, 'prod');
    expect(withTtl('36h').spec).toMatchObject({ keepDays: 1.5 });
    expect(withTtl('a week').spec).toMatchObject({ keepDays: 0 });
  });

  it('reads a BackupStorageLocation back as written, with or without a credential', () => {
    const location: SpecByKind['BackupStorageLocation'] = {
      provider: 'aws',
      bucket: 'akosha-backups-prod',
      prefix: 'warm',
      config: { region: 'us-east-1', s3ForcePathStyle: 'true' },
      credential: { name: 'velero-s3', key: 'cloud' },
    };
    const { credential: _credential, ...serverIdentity } = location;
    for (const spec of [location, serverIdentity]) {
      const manifest = manifestFor({ ...address, kind: 'BackupStorageLocation', name: 'l' }, spec, 'prod');
      expect(observeObject('BackupStorageLocation', manifest, 'prod').spec).toEqual(spec);
    }
  });

  it("reads a claim's volume label only when strata's field manager owns it", () => {
    const labelled = (manager: string) => ({
      metadata: {
        name: 'warm-db',
        namespace: 'analytics-prod',
        labels: { ...owned, app: 'duckdb', 'strata.dev/volume': 'warm-db' },
        managedFields: [
          { manager, operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:strata.dev/volume': {} } } } },
        ],
      },
      spec: { storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } } },
    });
    expect(observeObject('PersistentVolumeClaim', labelled('strata'), 'prod').spec).toMatchObject({
      labels: { 'strata.dev/volume': 'warm-db' },
    });
    expect(observeObject('PersistentVolumeClaim', labelled('kubectl'), 'prod').spec).not.toHaveProperty('labels');
  });
});
