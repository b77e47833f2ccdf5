export { applyPlan } from './apply-plan.js';
export { summarizeResult, type ApplySummary } from './summary.js';
export { hasConverged } from './convergence.js';
export { DEFAULT_STEP_TIMEOUT_MS } from './step-deadline.js';
export type {
  ApplyInput,
  ApplyObserver,
  ApplyOutcome,
  ApplyResult,
  ApprovalDecision,
  AuditSink,
  FailedStep,
  RunStartedInfo,
} from './types.js';
