import { checkAlerts } from './alerts.js';
import { checkBackups } from './backups.js';
import { checkBucketNames } from './bucket-names.js';
import { checkBucketSettings, checkLifecycle } from './buckets.js';
import type { Check } from './check.js';
import { checkBackupRetention, checkVolumeCoverage } from './coverage.js';
import { checkMetadata, checkTargets, checkUniqueNames } from './identity.js';
import { checkQuotas, checkVolumes } from './volumes.js';

export type { Check, CheckInput, Finding } from './check.js';

/** Every semantic rule, in no particular order: findings are sorted by position afterwards. */
export const SEMANTIC_CHECKS: readonly Check[] = [
  checkMetadata,
  checkTargets,
  checkUniqueNames,
  checkBucketNames,
  checkVolumes,
  checkQuotas,
  checkBackups,
  checkVolumeCoverage,
  checkBackupRetention,
  checkAlerts,
  checkBucketSettings,
  checkLifecycle,
];
