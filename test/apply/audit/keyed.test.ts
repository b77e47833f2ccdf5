import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem, openAuditLog, readAuditLog, verifyAuditLog } from '../../../src/apply/audit/index.js';
import { hashOf } from '../../../src/apply/audit/chain.js';
import { canonicalJson } from '../../../src/model/canonical.js';
import { AuditError } from '../../../src/errors/audit-error.js';
import type { AuditEvent, AuditRecord } from '../../../src/model/audit.js';
import { appendForged } from './forge.js';
import { AUDIT_KEY, runRecord, stepRecord, wholeRun } from './records.js';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-audit-keyed-'));
  path = join(dir, 'prod.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(records: AuditRecord[], key?: string): Promise<void> {
  const log = await openAuditLog(path, { key });
  for (const record of records) await log.append(record);
}

async function readLines(): Promise<string[]> {
  return (await readFile(path, 'utf8')).trimEnd().split('\n');
}

async function writeLines(lines: string[]): Promise<void> {
  await writeFile(path, `${lines.join('\n')}\n`);
}

async function problems(key?: string): Promise<string[]> {
  return (await verifyAuditLog(path, { key })).problems.map(formatProblem);
}

const forgedSuccess = () =>
  runRecord('run-finished', 'run-1', { outcome: 'succeeded', actor: { user: 'mallory', host: 'laptop' } });

describe('a keyed audit log', () => {
  it('links each event with an HMAC-SHA256, under the key, of what the sha256 covers, and marks it keyed', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    const [first, second] = (await readLines()).map((line) => JSON.parse(line) as AuditEvent);
    const { hash, ...unsealed } = first!;
    expect(first).toMatchObject({ keyed: true, seq: 1 });
    expect(hash).toBe(createHmac('sha256', AUDIT_KEY).update(canonicalJson(unsealed)).digest('hex'));
    expect(hash).toBe(hashOf(unsealed, AUDIT_KEY));
    expect(second).toMatchObject({ keyed: true, previousHash: hash });
  });

  it('never writes the key into the log', async () => {
    await write(wholeRun('run-1', 2), AUDIT_KEY);
    expect(await readFile(path, 'utf8')).not.toContain(AUDIT_KEY);
  });

  it('verifies with the key, counting every event keyed and checked', async () => {
    await write(wholeRun('run-1', 2), AUDIT_KEY);
    expect(await verifyAuditLog(path, { key: AUDIT_KEY })).toMatchObject({
      ok: true,
      problems: [],
      keying: { keyed: 6, unkeyed: 0, checked: true, matching: 6 },
    });
  });

  it('names an appended event whose sha256 was recomputed by someone without the key', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    await appendForged(path, forgedSuccess(), { keyed: true });
    expect(await problems(AUDIT_KEY)).toEqual([
      'line 5: event does not match STRATA_AUDIT_KEY (edited or forged after it was written, or written with another key)',
    ]);
  });

  it('names an unkeyed event after keyed ones, with or without the key', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    await appendForged(path, forgedSuccess(), { keyed: false });
    const expected = [
      'line 5: event is not keyed, but events before it are (added without STRATA_AUDIT_KEY, or forged)',
    ];
    expect(await problems(AUDIT_KEY)).toEqual(expected);
    expect(await problems()).toEqual(expected);
  });

  it('without the key checks the order of keyed events, not their content', async () => {
    await write(wholeRun('run-1', 2), AUDIT_KEY);
    const lines = await readLines();
    const edited = lines.map((line, index) => (index === 2 ? line.replace('"200Gi"', '"2000Gi"') : line));
    await writeLines(edited);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, keying: { keyed: 6, checked: false, matching: 0 } });
    await writeLines(edited.filter((_, index) => index !== 3));
    expect(await problems()).toEqual(['line 4: an event is missing before this one (expected seq 4, found 5)']);
  });

  it('with another key names every keyed event and matches none', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    const verification = await verifyAuditLog(path, { key: 'f00d'.repeat(16) });
    expect(verification.problems.map((problem) => problem.line)).toEqual([1, 2, 3, 4]);
    expect(verification.keying).toMatchObject({ keyed: 4, matching: 0 });
  });

  it('keys a log that was unkeyed from the first keyed append on, and verifies it with the key', async () => {
    await write(wholeRun('run-1', 1));
    await write(wholeRun('run-2', 1), AUDIT_KEY);
    const marks = (await readLines()).map((line) => (JSON.parse(line) as AuditEvent).keyed === true);
    expect(marks).toEqual([false, false, false, false, true, true, true, true]);
    expect(await verifyAuditLog(path, { key: AUDIT_KEY })).toMatchObject({
      ok: true,
      keying: { keyed: 4, unkeyed: 4, matching: 4 },
    });
  });

  it('keeps the unkeyed events before the first keyed one from being rewritten, since that event seals their hash', async () => {
    await write(wholeRun('run-1', 1));
    await write(wholeRun('run-2', 1), AUDIT_KEY);
    const lines = await readLines();
    // Rewrite who ran step 1 and recompute the sha256 of every unkeyed line from there.
    let previous = (JSON.parse(lines[0]!) as AuditEvent).hash;
    for (let index = 1; index < 4; index += 1) {
      const { hash: _hash, ...unsealed } = JSON.parse(lines[index]!.replace('"alice"', '"mallory"')) as AuditEvent;
      const resealed = { ...unsealed, previousHash: previous };
      previous = hashOf(resealed);
      lines[index] = JSON.stringify({ ...resealed, hash: previous });
    }
    await writeLines(lines);
    expect(await problems(AUDIT_KEY)).toEqual([
      'line 5: the event before it was changed or replaced (previousHash does not match line 4)',
    ]);
  });
});

describe('appending to a keyed audit log', () => {
  it('refuses to add to a keyed log without the key, saying which variable to set', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    const before = await readFile(path, 'utf8');
    const failure = await openAuditLog(path).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditError);
    expect((failure as AuditError).message).toBe(
      `${path}: the log is keyed (its events are sealed with STRATA_AUDIT_KEY), and STRATA_AUDIT_KEY is not set here`,
    );
    expect((failure as AuditError).hint).toContain('set STRATA_AUDIT_KEY to the key the log is written with');
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('refuses to extend a keyed log whose events do not match the key, pointing at the key first', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    const failure = await openAuditLog(path, { key: 'f00d'.repeat(16) }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditError);
    expect((failure as AuditError).line).toBe(1);
    expect((failure as AuditError).hint).toMatch(/^check that STRATA_AUDIT_KEY is the key this log is written with/);
  });

  it('reads a keyed log without the key for what it says, but not one with a forged event under the key', async () => {
    await write(wholeRun('run-1', 1), AUDIT_KEY);
    await appendForged(path, stepRecord(2), { keyed: true });
    expect(await readAuditLog(path)).toHaveLength(5);
    await expect(readAuditLog(path, { key: AUDIT_KEY })).rejects.toThrow(
      `${path}:5: event does not match STRATA_AUDIT_KEY`,
    );
  });
});
