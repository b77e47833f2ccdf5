import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem, openAuditLog, verifyAuditLog, type AuditVerification } from '../../../src/apply/audit/index.js';
import type { AuditRecord } from '../../../src/model/audit.js';
import { alice, runRecord, stepRecord, wholeRun } from './records.js';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-audit-runs-'));
  path = join(dir, 'prod.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verified(records: AuditRecord[]): Promise<AuditVerification> {
  const log = await openAuditLog(path);
  for (const record of records) await log.append(record);
  return verifyAuditLog(path);
}

const killedRun = (runId: string): AuditRecord[] => [
  runRecord('run-started', runId, { time: '2026-11-23T10:00:00.000Z' }),
  { ...stepRecord(1, 'step-started'), runId },
  { ...stepRecord(1, 'step-succeeded'), runId },
  { ...stepRecord(2, 'step-started'), runId },
];

describe('runs in the audit log', () => {
  it('passes runs that started and finished', async () => {
    expect(await verified([...wholeRun('run-1', 2), ...wholeRun('run-2', 1)])).toMatchObject({
      ok: true,
      unfinished: [],
    });
  });

  it('names a run that started and never finished: when, who, its steps, its last event', async () => {
    const verification = await verified(killedRun('run-1'));
    expect(verification.ok).toBe(true);
    expect(verification.unfinished).toEqual([
      {
        runId: 'run-1',
        started: { line: 1, event: expect.objectContaining({ type: 'run-started', actor: alice }) as unknown },
        stepsStarted: 2,
        stepsEnded: 1,
        last: { line: 4, event: expect.objectContaining({ type: 'step-started', step: 2 }) as unknown },
        latest: true,
      },
    ]);
  });

  it('tells a killed run that later runs followed from the latest one', async () => {
    const { unfinished } = await verified([...killedRun('run-1'), ...wholeRun('run-2', 1), ...killedRun('run-3')]);
    expect(unfinished.map(({ runId, latest }) => ({ runId, latest }))).toEqual([
      { runId: 'run-1', latest: false },
      { runId: 'run-3', latest: true },
    ]);
  });

  it('notes a lock of its plan broken after an unfinished run started', async () => {
    const lockBroken: AuditRecord = {
      type: 'lock-broken',
      time: '2026-11-23T11:00:00.000Z',
      environment: 'prod',
      actor: alice,
      planHash: 'plan-a',
      reason: 'expired',
    };
    const { unfinished } = await verified([...killedRun('run-1'), lockBroken]);
    expect(unfinished[0]?.lockBroken).toEqual({
      line: 5,
      event: expect.objectContaining({ type: 'lock-broken' }) as unknown,
    });
  });

  it('reports an event for a run that never started, by line', async () => {
    const verification = await verified([...wholeRun('run-1', 1), { ...stepRecord(7), runId: 'run-9' }]);
    expect(verification.ok).toBe(false);
    expect(verification.problems.map(formatProblem)).toEqual([
      'line 5: step-succeeded names run run-9, which never started (no run-started for it before this line)',
    ]);
  });

  it('reports an event after its run finished', async () => {
    const { problems } = await verified([...wholeRun('run-1', 1), stepRecord(2)]);
    expect(problems.map(formatProblem)).toEqual([
      'line 5: step-succeeded names run run-1, which had already finished (at line 4)',
    ]);
  });

  it('reports a run that starts twice', async () => {
    const { problems } = await verified([runRecord('run-started', 'run-1'), runRecord('run-started', 'run-1')]);
    expect(problems.map(formatProblem)).toEqual(['line 2: run run-1 starts a second time (it started at line 1)']);
  });

  it('reports a step event that names no run', async () => {
    const { runId: _runId, ...withoutRun } = stepRecord(1);
    const { problems } = await verified([withoutRun]);
    expect(problems.map(formatProblem)).toEqual(['line 1: step-succeeded belongs to no run (it has no runId)']);
  });

  it('leaves events outside a run unreported when the broken chain already explains them', async () => {
    await verified(wholeRun('run-1', 1));
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    await writeFile(path, `${lines.slice(1).join('\n')}\n`);
    expect((await verifyAuditLog(path)).problems.map(formatProblem)).toEqual([
      'line 1: an event is missing before this one (expected seq 1, found 2)',
    ]);
  });

  it('counts a broken lock and a forced promotion as events of no run', async () => {
    const outside: AuditRecord[] = [
      { type: 'lock-broken', time: '2026-11-23T11:00:00.000Z', environment: 'prod', actor: alice, reason: 'expired' },
      {
        type: 'promotion-forced',
        time: '2026-11-23T11:00:00.000Z',
        environment: 'prod',
        actor: alice,
        reason: 'INC-4211',
      },
    ];
    expect(await verified(outside)).toMatchObject({ ok: true, problems: [], unfinished: [] });
  });
});
