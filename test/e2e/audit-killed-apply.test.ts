/**
 * An apply killed with SIGKILL in the middle of a run, as the OOM killer or a cancelled CI job does: `strata apply`
 * runs as a process of its own, with a keyed audit log, a claim write held in the fault proxy so the run is caught
 * mid-step, and is killed once the log shows that step started. `strata audit verify` then names the unfinished run
 * (a warning; with --strict an error), and the chain, keyed, still verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/model/audit.js';
import { waitFor } from '../support/kube/index.js';
import { startWorld, type World } from './support/world.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const AUDIT_KEY = randomBytes(32).toString('hex');

let world: World;
beforeAll(async () => {
  world = await startWorld({ variables: { STRATA_AUDIT_KEY: AUDIT_KEY } });
  await world.writeEnvironment('base');
}, 60_000);
afterAll(() => world?.cleanup());

const logPath = () => join(world.auditDir, `${world.env}.jsonl`);
const verify = (...extra: string[]) =>
  world.strata('audit', 'verify', world.env, '--audit-dir', world.auditDir, ...extra);

/** The complete lines of the log so far (the last one may be being written). */
async function logEvents(): Promise<AuditEvent[]> {
  const text = await readFile(logPath(), 'utf8').catch(() => '');
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as AuditEvent);
}

/** `strata apply` of the world's plan as a process of its own, the way a CI job runs it, printing into `output`. */
function applyAsProcess(output: string[]): ChildProcess {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const argv = [
    'apply',
    world.planfile,
    '--no-tty',
    '--allow-destroy',
    `--confirm-irreversible=${world.env}`,
    '--audit-dir',
    world.auditDir,
    ...world.targetFlags,
  ];
  const child = spawn(process.execPath, ['--import', tsx, join(ROOT, 'src/cli/main.ts'), ...argv], {
    cwd: world.dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
      ...world.variables,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return child;
}

async function killed(child: ChildProcess): Promise<NodeJS.Signals | null> {
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  child.kill('SIGKILL');
  return exited;
}

describe('an apply killed with SIGKILL in the middle of a run', () => {
  it('is named by strata audit verify as a run that never finished, and --strict fails on it', async () => {
    expect((await world.plan()).exitCode).toBe(0);
    // Held open and never answered: the run is caught mid-write, and nothing reaches the server after the kill.
    world.cluster.faults.add({ verb: 'patch', resource: 'persistentvolumeclaims', hang: true });
    const output: string[] = [];
    const child = applyAsProcess(output);
    const stepStarted = await waitFor(
      'the apply to start writing a claim',
      async () => {
        if (child.exitCode !== null)
          throw new Error(`strata apply exited ${child.exitCode} before it was killed:\n${output.join('')}`);
        return (await logEvents()).find(
          (event) => event.type === 'step-started' && event.address?.kind === 'PersistentVolumeClaim',
        );
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    expect(await killed(child)).toBe('SIGKILL');
    world.cluster.faults.clear();

    const events = await logEvents();
    const [started] = events;
    expect(started).toMatchObject({ type: 'run-started', keyed: true, runId: stepStarted.runId });
    expect(events.some((event) => event.type === 'run-finished')).toBe(false);

    const verified = await verify();
    expect(verified.exitCode).toBe(0);
    expect(verified.stdout).toMatch(/chain intact, every event keyed and checked with STRATA_AUDIT_KEY/);
    expect(verified.stdout).toContain(
      `audit/${world.env}.jsonl:1: run ${started!.runId} never finished (killed, or still running): started ${started!.time.replace(/\.\d+Z$/, 'Z')} by e2e-runner@`,
    );
    expect(verified.stdout).toMatch(/\d+ steps? started, \d+ of them ended; last event at line \d+: /);
    expect(verified.stderr).toContain('warning: 1 run never finished (killed, or still running)');

    const strict = await verify('--strict');
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr).toContain('error: --strict: the latest run (line 1) never finished');
  }, 120_000);
});
