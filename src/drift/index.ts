/** Drift reports: live state against the desired files, read-only, sorted into classes, with ignore rules. */
export { driftReport, hasDrift, type DriftInput } from './report.js';
export { changedBy } from './attribution.js';
export { cosmeticDifferences } from './cosmetic.js';
export { addressMatches, pathMatches, ruleExpired } from './ignore.js';
export { unmanagedResources } from './unmanaged.js';
export { driftRun, runHasDrift, runHasFailures } from './run.js';
export * from './types.js';
