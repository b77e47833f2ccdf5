/** The hash-chained (keyed: HMAC-chained), append-only audit log (`audit/<env>.jsonl`). */
export { openAuditLog, type AuditLog } from './log.js';
export {
  readAuditLog,
  readCheckedAuditLog,
  scanAuditLog,
  verifyAuditLog,
  type AuditReadOptions,
  type AuditVerification,
} from './read.js';
export { formatProblem, GENESIS_HASH, type AuditProblem, type Keying } from './chain.js';
export {
  lastRun,
  NOTHING_WRITTEN,
  stepHistory,
  successfulApplyOf,
  type RunRecord,
  type StepHistory,
} from './history.js';
export { type LocatedEvent, type UnfinishedRun } from './runs.js';
export { auditLogPath } from './path.js';
