import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  openAuditLog,
  readAuditLog,
  scanAuditLog,
  verifyAuditLog,
} from '../../../src/apply/audit/index.js';
import { hashOf } from '../../../src/apply/audit/chain.js';
import { AuditError } from '../../../src/errors/audit-error.js';
import { stepRecord } from './records.js';

const run = promisify(execFile);
let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-audit-'));
  path = join(dir, 'audit', 'prod.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
}

/** The chain's problems alone: the step records appended here belong to no run, which verify would also report. */
async function chainProblems() {
  return (await scanAuditLog(path))?.problems;
}

describe('appending to the audit log', () => {
  it('creates the directory and starts the chain at seq 1 from 64 zeros', async () => {
    const log = await openAuditLog(path);
    const event = await log.append(stepRecord(1));
    expect(event).toMatchObject({ seq: 1, previousHash: GENESIS_HASH, step: 1, planHash: 'plan-a' });
    const { hash, ...unsealed } = event;
    expect(hash).toBe(hashOf(unsealed));
    expect(await lines()).toEqual([JSON.stringify(event)]);
  });

  it('links each event to the hash of the one before', async () => {
    const log = await openAuditLog(path);
    const first = await log.append(stepRecord(1));
    const second = await log.append(stepRecord(2));
    expect(second).toMatchObject({ seq: 2, previousHash: first.hash });
    expect(await chainProblems()).toEqual([]);
  });

  it('continues the chain of a log written by an earlier run', async () => {
    const earlier = await (await openAuditLog(path)).append(stepRecord(1));
    const later = await (await openAuditLog(path)).append(stepRecord(2));
    expect(later).toMatchObject({ seq: 2, previousHash: earlier.hash });
  });

  it('hashes the same content the same whatever order its keys were built in', async () => {
    const log = await openAuditLog(path);
    const { after, before, ...rest } = stepRecord(1);
    const event = await log.append({ after, ...rest, before });
    expect(event.hash).toBe(hashOf({ ...stepRecord(1), seq: 1, previousHash: GENESIS_HASH }));
  });

  it('keeps the chain intact under many concurrent appends in one process', async () => {
    const log = await openAuditLog(path);
    const events = await Promise.all(Array.from({ length: 40 }, (_, index) => log.append(stepRecord(index + 1))));
    expect(events.map((event) => event.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await chainProblems()).toEqual([]);
  });

  it('refuses a malformed record without failing the events appended at the same time', async () => {
    const log = await openAuditLog(path);
    const malformed = { ...stepRecord(2), time: 'yesterday' };
    const [first, refused, third] = await Promise.allSettled([
      log.append(stepRecord(1)),
      log.append(malformed),
      log.append(stepRecord(3)),
    ]);
    expect(refused.status).toBe('rejected');
    expect(String((refused as PromiseRejectedResult).reason)).toMatch(/audit record is malformed: time must be/);
    expect([first, third]).toMatchObject([
      { status: 'fulfilled', value: { seq: 1, step: 1 } },
      { status: 'fulfilled', value: { seq: 2, step: 3 } },
    ]);
    expect(await chainProblems()).toEqual([]);
  });

  it('keeps the chain intact when two processes append at the same time', async () => {
    const worker = join(import.meta.dirname, 'append-worker.ts');
    const appendFrom = (offset: number) =>
      run(process.execPath, ['--import', 'tsx', worker, path, '60', String(offset)]);
    await Promise.all([
      appendFrom(1),
      appendFrom(101),
      (async () => {
        const log = await openAuditLog(path);
        for (let step = 201; step <= 210; step += 1) await log.append(stepRecord(step));
      })(),
    ]);
    expect(await chainProblems()).toEqual([]);
    const steps = (await readAuditLog(path)).map((event) => event.step);
    expect(new Set(steps).size).toBe(130);
  }, 60_000);

  it('refuses to extend a log whose chain was tampered with, naming the line', async () => {
    const log = await openAuditLog(path);
    for (let step = 1; step <= 3; step += 1) await log.append(stepRecord(step));
    const edited = (await lines()).map((line, index) => (index === 1 ? line.replace('200Gi', '20Gi') : line));
    await writeFile(path, `${edited.join('\n')}\n`);
    await expect(openAuditLog(path)).rejects.toThrow(`${path}:2: event was edited (hash does not match its content)`);
  });

  it('refuses to append after another writer tampered with the log it has open', async () => {
    const log = await openAuditLog(path);
    await log.append(stepRecord(1));
    await appendFile(
      path,
      `${JSON.stringify({ ...stepRecord(2), seq: 2, previousHash: GENESIS_HASH, hash: GENESIS_HASH })}\n`,
    );
    const failure = await log.append(stepRecord(3)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditError);
    expect(failure).toMatchObject({ line: 2 });
  });

  it('reports a last line cut off by a crash instead of silently repairing it', async () => {
    const log = await openAuditLog(path);
    await log.append(stepRecord(1));
    await log.append(stepRecord(2));
    const text = await readFile(path, 'utf8');
    await truncate(path, text.length - 20);
    const failure = await openAuditLog(path).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditError);
    expect((failure as AuditError).message).toBe(
      `${path}:2: the last line is incomplete (a write was cut off, probably by a crash)`,
    );
    expect((failure as AuditError).hint).toContain('remove it');
    expect((await readFile(path, 'utf8')).length).toBe(text.length - 20);
  });

  it('takes over a lock file left behind by a process that died mid-append', async () => {
    const log = await openAuditLog(path);
    await writeFile(`${path}.lock`, '12345 2026-11-23T10:00:00.000Z\n');
    const longAgo = new Date(Date.now() - 31_000);
    await utimes(`${path}.lock`, longAgo, longAgo);
    await expect(log.append(stepRecord(1))).resolves.toMatchObject({ seq: 1 });
  });

  it('waits for a live lock file to go away before appending', async () => {
    const log = await openAuditLog(path);
    await writeFile(`${path}.lock`, 'held\n');
    const appended = log.append(stepRecord(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await verifyAuditLog(path)).toMatchObject({ events: 0 });
    await rm(`${path}.lock`);
    await expect(appended).resolves.toMatchObject({ seq: 1 });
  });
});
