/**
 * Brings a world to the state the scenario's pull request is reviewed against: base.yaml applied by strata and its
 * claims bound by the cluster's controllers, then what people did by hand since (an analytics namespace made with
 * kubectl, a projects bucket made in the console, a legal-hold lifecycle rule), then scenario.yaml written over the
 * environment file.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
} from '@aws-sdk/client-s3';
import { waitFor } from '../../support/kube/index.js';
import type { World } from './world.js';

export const LEGAL_HOLD_RULE = 'legal-hold-archive';

export function kubeConfigOf(world: World): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(world.cluster.kubeconfig);
  return kubeConfig;
}

/**
 * The claims of base.yaml whose class binds at once (`Immediate`). repo-cache's class waits for a consumer and no pod
 * ever uses it, so it stays Pending: the scenario's blocked resize depends on that.
 */
const IMMEDIATE_CLAIMS = [
  ['codequal', 'deepwiki-data'],
  ['codequal', 'scratch'],
  ['warehouse', 'warm-db'],
] as const;

/**
 * Plans and applies base.yaml, then waits until the PV controller has bound the claims that bind at once; fails
 * loudly with strata's own output when planning or applying does not succeed.
 */
export async function applyBase(world: World): Promise<void> {
  await world.writeEnvironment('base');
  const planned = await world.plan();
  if (planned.exitCode !== 0) throw new Error(`planning base.yaml failed:\n${planned.stdout}${planned.stderr}`);
  const applied = await world.apply();
  if (applied.exitCode !== 0) throw new Error(`applying base.yaml failed:\n${applied.stdout}${applied.stderr}`);
  const core = kubeConfigOf(world).makeApiClient(CoreV1Api);
  await Promise.all(
    IMMEDIATE_CLAIMS.map(([namespaceKey, name]) => {
      const namespace = world.namespace(namespaceKey);
      return waitFor(`claim ${namespace}/${name} to be Bound`, async () => {
        const claim = await core.readNamespacedPersistentVolumeClaim({ namespace, name });
        return claim.status?.phase === 'Bound';
      });
    }),
  );
}

/** The changes made outside strata since base.yaml was applied. */
export async function changeByHand(world: World): Promise<void> {
  const core = kubeConfigOf(world).makeApiClient(CoreV1Api);
  await core.createNamespace({
    body: { metadata: { name: world.namespace('analytics') } },
    fieldManager: 'kubectl-create',
  });

  await world.s3.send(new CreateBucketCommand({ Bucket: world.bucket('projects') }));

  const archives = world.bucket('chat-archives');
  const current = await world.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: archives }));
  await world.s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: archives,
      LifecycleConfiguration: {
        Rules: [
          ...(current.Rules ?? []),
          {
            ID: LEGAL_HOLD_RULE,
            Status: 'Enabled',
            Filter: { Prefix: 'legal/' },
            NoncurrentVersionExpiration: { NoncurrentDays: 3650 },
          },
        ],
      },
    }),
  );
}

export async function prepareScenario(world: World): Promise<void> {
  await applyBase(world);
  await changeByHand(world);
  await world.writeEnvironment('scenario');
}

/** The reviewer follows the blocked changes' hints: declare the sizes the claims have, so nothing is refused. */
export function resolveBlocked(text: string): string {
  return text
    .replace(
      'repo-cache: { storageClass: standard, size: 100Gi, maxSize: 200Gi }',
      'repo-cache: { storageClass: standard, size: 50Gi, maxSize: 200Gi }',
    )
    .replace(
      'warm-db: { storageClass: fast-ssd, size: 100Gi, maxSize: 100Gi }',
      'warm-db: { storageClass: fast-ssd, size: 100Gi, maxSize: 200Gi }',
    );
}
