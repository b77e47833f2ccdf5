/**
 * The velero backup engine on the real control plane, with the project's own minimal Velero CRDs installed
 * (test/support/kube/crds/velero.yaml): strata writes a Schedule and a BackupStorageLocation, reads them back as
 * kubectl shows them, restores a ttl someone patched, and on a cluster that does not serve velero.io/v1 (the fault
 * proxy answers as kube-apiserver does without the CRDs) plans everything else and blocks the Velero objects, once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installVeleroCrds } from '../support/kube/crds.js';
import { kubectlWith, type KubectlRun } from '../support/kube/kubectl.js';
import { openTestCluster } from '../support/kube/index.js';
import { startWorld, type World } from './support/world.js';

let world: World;
let scratch: string;
let kubectl: (...args: string[]) => Promise<KubectlRun>;

beforeAll(async () => {
  const cluster = await openTestCluster();
  try {
    await installVeleroCrds(cluster.kubeconfigPath);
  } finally {
    await cluster.stop();
  }
}, 60_000);
beforeEach(async () => {
  world = await startWorld();
  scratch = await mkdtemp(join(tmpdir(), 'strata-test-velero-'));
  kubectl = kubectlWith(world.cluster.kubeconfigPath, scratch);
}, 60_000);
afterEach(async () => {
  await world?.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

/** Velero's namespace, as its installation makes it; named for the run, so the world's cleanup removes it. */
const veleroNamespace = () => `velero-${world.run}`;

async function writeEnvironment(): Promise<void> {
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${world.env} }`,
    'targets:',
    `  kubernetes: { context: ${world.cluster.contextName} }`,
    `  s3: { region: us-east-1, endpoint: "${world.target.endpoint}", forcePathStyle: true }`,
    `  velero: { namespace: ${veleroNamespace()} }`,
    'storageClasses:',
    `  fast-ssd: { name: fast-ssd-${world.run}, provisioner: ebs.csi.aws.com, allowVolumeExpansion: true }`,
    'namespaces:',
    '  codequal:',
    `    name: ${world.namespace('codequal')}`,
    '    volumes:',
    '      deepwiki-data: { storageClass: fast-ssd, size: 10Gi }',
    '    backups:',
    '      deepwiki-nightly:',
    '        volume: deepwiki-data',
    '        schedule: "0 2 * * *"',
    '        timeZone: Europe/Berlin',
    '        destination: { bucket: backups, prefix: deepwiki/ }',
    '        keep: 30d',
    '        credentials: { secret: velero-s3 }',
    'buckets:',
    `  backups: { name: ${world.bucket('backups')} }`,
  ];
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), `${lines.join('\n')}\n`);
}

const scheduleName = () => `${world.namespace('codequal')}-deepwiki-nightly`;
const locationName = () => `${world.bucket('backups')}-deepwiki`;
const flat = (text: string) => text.replace(/\s+/g, ' ');

async function getJson(...args: string[]): Promise<{ metadata: { labels?: Record<string, string> }; spec: unknown }> {
  const got = await kubectl('get', ...args, '-o', 'json');
  expect(got.stderr).toBe('');
  return JSON.parse(got.stdout) as { metadata: { labels?: Record<string, string> }; spec: unknown };
}

async function planAndApply(): Promise<void> {
  const planned = await world.plan('--no-tty');
  expect(planned.stderr).toBe('');
  const applied = await world.apply();
  expect(applied.stderr).toBe('');
  expect(applied.exitCode).toBe(0);
}

describe('the velero engine', () => {
  it(
    'writes a Schedule and a BackupStorageLocation that read back as declared, and the next plan is empty',
    { timeout: 90_000 },
    async () => {
      expect((await kubectl('create', 'namespace', veleroNamespace())).code).toBe(0);
      await writeEnvironment();

      const planned = await world.plan('--no-tty');
      expect(planned.stderr).toBe('');
      expect(planned.stdout).toContain(`+ kubernetes velero schedule ${veleroNamespace()}/${scheduleName()}`);
      expect(planned.stdout).toContain(`+ kubernetes velero bsl ${veleroNamespace()}/${locationName()}`);
      const applied = await world.apply();
      expect(applied.stderr).toBe('');
      expect(applied.exitCode).toBe(0);

      const schedule = await getJson('schedules.velero.io', '-n', veleroNamespace(), scheduleName());
      expect(schedule.metadata.labels).toMatchObject({ 'strata.dev/environment': world.env });
      expect(schedule.spec).toEqual({
        schedule: 'CRON_TZ=Europe/Berlin 0 2 * * *',
        paused: false,
        template: {
          includedNamespaces: [world.namespace('codequal')],
          labelSelector: { matchLabels: { 'strata.dev/volume': 'deepwiki-data' } },
          ttl: '720h0m0s',
          storageLocation: locationName(),
          snapshotVolumes: true,
        },
      });
      const location = await getJson('backupstoragelocations.velero.io', '-n', veleroNamespace(), locationName());
      expect(location.spec).toEqual({
        provider: 'aws',
        objectStorage: { bucket: world.bucket('backups'), prefix: 'deepwiki' },
        config: { region: 'us-east-1', s3Url: world.target.endpoint, s3ForcePathStyle: 'true' },
        credential: { name: 'velero-s3', key: 'cloud' },
      });
      const claim = await getJson('pvc', '-n', world.namespace('codequal'), 'deepwiki-data');
      expect(claim.metadata.labels).toMatchObject({ 'strata.dev/volume': 'deepwiki-data' });

      const replanned = await world.plan('--no-tty', '--detailed-exitcode');
      expect(replanned.stdout).toContain('No changes.');
      expect(replanned.exitCode).toBe(0);
    },
  );

  it('reports a ttl patched with kubectl as drift, and the apply restores it', { timeout: 90_000 }, async () => {
    expect((await kubectl('create', 'namespace', veleroNamespace())).code).toBe(0);
    await writeEnvironment();
    await planAndApply();
    const patched = await kubectl(
      'patch',
      'schedules.velero.io',
      scheduleName(),
      '-n',
      veleroNamespace(),
      '--type=merge',
      '-p',
      '{"spec":{"template":{"ttl":"240h0m0s"}}}',
    );
    expect(patched.code).toBe(0);

    const planned = await world.plan('--no-tty');
    expect(planned.stdout).toContain(`~ kubernetes velero schedule ${veleroNamespace()}/${scheduleName()}`);
    expect(flat(planned.stdout)).toContain('keepDays: 10d → 30d (takes the field from kubectl-patch)');
    const applied = await world.apply();
    expect(applied.exitCode).toBe(0);

    const schedule = await getJson('schedules.velero.io', '-n', veleroNamespace(), scheduleName());
    expect((schedule.spec as { template: { ttl: string } }).template.ttl).toBe('720h0m0s');
    expect((await world.plan('--no-tty', '--detailed-exitcode')).stdout).toContain('No changes.');
  });

  it(
    "blocks the Velero objects while Velero's namespace does not exist, saying how to fix it",
    { timeout: 60_000 },
    async () => {
      await writeEnvironment();

      const planned = await world.plan('--no-tty');

      expect(planned.stderr).toBe('');
      expect(planned.stdout).toContain(`! kubernetes velero schedule ${veleroNamespace()}/${scheduleName()}`);
      expect(flat(planned.stdout)).toContain(
        `blocked: namespace ${veleroNamespace()} does not exist: install Velero, or set targets.velero.namespace to the namespace it runs in`,
      );
      expect(planned.stdout).toContain(`+ kubernetes pvc ${world.namespace('codequal')}/deepwiki-data`);
    },
  );
});

describe('a cluster that does not serve velero.io/v1', () => {
  it(
    'plans everything else and blocks the Velero objects, saying why once, with no stack trace',
    { timeout: 60_000 },
    async () => {
      expect((await kubectl('create', 'namespace', veleroNamespace())).code).toBe(0);
      await writeEnvironment();
      world.cluster.faults.add({ group: 'velero.io', status: 404 });

      const planned = await world.plan('--no-tty');

      expect(planned.stderr).toBe('');
      expect(planned.exitCode).toBe(0);
      const text = flat(planned.stdout);
      expect(text).toContain(`+ kubernetes pvc ${world.namespace('codequal')}/deepwiki-data`);
      expect(text).toContain(`! kubernetes velero schedule ${veleroNamespace()}/${scheduleName()}`);
      expect(text).toContain(`! kubernetes velero bsl ${veleroNamespace()}/${locationName()}`);
      expect(text.match(/does not serve velero\.io\/v1 BackupStorageLocation and Schedule/g)).toHaveLength(1);
      expect(text).toContain('install Velero on the cluster, or write engine: cronjob on the backups');
      expect(planned.stdout).not.toContain('    at ');
    },
  );
});
