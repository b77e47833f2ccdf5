/**
 * An apply tells the cluster what it did: each Kubernetes step leaves an event on its object, which `kubectl describe`
 * shows beside the cluster's own. Events are a courtesy; the audit log is the record, so a failure to write one never
 * fails the apply.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { CoreV1Api, type CoreV1Event } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { savedPlan } from './support/audit.js';
import { kubeConfigOf, prepareScenario, resolveBlocked } from './support/scenario.js';
import { startWorld, type World } from './support/world.js';

const KUBECTL = '/usr/bin/kubectl';

let world: World;

beforeEach(async () => {
  world = await startWorld();
  await prepareScenario(world);
  await world.writeEnvironment('scenario', resolveBlocked);
  expect((await world.plan()).exitCode).toBe(0);
}, 60_000);
afterEach(() => world?.cleanup());

/** The events strata left while applying the saved plan (the scenario's set-up applied another one first). */
async function strataEvents(): Promise<CoreV1Event[]> {
  const { planHash } = await savedPlan(world);
  const core = kubeConfigOf(world).makeApiClient(CoreV1Api);
  const events = (await core.listEventForAllNamespaces({ fieldSelector: 'source=strata' })).items;
  return events.filter((event) => event.message?.includes(`plan ${planHash.slice(0, 12)} `));
}

describe('strata apply: Kubernetes events on the objects it touched', () => {
  it('leaves one event per Kubernetes step, on its object, naming the plan, the step and who ran it', async () => {
    const { plan, planHash } = await savedPlan(world);
    const kubernetesSteps = plan.steps.filter((step) => step.address.system === 'kubernetes');

    expect((await world.apply()).exitCode).toBe(0);

    const events = await strataEvents();
    expect(events).toHaveLength(kubernetesSteps.length);
    const claim = events.find(
      (event) => event.involvedObject.kind === 'PersistentVolumeClaim' && event.involvedObject.name === 'deepwiki-data',
    )!;
    expect(claim).toMatchObject({
      type: 'Normal',
      reason: 'Updated',
      metadata: { namespace: world.namespace('codequal') },
      involvedObject: { namespace: world.namespace('codequal'), uid: expect.any(String) as string },
      reportingComponent: 'strata',
    });
    expect(claim.message).toMatch(
      new RegExp(
        `^strata apply by e2e-runner@\\S+, plan ${planHash.slice(0, 12)} step \\d+, run \\S+: set size \\d+Gi → \\d+Gi$`,
      ),
    );
  });

  it('puts events about cluster-scoped objects in default', async () => {
    expect((await world.apply()).exitCode).toBe(0);
    const storageClass = (await strataEvents()).find((event) => event.involvedObject.kind === 'StorageClass');
    expect(storageClass?.metadata.namespace).toBe('default');
    expect(storageClass?.involvedObject.namespace).toBeUndefined();
  });

  it('leaves a warning on the object whose step failed, with the error', async () => {
    world.cluster.faults.add({ verb: 'patch', resource: 'persistentvolumeclaims', status: 500 });
    expect((await world.apply()).exitCode).toBe(1);
    const warnings = (await strataEvents()).filter((event) => event.type === 'Warning');
    expect(warnings.map((event) => [event.reason, event.involvedObject.kind, event.involvedObject.name])).toEqual([
      ['ApplyFailed', 'PersistentVolumeClaim', 'deepwiki-data'],
    ]);
    expect(warnings[0]?.message).toMatch(/: update failed: .+/);
  });

  it('applies in full when events cannot be written, and says so once', async () => {
    world.cluster.faults.add({ verb: 'create', resource: 'events', status: 500 });
    const applied = await world.apply();
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toContain('Apply complete');
    expect(applied.stderr).toMatch(
      /^note: \d+ Kubernetes events were not written \(.+\); the audit log records every step$/m,
    );
  });

  it.skipIf(!existsSync(KUBECTL))("shows in kubectl describe beside the cluster's own events", async () => {
    expect((await world.apply()).exitCode).toBe(0);
    const { stdout } = await promisify(execFile)(
      KUBECTL,
      [
        '--kubeconfig',
        world.cluster.kubeconfigPath,
        'describe',
        'pvc',
        'deepwiki-data',
        '-n',
        world.namespace('codequal'),
      ],
      { timeout: 20_000 },
    );
    expect(stdout).toMatch(/Events:\n.*Type\s+Reason\s+Age\s+From\s+Message/);
    expect(stdout).toMatch(/Normal\s+Updated\s+\S+\s+strata\s+strata apply by e2e-runner@/);
  });
});
