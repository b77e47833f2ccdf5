/**
 * A drift check in the Prometheus text exposition format, for node_exporter's textfile collector or a push gateway:
 * findings by environment, kind and class (zeros included for every kind an environment has, so series do not
 * vanish when drift is fixed), ignored findings, expired ignore rules, the last check time, and whether an
 * environment could not be checked.
 */
import type { ResourceKind } from '../model/address.js';
import { DRIFT_CLASSES, type DriftReport, type DriftRun } from '../drift/types.js';
import { escapeLabelValue } from './escape/prometheus.js';

export function renderDriftPrometheus(run: DriftRun): string {
  const checked = run.environments.flatMap((entry) => (entry.status === 'checked' ? [entry.report] : []));
  const checkedAt = Date.parse(run.checkedAt) / 1000;
  const lines = [
    ...metric(
      'strata_drift_resources',
      'Resources that differ from the environment file, by environment, kind and class.',
      checked.flatMap(resourceSamples),
    ),
    ...metric(
      'strata_drift_ignored_resources',
      'Differences accepted by ignore rules in the environment file.',
      checked.map((report) => sample({ environment: report.environment }, report.counts.ignored)),
    ),
    ...metric(
      'strata_drift_expired_ignore_rules',
      'Ignore rules past their until date, no longer applied.',
      checked.map((report) => sample({ environment: report.environment }, report.expiredIgnoreRules.length)),
    ),
    ...metric(
      'strata_drift_last_check_timestamp_seconds',
      'When the environment was last checked for drift, in seconds since the Unix epoch.',
      run.environments.map((entry) =>
        sample(
          { environment: entry.environment },
          entry.status === 'checked' ? Date.parse(entry.report.checkedAt) / 1000 : checkedAt,
        ),
      ),
    ),
    ...metric(
      'strata_drift_check_error',
      '1 when the environment could not be checked (its other drift metrics are absent), else 0.',
      run.environments.map((entry) => sample({ environment: entry.environment }, entry.status === 'failed' ? 1 : 0)),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function resourceSamples(report: DriftReport): string[] {
  const kinds = new Set<ResourceKind>([
    ...report.inSync.map((address) => address.kind),
    ...report.ignored.map((ignored) => ignored.address.kind),
    ...report.countsByKind.map((count) => count.kind),
  ]);
  const samples: string[] = [];
  for (const kind of [...kinds].sort()) {
    for (const driftClass of DRIFT_CLASSES) {
      const count = report.countsByKind.find((entry) => entry.kind === kind && entry.class === driftClass)?.count ?? 0;
      samples.push(sample({ environment: report.environment, kind, class: driftClass }, count));
    }
  }
  return samples;
}

function metric(name: string, help: string, samples: string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...samples.map((text) => `${name}${text}`)];
}

function sample(labels: Record<string, string>, value: number): string {
  const body = Object.entries(labels)
    .map(([key, text]) => `${key}="${escapeLabelValue(text)}"`)
    .join(',');
  return `{${body}} ${value}`;
}
