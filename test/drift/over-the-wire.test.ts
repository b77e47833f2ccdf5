/**
 * Drift over the wire: strata applies a small environment to the real Kubernetes control plane and RGW, then people
 * change things behind its back (a claim resized through another field manager, a lifecycle rule shortened by a
 * direct S3 call, a claim created by hand in a managed namespace), and every format reports it with the right class
 * and attribution. Ignore rules hide it until they expire.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, PatchStrategy, StorageV1Api, setHeaderOptions } from '@kubernetes/client-node';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { checkedReport, parseDriftRun } from '../fixtures/drift/runs.js';
import { runCli, scratchProject, type CliResult } from '../support/cli.js';
import { openTestCluster, waitFor, type TestCluster } from '../support/kube/index.js';
import { deleteBucketCompletely, newS3Client, s3Target, uniqueBucketName } from '../support/s3/index.js';

const RUN = randomBytes(3).toString('hex');
const ENV = `drift-${RUN}`;
const NAMESPACE = `codequal-${ENV}`;
/** The cluster is shared by every test file of the run: the class's physical name is this run's own. */
const STORAGE_CLASS = `fast-ssd-${RUN}`;
const BUCKET = uniqueBucketName('akosha-chat-archives');
/** Made by hand beside it, named like it: `akosha-*-<same suffix>`. */
const HAND_BUCKET = BUCKET.replace('akosha-chat-archives', 'akosha-scratch');
const CLAIM_KEY = `kubernetes/PersistentVolumeClaim/${NAMESPACE}/deepwiki-data`;

/** The shipped dev.yaml's shape, small: a class, a namespace with a quota (written 1024Gi) and a claim, a bucket. */
function environmentFile(ignore = ''): string {
  return `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: ${ENV} }
targets:
  kubernetes: { context: ${cluster.contextName} }
  s3: { region: us-east-1 }
storageClasses:
  fast-ssd:
    name: ${STORAGE_CLASS}
    provisioner: ebs.csi.aws.com
    parameters: { type: gp3, encrypted: "true" }
    reclaimPolicy: Retain
    volumeBindingMode: Immediate
    allowVolumeExpansion: true
namespaces:
  codequal:
    name: ${NAMESPACE}
    labels: { team: codequal }
    quota: { requests.storage: 1024Gi, persistentvolumeclaims: 10 }
    volumes:
      deepwiki-data: { storageClass: fast-ssd, size: 20Gi, maxSize: 50Gi }
buckets:
  chat-archives:
    name: ${BUCKET}
    versioning: true
    publicAccess: blocked
    tags: { team: chat }
    lifecycle:
      - id: messages-retention
        prefix: messages/
        transitions: [ { after: 365d, storageClass: GLACIER } ]
        expireAfter: 7y
${ignore}`;
}

let cluster: TestCluster;
let project: Awaited<ReturnType<typeof scratchProject>>;
let s3: S3Client;
let commandEnv: NodeJS.ProcessEnv;
let targetFlags: string[];

async function strata(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const exitCode = await run(argv, {
    output: { out: (text) => out.push(text), err: (text) => err.push(text), color: false, isTTY: false },
    cwd: project.dir,
    env: commandEnv,
    exitCode: ExitCode.Success,
  });
  return { exitCode, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Text as the text renderer may wrap it: any space may be a line break and indent. */
const spaced = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));

const drift = (...argv: string[]) => runCli(['drift', ...argv, ...targetFlags], { cwd: project.dir, env: commandEnv });

beforeAll(async () => {
  cluster = await openTestCluster();
  project = await scratchProject();
  s3 = newS3Client();
  const target = s3Target();
  // No --context: each environment file names its own, so one environment can fail to connect beside the others.
  targetFlags = ['--kubeconfig', cluster.kubeconfigPath, '--s3-endpoint', target.endpoint];
  commandEnv = {
    STRATA_ACTOR: 'drift-test',
    AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
    AWS_REGION: target.region,
  };
  await writeFile(join(project.dir, 'environments', `${ENV}.yaml`), environmentFile());
  const applied = await strata(
    'apply',
    ENV,
    '--auto-approve',
    '--allow-destroy',
    '--no-tty',
    '--audit-dir',
    join(project.dir, 'audit'),
    ...targetFlags,
  );
  if (applied.exitCode !== 0) throw new Error(`strata apply failed:\n${applied.stdout}\n${applied.stderr}`);
});

afterAll(async () => {
  if (cluster) {
    await removeFromCluster().catch(() => undefined);
    await cluster.stop();
  }
  if (s3) {
    await deleteBucketCompletely(s3, BUCKET).catch(() => undefined);
    await deleteBucketCompletely(s3, HAND_BUCKET).catch(() => undefined);
    s3.destroy();
  }
  await project?.remove();
});

function kubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(cluster.kubeconfig);
  return config;
}
const coreApi = () => kubeConfig().makeApiClient(CoreV1Api);

/** What this file made on the shared cluster: the namespace (its claims with it), the class, and the claims' volumes. */
async function removeFromCluster(): Promise<void> {
  const core = coreApi();
  await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  await kubeConfig()
    .makeApiClient(StorageV1Api)
    .deleteStorageClass({ name: STORAGE_CLASS })
    .catch(() => undefined);
  // The class retains its volumes and no real driver deletes them here: remove the ones this file's claims had.
  const volumes = await core.listPersistentVolume();
  for (const volume of volumes.items.filter((item) => item.spec?.claimRef?.namespace === NAMESPACE)) {
    await core.deletePersistentVolume({ name: volume.metadata!.name! }).catch(() => undefined);
  }
}

describe('right after strata applied the environment', () => {
  it('finds no drift and exits 0 with --detailed-exitcode', async () => {
    const result = await drift(ENV, '--detailed-exitcode');
    expect(result.stdout).toContain('No drift.');
    expect(result.exitCode).toBe(0);
  });

  it('lists the quota written as 1024Gi and read back as 1Ti as cosmetic, only with --verbose', async () => {
    const { stdout } = await drift(ENV, '--verbose');
    expect(stdout).toContain(`≈ kubernetes quota ${NAMESPACE}/strata-storage`);
    expect(stdout).toContain('hard["requests.storage"]:  declared 1024Gi, live 1Ti');
  });
});

describe('after people changed things behind strata', () => {
  beforeAll(async () => {
    const core = coreApi();
    // Only a bound claim can be resized; the PV controller binds it a moment after strata created it.
    await waitFor('deepwiki-data to be bound', async () => {
      const claim = await core.readNamespacedPersistentVolumeClaim({ namespace: NAMESPACE, name: 'deepwiki-data' });
      return claim.status?.phase === 'Bound';
    });
    // What `kubectl edit pvc deepwiki-data` sends: a merge patch under the field manager kubectl-edit.
    await core.patchNamespacedPersistentVolumeClaim(
      {
        namespace: NAMESPACE,
        name: 'deepwiki-data',
        body: { spec: { resources: { requests: { storage: '100Gi' } } } },
        fieldManager: 'kubectl-edit',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.createNamespacedPersistentVolumeClaim({
      namespace: NAMESPACE,
      fieldManager: 'kubectl-create',
      body: {
        metadata: { name: 'deepwiki-data-copy' },
        spec: {
          storageClassName: STORAGE_CLASS,
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '5Gi' } },
        },
      },
    });
    await s3.send(new CreateBucketCommand({ Bucket: HAND_BUCKET }));
    // A direct S3 call: the messages retention shortened from 7 years to 2.
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: BUCKET,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'messages-retention',
              Status: 'Enabled',
              Filter: { Prefix: 'messages/' },
              Transitions: [{ Days: 365, StorageClass: 'GLACIER' }],
              Expiration: { Days: 730 },
            },
          ],
        },
      }),
    );
    cluster.counters.reset();
  });

  it('reports the resized claim as effective drift, changed by kubectl-edit, in text', async () => {
    const { stdout, exitCode } = await drift(ENV);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Drift: 2 effective, 2 unmanaged.');
    expect(stdout).toContain(`! kubernetes pvc ${NAMESPACE}/deepwiki-data`);
    expect(stdout).toContain('size:  declared 20Gi, live 100Gi   changed by kubectl-edit');
  });

  it('reports the lifecycle rule changed by a direct S3 call as effective drift, with no field manager to name', async () => {
    const { stdout } = await drift(ENV);
    expect(stdout).toContain(`~ s3 bucket ${BUCKET} · lifecycle`);
    expect(stdout).toContain('rules[messages-retention].expirationDays:  declared 2555d, live 730d\n');
  });

  it('reports the claim created by hand in the managed namespace as unmanaged, and never touches it', async () => {
    const { stdout } = await drift(ENV);
    expect(stdout).toContain(`? kubernetes pvc ${NAMESPACE}/deepwiki-data-copy`);
    expect(stdout).toMatch(
      spaced(`in namespace ${NAMESPACE}, which this file manages, but not declared or owned by strata`),
    );
  });

  it('reports a bucket made by hand and named like the declared one as unmanaged', async () => {
    const { stdout } = await drift(ENV);
    expect(stdout).toContain(`? s3 bucket ${HAND_BUCKET}`);
    expect(stdout).toMatch(spaced("named like this file's buckets (akosha-*-"));
  });

  it('exits 2 with --detailed-exitcode', async () => {
    expect((await drift(ENV, '--detailed-exitcode')).exitCode).toBe(2);
  });

  it('says the same in Markdown, JSON, JUnit XML and Prometheus', async () => {
    const markdown = (await drift(ENV, '--format', 'markdown')).stdout;
    expect(markdown).toContain(`### strata drift · ${ENV} · 2 effective · 2 unmanaged`);
    expect(markdown).toContain(
      `| ! | kubernetes pvc ${NAMESPACE}/deepwiki-data | effective | size: declared 20Gi, live 100Gi | kubectl-edit |`,
    );
    expect(markdown).toContain(
      '| effective | rules\\[messages-retention\\].expirationDays: declared 2555d, live 730d |  |',
    );

    const findings = checkedReport(parseDriftRun((await drift(ENV, '--format', 'json')).stdout), 0).findings;
    expect(findings.map((finding) => `${finding.class} ${finding.address.kind} ${finding.address.name}`)).toEqual([
      'effective PersistentVolumeClaim deepwiki-data',
      `effective BucketLifecycle ${BUCKET}`,
      'unmanaged PersistentVolumeClaim deepwiki-data-copy',
      `unmanaged Bucket ${HAND_BUCKET}`,
    ]);
    expect(findings[0]?.attributes).toEqual([
      { path: 'size', declared: '20Gi', live: '100Gi', changedBy: 'kubectl-edit' },
    ]);
    expect(findings[1]?.attributes).toEqual([
      { path: 'rules[messages-retention].expirationDays', declared: 2555, live: 730 },
    ]);

    const junit = (await drift(ENV, '--format', 'junit')).stdout;
    expect(junit).toContain(`<testsuite name="${ENV}"`);
    expect(junit).toContain('<failure type="effective" message="effective: size (changed by kubectl-edit)">');
    expect(junit).toContain('<failure type="effective" message="effective: rules[messages-retention].expirationDays">');
    expect(junit).toContain('<failure type="unmanaged"');

    const metrics = (await drift(ENV, '--format', 'prometheus')).stdout;
    expect(metrics).toContain(
      `strata_drift_resources{environment="${ENV}",kind="PersistentVolumeClaim",class="effective"} 1`,
    );
    expect(metrics).toContain(
      `strata_drift_resources{environment="${ENV}",kind="PersistentVolumeClaim",class="unmanaged"} 1`,
    );
    expect(metrics).toContain(
      `strata_drift_resources{environment="${ENV}",kind="BucketLifecycle",class="effective"} 1`,
    );
    expect(metrics).toContain(`strata_drift_resources{environment="${ENV}",kind="Bucket",class="unmanaged"} 1`);
    expect(metrics).toContain(`strata_drift_check_error{environment="${ENV}"} 0`);
  });

  it('hides what an ignore rule accepts, and reports it again once the rule has expired', async () => {
    const rule = (until: string) =>
      `ignore:\n  - address: kubernetes/PersistentVolumeClaim/*/deepwiki-data\n    reason: resized during incident INC-2211\n    until: "${until}"\n`;
    await writeFile(join(project.dir, 'environments', `${ENV}.yaml`), environmentFile(rule('2999-12-31')));
    const hidden = await drift(ENV, '--format', 'json');
    const active = checkedReport(parseDriftRun(hidden.stdout), 0);
    expect(active.findings.map((finding) => finding.address.name)).not.toContain('deepwiki-data');
    expect(active.ignored).toMatchObject([
      { address: { name: 'deepwiki-data' }, rule: { reason: 'resized during incident INC-2211' } },
    ]);

    await writeFile(join(project.dir, 'environments', `${ENV}.yaml`), environmentFile(rule('2026-01-31')));
    const expired = await drift(ENV);
    expect(expired.stdout).toContain(`! kubernetes pvc ${NAMESPACE}/deepwiki-data`);
    expect(expired.stdout).toContain('changed by kubectl-edit');
    expect(expired.stdout).toMatch(
      spaced(`expired after 2026-01-31: resized during incident INC-2211; reported again: ${CLAIM_KEY}`),
    );
    await writeFile(join(project.dir, 'environments', `${ENV}.yaml`), environmentFile());
  });

  it('checks several environments at once and reports one that cannot be reached beside the others, exiting 1', async () => {
    const broken = `${ENV}-elsewhere`;
    await writeFile(
      join(project.dir, 'environments', `${broken}.yaml`),
      `apiVersion: strata.dev/v1alpha1\nkind: Environment\nmetadata: { name: ${broken} }\ntargets:\n  kubernetes: { context: prod-eks }\nnamespaces:\n  codequal: { name: codequal-${broken} }\n`,
    );
    const result = await drift(ENV, broken);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`strata drift ${ENV} · checked`);
    expect(result.stdout).toContain('size:  declared 20Gi, live 100Gi   changed by kubectl-edit');
    expect(result.stdout).toContain(`strata drift ${broken} · could not check`);
    expect(result.stdout).toContain('context "prod-eks" is not in');
    expect(result.stdout).toContain(`2 environments: ${ENV} drifted, ${broken} could not be checked.`);
  });

  it('only ever read: no request but GET and LIST reached the cluster, the lock included', async () => {
    const requests = cluster.counters.byVerbAndResource();
    expect(requests['list persistentvolumeclaims']).toBeGreaterThan(0);
    const verbs = new Set(Object.keys(requests).map((key) => key.split(' ')[0]));
    expect([...verbs].every((verb) => verb === 'list' || verb === 'get')).toBe(true);
  });

  it('leaves what it found as it was: the edited size, the hand-made claim and the hand-made bucket stay', async () => {
    const core = coreApi();
    const claim = await core.readNamespacedPersistentVolumeClaim({ namespace: NAMESPACE, name: 'deepwiki-data' });
    expect(claim.spec?.resources?.requests?.storage).toBe('100Gi');
    expect(
      (await core.readNamespacedPersistentVolumeClaim({ namespace: NAMESPACE, name: 'deepwiki-data-copy' })).metadata
        ?.name,
    ).toBe('deepwiki-data-copy');
    await expect(s3.send(new HeadBucketCommand({ Bucket: HAND_BUCKET }))).resolves.toBeDefined();
  });
});
