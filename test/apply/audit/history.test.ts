import { describe, expect, it } from 'vitest';
import { lastRun, NOTHING_WRITTEN, stepHistory, successfulApplyOf } from '../../../src/apply/audit/index.js';
import { sealEvent } from '../../../src/apply/audit/chain.js';
import type { AuditEvent, AuditRecord } from '../../../src/model/audit.js';
import { runRecord, stepRecord } from './records.js';

function chain(records: AuditRecord[]): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const record of records) events.push(sealEvent(record, events.at(-1)));
  return events;
}

describe('reading the history of a plan', () => {
  it('counts a step as done only when its latest event is a success', () => {
    const events = chain([
      stepRecord(1, 'step-started'),
      stepRecord(1, 'step-succeeded'),
      stepRecord(2, 'step-started'),
      stepRecord(2, 'step-failed'),
      stepRecord(3, 'step-succeeded'),
      stepRecord(3, 'step-failed'),
      stepRecord(4, 'step-succeeded', 'plan-b'),
    ]);
    expect(stepHistory(events, 'plan-a').succeeded).toEqual(new Set([1]));
  });

  it('counts a step that failed and then succeeded on resume', () => {
    const events = chain([
      stepRecord(2, 'step-failed'),
      stepRecord(2, 'step-started'),
      stepRecord(2, 'step-succeeded'),
    ]);
    expect(stepHistory(events, 'plan-a').succeeded).toEqual(new Set([2]));
  });

  it('counts a step as sent when its latest event says its write went out, or the run died in the middle of it', () => {
    const events = chain([
      { ...stepRecord(1, 'step-succeeded'), wrote: true },
      { ...stepRecord(2, 'step-succeeded'), reason: NOTHING_WRITTEN, wrote: false },
      { ...stepRecord(3, 'step-failed'), wrote: true },
      { ...stepRecord(4, 'step-failed'), wrote: false },
      stepRecord(5, 'step-started'),
      { ...stepRecord(6, 'step-succeeded'), wrote: true },
      { ...stepRecord(6, 'step-succeeded'), reason: NOTHING_WRITTEN, wrote: false },
    ]);
    expect(stepHistory(events, 'plan-a').sent).toEqual(new Set([1, 3, 5]));
  });

  it('remembers a step skipped in step-through mode, with when, until a later event of it', () => {
    const events = chain([
      { ...stepRecord(1, 'step-skipped'), reason: 'skipped in step-through mode' },
      { ...stepRecord(2, 'step-skipped'), reason: 'skipped in step-through mode' },
      stepRecord(2, 'step-started'),
      stepRecord(2, 'step-succeeded'),
      { ...stepRecord(3, 'step-skipped', 'plan-b'), reason: 'skipped in step-through mode' },
    ]);
    expect(stepHistory(events, 'plan-a').skipped).toEqual(new Map([[1, '2026-11-23T10:00:01.000Z']]));
  });

  it('finds the latest run of a plan and how it ended', () => {
    const events = chain([
      runRecord('run-started', 'run-1'),
      runRecord('run-finished', 'run-1', { outcome: 'failed' }),
      runRecord('run-started', 'run-2'),
      runRecord('run-finished', 'run-2', { outcome: 'succeeded' }),
    ]);
    expect(lastRun(events, 'plan-a')).toMatchObject({ runId: 'run-2', outcome: 'succeeded', finished: { seq: 4 } });
    expect(lastRun(events, 'plan-b')).toBeUndefined();
  });

  it('says a run that never finished has no outcome', () => {
    const events = chain([runRecord('run-started', 'run-1'), stepRecord(1, 'step-started')]);
    const run = lastRun(events, 'plan-a');
    expect(run).toMatchObject({ runId: 'run-1', started: { seq: 1 } });
    expect(run?.finished).toBeUndefined();
  });

  it('finds the end of the latest run that applied a desired digest successfully', () => {
    const events = chain([
      runRecord('run-started', 'run-1', { desiredDigest: 'sha256:aaa' }),
      runRecord('run-finished', 'run-1', { outcome: 'failed' }),
      runRecord('run-started', 'run-2', { desiredDigest: 'sha256:bbb' }),
      runRecord('run-finished', 'run-2', { outcome: 'succeeded' }),
    ]);
    expect(successfulApplyOf(events, 'sha256:bbb')).toMatchObject({ type: 'run-finished', runId: 'run-2', seq: 4 });
    expect(successfulApplyOf(events, 'sha256:aaa')).toBeUndefined();
  });

  it('lets no run-finished vouch for a digest without the run-started that recorded it', () => {
    const events = chain([runRecord('run-finished', 'run-3', { outcome: 'succeeded', desiredDigest: 'sha256:ccc' })]);
    expect(successfulApplyOf(events, 'sha256:ccc')).toBeUndefined();
  });
});
