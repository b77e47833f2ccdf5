import { describe, expect, it } from 'vitest';
import { renderDriftPrometheus } from '../../src/render/drift-prometheus.js';
import { expectDriftGolden } from '../fixtures/drift/golden.js';
import { driftedRun, partlyFailedRun } from '../fixtures/drift/runs.js';

describe('renderDriftPrometheus', () => {
  it('counts findings by environment, kind and class, zeros included', async () => {
    const text = renderDriftPrometheus(await driftedRun({ verbose: false }));
    expectDriftGolden('dev.drift.prom', text);
    expect(text).toContain(
      'strata_drift_resources{environment="dev",kind="PersistentVolumeClaim",class="effective"} 2',
    );
    expect(text).toContain(
      'strata_drift_resources{environment="dev",kind="PersistentVolumeClaim",class="unmanaged"} 1',
    );
    expect(text).toContain('strata_drift_resources{environment="dev",kind="Namespace",class="effective"} 0');
  });

  it('writes HELP and TYPE lines once per metric', async () => {
    const text = renderDriftPrometheus(await driftedRun({ verbose: false }));
    expect(text.match(/^# TYPE strata_drift_resources gauge$/gm)).toHaveLength(1);
    expect(text).toContain('# HELP strata_drift_last_check_timestamp_seconds ');
  });

  it('reports the last check time and an error gauge for an environment that could not be checked', async () => {
    const text = renderDriftPrometheus(await partlyFailedRun());
    expect(text).toContain('strata_drift_last_check_timestamp_seconds{environment="dev"} 1795413600');
    expect(text).toContain('strata_drift_check_error{environment="dev"} 0');
    expect(text).toContain('strata_drift_check_error{environment="prod"} 1');
    expect(text).not.toContain('strata_drift_resources{environment="prod"');
  });
});
