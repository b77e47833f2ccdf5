/** A check over several environments: each one's report, or why it could not be observed. */
import { hasDrift } from './report.js';
import { DRIFT_FORMAT_VERSION, type DriftRun, type EnvironmentDrift } from './types.js';

export function driftRun(environments: EnvironmentDrift[], checkedAt: Date): DriftRun {
  return { formatVersion: DRIFT_FORMAT_VERSION, checkedAt: checkedAt.toISOString(), environments };
}

export function runHasDrift(run: DriftRun): boolean {
  return run.environments.some((entry) => entry.status === 'checked' && hasDrift(entry.report));
}

export function runHasFailures(run: DriftRun): boolean {
  return run.environments.some((entry) => entry.status === 'failed');
}
