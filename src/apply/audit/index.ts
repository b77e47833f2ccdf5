/** The hash-chained, append-only audit log (`audit/<env>.jsonl`). */
export { openAuditLog, type AuditLog } from './log.js';
export { readAuditLog, scanAuditLog, verifyAuditLog, type AuditVerification } from './read.js';
export { formatProblem, GENESIS_HASH, type AuditProblem } from './chain.js';
export { appliedDigests, lastRun, NOTHING_WRITTEN, stepHistory, type RunRecord, type StepHistory } from './history.js';
export { auditLogPath } from './path.js';
