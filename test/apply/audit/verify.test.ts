import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatProblem,
  openAuditLog,
  readAuditLog,
  scanAuditLog,
  verifyAuditLog,
} from '../../../src/apply/audit/index.js';
import { hashOf } from '../../../src/apply/audit/chain.js';
import type { AuditEvent } from '../../../src/model/audit.js';
import { runRecord, stepRecord } from './records.js';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-audit-'));
  path = join(dir, 'prod.jsonl');
  // One run of eight steps: ten events.
  const log = await openAuditLog(path);
  await log.append(runRecord('run-started', 'run-1'));
  for (let step = 1; step <= 8; step += 1) await log.append(stepRecord(step));
  await log.append(runRecord('run-finished', 'run-1', { outcome: 'succeeded' }));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readLines(): Promise<string[]> {
  return (await readFile(path, 'utf8')).trimEnd().split('\n');
}

async function writeLines(lines: string[]): Promise<void> {
  await writeFile(path, `${lines.join('\n')}\n`);
}

async function problems(): Promise<string[]> {
  return (await verifyAuditLog(path)).problems.map(formatProblem);
}

describe('verifying the audit log', () => {
  it('finds an intact chain intact', async () => {
    expect(await verifyAuditLog(path)).toEqual({
      ok: true,
      events: 10,
      problems: [],
      keying: { keyed: 0, unkeyed: 10, checked: false, matching: 0 },
      unfinished: [],
    });
  });

  it('treats a log that does not exist yet as empty and intact', async () => {
    expect(await verifyAuditLog(join(dir, 'dev.jsonl'))).toMatchObject({
      ok: true,
      events: 0,
      problems: [],
      unfinished: [],
    });
  });

  it('names an edited line by its hash', async () => {
    const lines = await readLines();
    lines[6] = lines[6]!.replace('"200Gi"', '"2000Gi"');
    await writeLines(lines);
    expect(await problems()).toEqual(['line 7: event was edited (hash does not match its content)']);
  });

  it('names the line after an event that was edited and re-hashed', async () => {
    const lines = await readLines();
    const forged = JSON.parse(lines[6]!) as AuditEvent;
    forged.after = { size: '2000Gi' };
    const { hash: _hash, ...unsealed } = forged;
    lines[6] = JSON.stringify({ ...unsealed, hash: hashOf(unsealed) });
    await writeLines(lines);
    expect(await problems()).toEqual([
      'line 8: the event before it was changed or replaced (previousHash does not match line 7)',
    ]);
  });

  it('names the place of a removed line', async () => {
    const lines = await readLines();
    lines.splice(6, 1);
    await writeLines(lines);
    expect(await problems()).toEqual(['line 7: an event is missing before this one (expected seq 7, found 8)']);
  });

  it('notices a removed first line', async () => {
    await writeLines((await readLines()).slice(1));
    expect(await problems()).toEqual(['line 1: an event is missing before this one (expected seq 1, found 2)']);
  });

  it('names both lines of a swapped pair', async () => {
    const lines = await readLines();
    [lines[3], lines[4]] = [lines[4]!, lines[3]!];
    await writeLines(lines);
    expect(await problems()).toEqual([
      'line 4: event is out of order (expected seq 4, found 5)',
      'line 5: event is out of order (seq 4 comes after seq 5)',
    ]);
  });

  it('names a line that is not JSON', async () => {
    const lines = await readLines();
    lines[2] = lines[2]!.slice(0, 30);
    await writeLines(lines);
    expect(await problems()).toEqual([expect.stringMatching(/^line 3: not valid JSON \(.+\)$/)]);
  });

  it('names a line that is JSON but not an audit event', async () => {
    const lines = await readLines();
    lines[2] = '{"note":"all good"}';
    await writeLines(lines);
    expect(await problems()).toEqual(['line 3: not an audit event: seq must be a whole number from 1']);
  });

  it('names a blanked line', async () => {
    const lines = await readLines();
    lines[4] = '';
    await writeLines(lines);
    expect(await problems()).toEqual(['line 5: empty line (an event was removed or blanked)']);
  });

  it('reports a last line cut off by a crash', async () => {
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, -25));
    expect(await verifyAuditLog(path)).toMatchObject({
      ok: false,
      events: 9,
      problems: [{ line: 10, message: 'the last line is incomplete (a write was cut off, probably by a crash)' }],
      unfinished: [{ runId: 'run-1' }],
    });
  });

  it('refuses to hand a tampered log to the applier', async () => {
    const lines = await readLines();
    lines.splice(6, 1);
    await writeLines(lines);
    await expect(readAuditLog(path)).rejects.toThrow(`${path}:7: an event is missing before this one`);
  });

  it('still lists the readable events of a tampered log, for investigation', async () => {
    const lines = await readLines();
    lines[6] = lines[6]!.replace('"200Gi"', '"2000Gi"');
    await writeLines(lines);
    const scan = await scanAuditLog(path);
    expect(scan?.events).toHaveLength(10);
    expect(scan?.problems).toHaveLength(1);
  });
});
