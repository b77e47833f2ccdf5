/** Audit records as the applier writes them, with docs/DOMAIN.md's prod claim. */
import type { AuditRecord } from '../../../src/model/audit.js';

/** A key as `openssl rand -hex 32` makes one. */
export const AUDIT_KEY = 'c0ffee'.repeat(11);

export const alice = { user: 'alice', host: 'ci-runner-7', ciRun: 'https://github.com/acme/storage/actions/runs/42' };

export function stepRecord(
  step: number,
  type: AuditRecord['type'] = 'step-succeeded',
  planHash = 'plan-a',
): AuditRecord {
  return {
    type,
    time: `2026-11-23T10:00:${String(step % 60).padStart(2, '0')}.000Z`,
    environment: 'prod',
    actor: alice,
    runId: 'run-1',
    planHash,
    step,
    address: { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'codequal-prod', name: 'deepwiki-data' },
    action: 'update',
    before: { size: '50Gi' },
    after: { size: '200Gi' },
  };
}

export function runRecord(
  type: 'run-started' | 'run-finished',
  runId: string,
  extra: Partial<AuditRecord> = {},
): AuditRecord {
  return {
    type,
    time: '2026-11-23T10:00:00.000Z',
    environment: 'prod',
    actor: alice,
    runId,
    planHash: 'plan-a',
    ...extra,
  };
}

/** One whole run as the applier writes it: its start, a start and success per step, its end. */
export function wholeRun(runId: string, steps: number): AuditRecord[] {
  const stepRecords = Array.from({ length: steps }, (_, index) => [
    { ...stepRecord(index + 1, 'step-started'), runId },
    { ...stepRecord(index + 1), runId },
  ]).flat();
  return [runRecord('run-started', runId), ...stepRecords, runRecord('run-finished', runId, { outcome: 'succeeded' })];
}
