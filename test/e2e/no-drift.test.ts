/**
 * Plan, apply, plan again against the live servers: what was applied reads back as in sync (no false drift from
 * quantity re-serialisation, server defaults, RGW's read-back quirks, finalizers), and only what the plan refused
 * (blocked) is still shown.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { prepareScenario, resolveBlocked } from './support/scenario.js';
import { startWorld, type World } from './support/world.js';

let world: World;

beforeEach(async () => {
  world = await startWorld();
  await prepareScenario(world);
});
afterEach(() => world?.cleanup());

async function savedPlan(): Promise<Plan> {
  return JSON.parse(await readFile(join(world.dir, world.planfile), 'utf8')) as Plan;
}

describe('plan, apply, plan again', () => {
  it('leaves only the refused changes after applying the scenario', async () => {
    expect((await world.plan()).exitCode).toBe(0);
    const applied = await world.apply();
    expect(applied.stdout).toContain('Apply complete: 23 steps succeeded');
    expect(applied.exitCode).toBe(0);

    const again = await world.plan('--detailed-exitcode');

    const plan = await savedPlan();
    expect(plan.steps).toEqual([]);
    expect(
      plan.changes
        .filter((change) => change.action !== 'no-op')
        .map((change) => `${change.action} ${change.address.name}`),
    ).toEqual(['blocked repo-cache', 'blocked warm-db']);
    // Refused changes still differ from the file, which CI should notice.
    expect(again.exitCode).toBe(2);
  });

  it('says "No changes" and exits 0 once the file declares what the servers hold', async () => {
    await world.plan();
    expect((await world.apply()).exitCode).toBe(0);
    await world.writeEnvironment('scenario', resolveBlocked);

    const again = await world.plan('--detailed-exitcode');

    expect(again.stdout).toContain(`No changes. Live state matches environments/${world.env}.yaml.`);
    expect(again.exitCode).toBe(0);
  });

  it('plans nothing twice in a row against unchanged servers', async () => {
    await world.plan();
    expect((await world.apply()).exitCode).toBe(0);
    await world.writeEnvironment('scenario', resolveBlocked);

    const first = await world.plan('--detailed-exitcode');
    const firstPlan = await savedPlan();
    const second = await world.plan('--detailed-exitcode');
    const secondPlan = await savedPlan();

    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(secondPlan.steps).toEqual([]);
    expect(secondPlan.changes.every((change) => change.action === 'no-op')).toBe(true);
    expect(secondPlan.changes).toEqual(firstPlan.changes);
  });

  it('applies a plan with nothing to do without taking the lock or writing', async () => {
    await world.plan();
    expect((await world.apply()).exitCode).toBe(0);
    await world.writeEnvironment('scenario', resolveBlocked);
    await world.plan();
    world.cluster.counters.reset();

    const applied = await world.apply();

    expect(applied.exitCode).toBe(0);
    const writes = Object.entries(world.cluster.counters.byVerbAndResource()).filter(([key]) =>
      /^(create|update|patch|delete) /.test(key),
    );
    expect(writes).toEqual([]);
  });
});
