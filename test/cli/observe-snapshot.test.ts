/**
 * What `strata observe` writes from live servers, `strata plan --observed` reads back: the snapshot reader checks
 * every resource's shape, so it must accept everything the providers observe (the scenario holds every kind).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareScenario } from '../e2e/support/scenario.js';
import { startWorld, type World } from '../e2e/support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
  await prepareScenario(world);
}, 60_000);
afterAll(() => world?.cleanup());

describe('a snapshot observed from live servers', () => {
  it('plans offline to the same changes as the live plan', async () => {
    const observed = await world.strata('observe', world.env, '--out', 'observed.json', ...world.targetFlags);
    expect(observed.stderr).toBe('');
    const live = await world.strata('plan', world.env, '--out', 'live.plan.json', ...world.targetFlags);
    const offline = await world.strata('plan', world.env, '--observed', 'observed.json', '--out', 'offline.plan.json');
    expect(offline.stderr).toBe('');
    expect([live.exitCode, offline.exitCode]).toEqual([0, 0]);
    const changes = async (file: string) =>
      (JSON.parse(await readFile(join(world.dir, file), 'utf8')) as { changes: unknown[] }).changes;
    expect(await changes('offline.plan.json')).toEqual(await changes('live.plan.json'));
  });
});
