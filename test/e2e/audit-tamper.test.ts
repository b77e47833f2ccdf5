/**
 * `strata audit verify` against a log a real apply wrote with STRATA_AUDIT_KEY: intact it passes; edited, cut or
 * reordered it names the line; an event appended with a recomputed sha256 is caught by the key, and an event for a
 * run that never started by the runs check.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sealEvent } from '../../src/apply/audit/chain.js';
import type { AuditEvent, AuditRecord } from '../../src/model/audit.js';
import { runCli } from '../support/cli.js';
import { appendForged } from '../apply/audit/forge.js';
import { applyBase } from './support/scenario.js';
import { startWorld, type World } from './support/world.js';

const AUDIT_KEY = randomBytes(32).toString('hex');
let world: World;
let original: string;
const logPath = () => join(world.auditDir, `${world.env}.jsonl`);
const shown = () => `audit/${world.env}.jsonl`;
const verify = (...extra: string[]) =>
  world.strata('audit', 'verify', world.env, '--audit-dir', world.auditDir, ...extra);
/** The same command where the key is not set, as on a laptop. */
const verifyWithoutKey = (...extra: string[]) =>
  runCli(['audit', 'verify', logPath(), ...extra], { cwd: world.dir, env: {} });

/** A run's start or successful end, as someone who wants the record to vouch for a promotion would write it. */
function forged(type: 'run-started' | 'run-finished', runId: string): AuditRecord {
  const outcome = type === 'run-finished' ? { outcome: 'succeeded' as const } : {};
  return {
    type,
    time: new Date().toISOString(),
    environment: world.env,
    actor: { user: 'mallory', host: 'laptop' },
    runId,
    ...outcome,
  };
}

beforeAll(async () => {
  world = await startWorld({ variables: { STRATA_AUDIT_KEY: AUDIT_KEY } });
  await applyBase(world);
  original = await readFile(logPath(), 'utf8');
}, 60_000);
beforeEach(() => writeFile(logPath(), original));
afterAll(() => world?.cleanup());

async function rewriteLines(edit: (lines: string[]) => string[]): Promise<void> {
  const lines = original.trimEnd().split('\n');
  await writeFile(logPath(), `${edit(lines).join('\n')}\n`);
}

describe('strata audit verify on the log of a real apply', () => {
  it('passes the log as strata wrote it, every event keyed', async () => {
    const { exitCode, stdout } = await verify('--strict');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^${shown()}: \\d+ events, chain intact, every event keyed and checked with STRATA_AUDIT_KEY\n$`),
    );
  });

  it('catches one edited line and names it', async () => {
    // Someone rewrites who ran step 1.
    await rewriteLines((lines) =>
      lines.map((line, index) => (index === 2 ? line.replace('"user":"e2e-runner"', '"user":"mallory"') : line)),
    );
    expect((await readFile(logPath(), 'utf8')).split('\n')[2]).toContain('mallory');

    const { exitCode, stdout, stderr } = await verify();

    expect(exitCode).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${shown()}:3: `, 'm'));
    expect(stdout).not.toMatch(new RegExp(`^${shown()}:[12]: `, 'm'));
    expect(stderr).toContain('the log was changed after strata wrote it');
  });

  it('catches a removed line', async () => {
    await rewriteLines((lines) => lines.filter((_, index) => index !== 4));
    const { exitCode, stdout } = await verify();
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${shown()}:5: `, 'm'));
  });

  it('catches two lines swapped', async () => {
    await rewriteLines((lines) =>
      lines.map((line, index) => (index === 3 ? lines[4]! : index === 4 ? lines[3]! : line)),
    );
    const { exitCode, stdout } = await verify();
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${shown()}:4: `, 'm'));
  });
});

describe('strata audit verify on an event appended to the log of a real apply', () => {
  it('catches, with the key, an event whose sha256 was recomputed by someone without it', async () => {
    const [started] = original
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEvent);
    await appendForged(logPath(), forged('run-finished', started!.runId!), { keyed: true });
    const lines = (await readFile(logPath(), 'utf8')).trimEnd().split('\n').length;

    const { exitCode, stdout } = await verify();

    expect(exitCode).toBe(1);
    expect(stdout).toBe(
      `${shown()}:${lines}: event does not match STRATA_AUDIT_KEY (edited or forged after it was written, or written with another key)\n`,
    );
  });

  it('without the key cannot tell a whole forged run, says so, and --strict refuses to pass it', async () => {
    await appendForged(logPath(), forged('run-started', 'forged-run'), { keyed: true });
    await appendForged(logPath(), forged('run-finished', 'forged-run'), { keyed: true });

    const lenient = await verifyWithoutKey();
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stderr).toMatch(
      /^note: \d+ events are keyed, but STRATA_AUDIT_KEY is not set here: their order is checked, not their content or who wrote them$/m,
    );
    expect((await verifyWithoutKey('--strict')).exitCode).toBe(1);
  });

  it('names an event, sealed with the key itself, for a run that never started', async () => {
    const events = original
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEvent);
    const orphan = sealEvent(
      { ...forged('run-finished', 'no-such-run'), actor: events[0]!.actor },
      events.at(-1),
      AUDIT_KEY,
    );
    await appendFile(logPath(), `${JSON.stringify(orphan)}\n`);

    const { exitCode, stdout } = await verify();

    expect(exitCode).toBe(1);
    expect(stdout).toBe(
      `${shown()}:${orphan.seq}: run-finished names run no-such-run, which never started (no run-started for it before this line)\n`,
    );
  });
});
