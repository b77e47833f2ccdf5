/** Audit records as the applier writes them, with DOMAIN.md's prod claim. */
import type { AuditRecord } from '../../../src/model/audit.js';

export const alice = { user: 'alice', host: 'ci-runner-7', ciRun: 'https://github.com/acme/storage/actions/runs/42' };

export function stepRecord(step: number, type: AuditRecord['type'] = 'step-succeeded', planHash = 'plan-a'): AuditRecord {
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
