/**
 * The interactive apply in a real terminal: tmux runs `strata apply`, keys go in with send-keys, and capture-pane
 * shows what a person sees. The audit log must then match what they chose.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api, CoreV1Api, KubeConfig, StorageV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLog, verifyAuditLog } from '../../src/apply/audit/index.js';
import { openTestCluster, type TestCluster } from '../support/kube/index.js';
import { deleteBucketCompletely, newS3Client, s3Target, uniqueBucketName } from '../support/s3/index.js';
import { hasTmux, terminalSession } from '../support/tmux.js';

const ROOT = new URL('../..', import.meta.url).pathname;
if (!hasTmux) console.warn('skipping the terminal apply test: tmux is not installed (apt-get install tmux)');

const { start, screen, send, type, waitFor, kill } = terminalSession(`strata-test-${process.pid}`);
// The cluster is shared by every test file of the run: the environment, its namespace and its class are this run's own.
const RUN = randomBytes(3).toString('hex');
const ENV = `demo-${RUN}`;
const NAMESPACE = `codequal-${ENV}`;
const STORAGE_CLASS = `fast-ssd-${RUN}`;
let cluster: TestCluster;
let project: string;
let bucket: string;
/** Made with object lock, which cannot be turned off: applying it asks for the environment's name typed back. */
let vault: string;

function environmentFile(context: string): string {
  return `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: ${ENV} }
targets:
  kubernetes: { context: ${context} }
  s3: { region: us-east-1 }
storageClasses:
  fast-ssd: { name: ${STORAGE_CLASS}, provisioner: ebs.csi.aws.com, parameters: { type: gp3 }, volumeBindingMode: Immediate, allowVolumeExpansion: true }
namespaces:
  codequal:
    name: ${NAMESPACE}
    volumes:
      deepwiki-data: { storageClass: fast-ssd, size: 20Gi, maxSize: 100Gi }
buckets:
  backups:
    name: ${bucket}
    versioning: true
    publicAccess: blocked
    tags: { team: platform }
  vault:
    name: ${vault}
    objectLock: { mode: GOVERNANCE, days: 1 }
`;
}

/** What the apply made on the shared cluster: the namespace (its claim with it), the class, the claim's volume, the lock. */
async function removeFromCluster(): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  await kubeConfig
    .makeApiClient(StorageV1Api)
    .deleteStorageClass({ name: STORAGE_CLASS })
    .catch(() => undefined);
  await kubeConfig
    .makeApiClient(CoordinationV1Api)
    .deleteNamespacedLease({ namespace: 'default', name: `strata-lock-${ENV}` })
    .catch(() => undefined);
  // No real driver deletes the volume when its claim goes: remove it as one would.
  const volumes = await core.listPersistentVolume();
  for (const volume of volumes.items.filter((item) => item.spec?.claimRef?.namespace === NAMESPACE)) {
    await core.deletePersistentVolume({ name: volume.metadata!.name! }).catch(() => undefined);
  }
}

describe.skipIf(!hasTmux)('strata apply in a terminal', () => {
  beforeAll(async () => {
    cluster = await openTestCluster();
    project = await mkdtemp(join(tmpdir(), 'strata-terminal-'));
    bucket = uniqueBucketName('akosha-terminal');
    vault = uniqueBucketName('akosha-terminal-vault');
    await mkdir(join(project, 'environments'));
    await writeFile(join(project, `environments/${ENV}.yaml`), environmentFile(cluster.contextName));
  });

  afterAll(async () => {
    kill();
    await deleteBucketCompletely(newS3Client(), bucket);
    await deleteBucketCompletely(newS3Client(), vault);
    if (cluster) {
      await removeFromCluster().catch(() => undefined);
      await cluster.stop();
    }
    await rm(project, { recursive: true, force: true });
  });

  it('steps through the plan, counting every key typed together, skipping one change, and the audit log records exactly that', async () => {
    const target = s3Target();
    // A person at a terminal: CI runners export CI=true, which would (rightly) turn the UI off.
    const command = [
      'env -u CI',
      `KUBECONFIG=${cluster.kubeconfigPath}`,
      `AWS_ACCESS_KEY_ID=${target.credentials.accessKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${target.credentials.secretAccessKey}`,
      `${ROOT}node_modules/.bin/tsx --tsconfig ${ROOT}tsconfig.json ${ROOT}src/cli/main.ts`,
      `apply ${ENV} --s3-endpoint ${target.endpoint} --audit-dir audit; echo "EXIT=$?"; sleep 60`,
    ].join(' ');
    start(command, project);

    await waitFor('a apply all · s step through');
    expect(screen()).toContain(`strata plan ${ENV} · 11 create`);
    // Keys written together each count: two moves. Esc closes the help.
    type('jj');
    await waitFor('3/11 ·');
    send('?');
    await waitFor('only changes with risks');
    send('Escape');
    await waitFor('› ');
    send('s');
    await waitFor(`Type the environment name (${ENV})`);
    // The name in one write and Enter right after it, before the screen has drawn the name.
    type(ENV);
    send('Enter');
    for (;;) {
      const shown = await waitFor('Apply this change?', 'EXIT=');
      if (shown === 'EXIT=') break;
      send(screen().includes('public access block\n      ') ? 'n' : 'y');
      await waitFor('steps');
    }

    const finalScreen = screen();
    expect(finalScreen).toContain('EXIT=0');
    // A bucket made with object lock comes with versioning on: some servers leave nothing for its step to write.
    expect(finalScreen).toMatch(/Apply complete: 10 steps succeeded( \(\d already in place\))?, 1 skipped\./);
    expect(finalScreen).toMatch(/↷\s+\d+\. \+\s+s3 bucket akosha-terminal-[a-z0-9-]+ · public access block/);

    const log = join(project, `audit/${ENV}.jsonl`);
    expect((await verifyAuditLog(log)).ok).toBe(true);
    const events = await readAuditLog(log);
    expect(events.filter((event) => event.type === 'step-skipped').map((event) => event.address?.kind)).toEqual([
      'BucketPublicAccessBlock',
    ]);
    expect(events.filter((event) => event.type === 'step-succeeded')).toHaveLength(10);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'succeeded' });
  }, 90_000);
});
