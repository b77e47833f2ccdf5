import { describe, expect, it } from 'vitest';
import { validateEnvironmentText } from '../../src/config/validate.js';
import { coverageReport, fullyCovered } from '../../src/coverage/report.js';
import { coverageFixture } from '../fixtures/render/coverage.js';

/** A small file with one backed-up volume; `extra` is appended under the codequal namespace's volumes. */
function reportOf(extraVolumes: string) {
  const text = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    'metadata: { name: small }',
    'targets: { kubernetes: {}, s3: {} }',
    'storageClasses:',
    '  standard: { provisioner: ebs.csi.aws.com }',
    'namespaces:',
    '  codequal:',
    '    name: codequal-dev',
    '    volumes:',
    '      data: { storageClass: standard, size: 20Gi }',
    extraVolumes,
    '    backups:',
    '      nightly:',
    '        name: data-nightly',
    '        volume: data',
    '        schedule: "@daily"',
    '        destination: { bucket: backups, prefix: data/ }',
    '        keep: 14d',
    '        credentials: { veleroServer: true }',
    'buckets:',
    '  backups: { name: akosha-backups-dev }',
    '',
  ].join('\n');
  const { state, diagnostics } = validateEnvironmentText(text, {
    file: 'environments/small.yaml',
    fileName: 'small',
    environments: new Map(),
  });
  if (!state) throw new Error(JSON.stringify(diagnostics));
  return coverageReport(state, diagnostics);
}

describe('coverageReport', () => {
  it('describes a backup by its physical names, its schedule, keep and the rule that expires its copies', () => {
    expect(reportOf('').volumes).toEqual([
      {
        namespace: 'codequal-dev',
        volume: 'data',
        status: 'covered',
        backups: [
          {
            name: 'data-nightly',
            schedule: '@daily',
            timeZone: 'Etc/UTC',
            keepDays: 14,
            destination: 's3://akosha-backups-dev/data/',
            expiredBy: { rule: 'backup-keep-nightly', days: 14 },
          },
        ],
      },
    ]);
  });

  it('is fully covered when every volume is backed up or marked none', () => {
    const report = reportOf('      cache: { storageClass: standard, size: 5Gi, backup: { none: rebuilt } }');
    expect(report.counts).toEqual({ volumes: 2, covered: 1, none: 1, uncovered: 0 });
    expect(fullyCovered(report)).toBe(true);
  });

  it('is not fully covered while a volume is neither, and keeps the warning that says so', () => {
    const report = reportOf('      cache: { storageClass: standard, size: 5Gi }');
    expect(fullyCovered(report)).toBe(false);
    expect(report.findings.map((finding) => finding.path)).toEqual(['/namespaces/codequal/volumes/cache']);
  });

  it('leaves out findings that are not about backups', () => {
    // maxSize above size on a class without expansion is a warning about growth, not about backups.
    const report = reportOf('      cache: { storageClass: standard, size: 5Gi, maxSize: 10Gi, backup: { none: x } }');
    expect(report.findings).toEqual([]);
  });

  it('says null where a versioned bucket has no rule that deletes expired copies', () => {
    const weekly = coverageFixture().volumes[0];
    expect(weekly?.status === 'covered' && weekly.backups[1]?.noncurrentExpiredBy).toBeNull();
  });
});
