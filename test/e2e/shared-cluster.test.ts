/**
 * Two environments on one cluster (dev and a copy of it), declaring the same StorageClass: the first to create it
 * owns it, and the other plan blocks it instead of taking it over, so applies no longer take it from each other and
 * removing it from one file can never delete what the other still declares.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubeConfigOf } from './support/scenario.js';
import { startWorld, type World } from './support/world.js';

let world: World;

beforeEach(async () => {
  world = await startWorld({ withoutS3: true });
}, 60_000);
afterEach(() => world?.cleanup());

/** An environment file for `env` that declares this run's shared class (or not) and a namespace of its own. */
async function writeEnvironment(env: string, declaresClass: boolean): Promise<void> {
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${env} }`,
    `targets: { kubernetes: { context: ${world.cluster.contextName} } }`,
  ];
  if (declaresClass) {
    lines.push(
      'storageClasses:',
      `  fast-ssd: { name: fast-ssd-${world.run}, provisioner: ebs.csi.aws.com, allowVolumeExpansion: true }`,
    );
  }
  lines.push('namespaces:', '  codequal:', `    name: codequal-${env}`);
  await writeFile(join(world.dir, 'environments', `${env}.yaml`), `${lines.join('\n')}\n`);
}

const strataFor = (env: string, command: 'plan' | 'apply', ...extra: string[]) =>
  command === 'plan'
    ? world.strata('plan', env, '--out', `plans/${env}.plan.json`, '--no-tty', ...world.targetFlags, ...extra)
    : world.strata(
        'apply',
        `plans/${env}.plan.json`,
        '--no-tty',
        '--allow-destroy',
        '--audit-dir',
        world.auditDir,
        ...world.targetFlags,
        ...extra,
      );

const classLabels = async () =>
  (
    await kubeConfigOf(world)
      .makeApiClient(StorageV1Api)
      .readStorageClass({ name: `fast-ssd-${world.run}` })
  ).metadata?.labels ?? {};

describe('two environments declaring one StorageClass', () => {
  it('leaves it to the environment that created it: the other plan blocks it, and neither apply moves it', async () => {
    const copy = `copy-${world.env}`;
    await writeEnvironment(world.env, true);
    await writeEnvironment(copy, true);
    expect((await strataFor(world.env, 'plan')).exitCode).toBe(0);
    expect((await strataFor(world.env, 'apply')).exitCode).toBe(0);

    const planned = await strataFor(copy, 'plan');

    expect(planned.stdout.replace(/\s+/g, ' ')).toContain(
      `! kubernetes storageclass fast-ssd-${world.run} blocked: belongs to environment ${world.env} (strata.dev/environment=${world.env})`,
    );
    expect((await strataFor(copy, 'apply')).exitCode).toBe(0);
    expect((await classLabels())['strata.dev/environment']).toBe(world.env);
    const replanned = await world.strata('plan', world.env, '--no-out', '--detailed-exitcode', ...world.targetFlags);
    expect(replanned.stdout).toContain('No changes.');
  });

  it('keeps it when the other environment stops declaring it', async () => {
    const copy = `copy-${world.env}`;
    await writeEnvironment(world.env, true);
    await writeEnvironment(copy, true);
    expect((await strataFor(world.env, 'plan')).exitCode).toBe(0);
    expect((await strataFor(world.env, 'apply')).exitCode).toBe(0);
    await writeEnvironment(copy, false);

    const planned = await strataFor(copy, 'plan');

    expect(planned.stdout).not.toContain(`fast-ssd-${world.run}`);
    expect((await strataFor(copy, 'apply')).exitCode).toBe(0);
    expect((await classLabels())['strata.dev/environment']).toBe(world.env);
  });
});
