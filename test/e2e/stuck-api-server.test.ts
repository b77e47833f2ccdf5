/**
 * A Kubernetes API server that takes requests and never answers them (the fault proxy holds them open): strata gives
 * up within the request timeout, says which request and which server, and how to wait longer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startWorld, type World } from './support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
  await world.writeEnvironment('base');
}, 120_000);
afterAll(async () => {
  await world?.cleanup();
});

const planNow = (...extra: string[]) => world.strata('plan', world.env, '--no-out', ...world.targetFlags, ...extra);

describe('an API server that never answers', () => {
  it('fails a plan within the request timeout, naming the request and the server', async () => {
    world.cluster.faults.add({ verb: 'list', resource: 'storageclasses', hang: true });
    const started = Date.now();

    const planned = await planNow('--request-timeout', '2s');

    world.cluster.faults.clear();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(planned.exitCode).toBe(1);
    expect(planned.stderr).toContain(
      `error: kubernetes list StorageClass: no answer from ${world.cluster.url} within 2 s\n`,
    );
    expect(planned.stderr).toContain('hint: check that the server is up and not overloaded; --request-timeout');
  });

  it('takes the request timeout from STRATA_REQUEST_TIMEOUT when no flag gives one', async () => {
    world.cluster.faults.add({ verb: 'list', resource: 'storageclasses', hang: true });
    const env = {
      AWS_ACCESS_KEY_ID: world.target.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: world.target.credentials.secretAccessKey,
      AWS_REGION: world.target.region,
      STRATA_REQUEST_TIMEOUT: '1s',
    };

    const planned = await runCli(['plan', world.env, '--no-out', ...world.targetFlags], { cwd: world.dir, env });

    world.cluster.faults.clear();
    expect(planned.exitCode).toBe(1);
    expect(planned.stderr).toContain(`no answer from ${world.cluster.url} within 1 s`);
  });

  it('refuses a request timeout that is not a duration, saying how to write one', async () => {
    const planned = await planNow('--request-timeout', 'soon');

    expect(planned.exitCode).toBe(1);
    expect(planned.stderr).toBe(
      'error: --request-timeout is "soon", not a duration\nhint: write a whole number and a unit, e.g. --request-timeout 30s or 2m\n',
    );
  });

  it('refuses a step timeout of nothing before it plans anything', async () => {
    const applied = await world.strata(
      'apply',
      world.env,
      '--auto-approve',
      '--no-tty',
      '--step-timeout',
      '0s',
      ...world.targetFlags,
    );

    expect(applied.exitCode).toBe(1);
    expect(applied.stdout).toBe('');
    expect(applied.stderr).toBe(
      'error: --step-timeout is 0: strata would give up at once\nhint: give it some time, e.g. --step-timeout 30s\n',
    );
  });
});
