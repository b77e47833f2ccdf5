import { describe, expect, it } from 'vitest';
import { auditLogPath } from '../../../src/apply/audit/index.js';

describe('where the audit log lives', () => {
  it('defaults to audit/<env>.jsonl under the working directory', () => {
    expect(auditLogPath({ cwd: '/repo', environment: 'prod', env: {} })).toBe('/repo/audit/prod.jsonl');
  });

  it('follows STRATA_AUDIT_DIR', () => {
    expect(auditLogPath({ cwd: '/repo', environment: 'prod', env: { STRATA_AUDIT_DIR: '/var/log/strata' } })).toBe(
      '/var/log/strata/prod.jsonl',
    );
  });

  it('prefers --audit-dir over STRATA_AUDIT_DIR, relative to the working directory', () => {
    expect(
      auditLogPath({
        cwd: '/repo',
        environment: 'staging',
        env: { STRATA_AUDIT_DIR: '/var/log/strata' },
        auditDir: 'logs',
      }),
    ).toBe('/repo/logs/staging.jsonl');
  });
});
