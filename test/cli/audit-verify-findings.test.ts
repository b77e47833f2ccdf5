/**
 * What `strata audit verify` says beyond the chain: runs that never finished (a warning, or with --strict an error),
 * events outside their run, and what a keyed or unkeyed chain proves, with and without STRATA_AUDIT_KEY.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/apply/audit/index.js';
import type { AuditRecord } from '../../src/model/audit.js';
import { appendForged } from '../apply/audit/forge.js';
import { AUDIT_KEY, runRecord, stepRecord, wholeRun } from '../apply/audit/records.js';
import { runCli } from '../support/cli.js';

let cwd: string;
const path = () => join(cwd, 'audit', 'prod.jsonl');

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'strata-cli-audit-verify-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function strata(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await runCli(argv, { cwd, env });
  return { code: result.exitCode, out: result.stdout.trimEnd().split('\n'), err: result.stderr.trimEnd().split('\n') };
}

async function write(records: AuditRecord[], key?: string): Promise<void> {
  const log = await openAuditLog(path(), { key });
  for (const record of records) await log.append(record);
}

/** A run killed in the middle of its second step: started, one step done, the next one started, nothing after. */
const killedRun = (runId: string): AuditRecord[] => [
  runRecord('run-started', runId, { time: '2026-11-23T10:00:00.000Z' }),
  { ...stepRecord(1, 'step-started'), runId },
  { ...stepRecord(1, 'step-succeeded'), runId },
  { ...stepRecord(2, 'step-started'), runId },
];
const withKey = { STRATA_AUDIT_KEY: AUDIT_KEY };

describe('strata audit verify on runs', () => {
  it('names a run that never finished, with when, who, its steps and its last event, as a warning (exit 0)', async () => {
    await write(killedRun('run-1'));
    const result = await strata(['audit', 'verify', 'prod']);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      'audit/prod.jsonl: 4 events, chain intact',
      'audit/prod.jsonl:1: run run-1 never finished (killed, or still running): started 2026-11-23T10:00:00Z by alice@ci-runner-7 (https://github.com/acme/storage/actions/runs/42); 2 steps started, 1 of them ended; last event at line 4: step-started of step 2 (kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data) at 2026-11-23T10:00:02Z',
    ]);
    expect(result.err).toContain(
      'warning: 1 run never finished (killed, or still running): the steps it started may or may not have been written',
    );
  });

  it('with --strict exits 1 while the latest run never finished', async () => {
    await write(killedRun('run-1'));
    const result = await strata(['audit', 'verify', 'prod', '--strict']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('error: --strict: the latest run (line 1) never finished');
    expect(result.err.at(-1)).toMatch(
      /^hint: if it is still running, wait for it; if not, finish it with `strata apply --resume <planfile>`/,
    );
  });

  it('with --strict passes a killed run that later runs followed, still naming it', async () => {
    await write([...killedRun('run-1'), ...wholeRun('run-2', 1)]);
    const result = await strata(['audit', 'verify', 'prod', '--strict']);
    expect(result.code).toBe(0);
    expect(result.out[1]).toMatch(/^audit\/prod\.jsonl:1: run run-1 never finished/);
  });

  it('names an event for a run that never started and exits 1', async () => {
    await write(wholeRun('run-1', 1));
    await appendForged(path(), { ...stepRecord(3), runId: 'run-9' }, { keyed: false });
    const result = await strata(['audit', 'verify', 'prod']);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      'audit/prod.jsonl:5: step-succeeded names run run-9, which never started (no run-started for it before this line)',
    ]);
    expect(result.err[0]).toBe(
      'audit/prod.jsonl: 1 problem: the log was changed after strata wrote it; restore it from version control or a backup',
    );
  });
});

describe('strata audit verify with STRATA_AUDIT_KEY', () => {
  it('says every event is keyed and checked, with nothing more to say', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    expect(await strata(['audit', 'verify', 'prod'], withKey)).toEqual({
      code: 0,
      out: ['audit/prod.jsonl: 4 events, chain intact, every event keyed and checked with STRATA_AUDIT_KEY'],
      err: [''],
    });
  });

  it('names an appended event whose sha256 was recomputed, and exits 1', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    await appendForged(path(), runRecord('run-finished', 'run-1', { outcome: 'succeeded' }), { keyed: true });
    const result = await strata(['audit', 'verify', 'prod'], withKey);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      'audit/prod.jsonl:5: event does not match STRATA_AUDIT_KEY (edited or forged after it was written, or written with another key)',
    ]);
  });

  it('with another key names every event and says the key may be the wrong one', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    const result = await strata(['audit', 'verify', 'prod'], { STRATA_AUDIT_KEY: 'f00d'.repeat(16) });
    expect(result.code).toBe(1);
    expect(result.out).toHaveLength(4);
    expect(result.err.at(-1)).toBe(
      'hint: no keyed event matches STRATA_AUDIT_KEY: unless every one was forged, this is not the key the log was written with',
    );
  });

  it('says which lines were written before the log was keyed', async () => {
    await write(wholeRun('run-1', 1));
    await write(wholeRun('run-2', 1), AUDIT_KEY);
    const result = await strata(['audit', 'verify', 'prod', '--strict'], withKey);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      'audit/prod.jsonl: 8 events, chain intact, 4 events keyed and checked with STRATA_AUDIT_KEY',
    ]);
    expect(result.err).toEqual([
      'note: lines 1–4 were written before the log was keyed: the chain proves their order, not who wrote them (the keyed events after them keep them from being changed since)',
    ]);
  });

  it('says when no event is keyed although the key is set, which --strict refuses', async () => {
    await write(wholeRun('run-1', 1));
    expect((await strata(['audit', 'verify', 'prod'], withKey)).err).toEqual([
      'note: no event is keyed although STRATA_AUDIT_KEY is set, so the chain proves the order of events, not who wrote them; the next apply with the key starts keying it',
    ]);
    const strict = await strata(['audit', 'verify', 'prod', '--strict'], withKey);
    expect(strict.code).toBe(1);
    expect(strict.err[0]).toMatch(/^error: --strict: no event is keyed although STRATA_AUDIT_KEY is set/);
    expect(strict.err[1]).toMatch(
      /^hint: apply with STRATA_AUDIT_KEY set; if this log was keyed before, it has been replaced/,
    );
  });

  it('without the key says keyed events are checked for order only, which --strict refuses', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    const lenient = await strata(['audit', 'verify', 'prod']);
    expect(lenient.code).toBe(0);
    expect(lenient.err).toEqual([
      'note: 4 events are keyed, but STRATA_AUDIT_KEY is not set here: their order is checked, not their content or who wrote them',
    ]);
    const strict = await strata(['audit', 'verify', 'prod', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.err).toEqual([
      'error: --strict: 4 events are keyed, but STRATA_AUDIT_KEY is not set here: their order is checked, not their content or who wrote them',
      'hint: set STRATA_AUDIT_KEY to the key the log is written with (the CI secret of the jobs that apply)',
    ]);
  });

  it('refuses a key that is set but empty, as a missing CI secret expands', async () => {
    await write(wholeRun('run-1', 1));
    const result = await strata(['audit', 'verify', 'prod'], { STRATA_AUDIT_KEY: '' });
    expect(result.code).toBe(1);
    expect(result.err[0]).toBe(
      'error: STRATA_AUDIT_KEY is set but empty (a CI secret that does not exist expands to nothing)',
    );
    expect(result.err[1]).toMatch(
      /^hint: unset it to write and check the audit log unkeyed, or make one with `openssl rand -hex 32`/,
    );
  });
});

describe('strata audit verify on hostile values', () => {
  it('shows control characters in a forged event as text, never sending them to the terminal', async () => {
    await write([
      runRecord('run-started', 'run-1', { actor: { user: 'mallory\u001b]0;owned\u0007', host: 'laptop\u009b2J' } }),
    ]);
    const result = await strata(['audit', 'verify', 'prod']);
    const printed = [...result.out, ...result.err].join('\n');
    expect(printed).toContain('by mallory\\u001b]0;owned\\u0007@laptop\\u009b2J');
    // No control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) other than a line feed.
    expect(printed).not.toMatch(/(?!\n)\p{Cc}/u);
  });
});
