/**
 * The planner: pairs desired with observed resources by address, diffs each pair by value, classifies the action,
 * derives risks and orders the steps. Pure: no I/O and no clock (the time is passed in).
 */
import { addressKey, compareAddresses } from '../model/address.js';
import type { DesiredState } from '../model/desired.js';
import { PLAN_FORMAT_VERSION, type Change, type Plan, type PlanSummary } from '../model/plan.js';
import type { Observed } from '../model/resources.js';
import { classifyPair, type PlanContext } from './classify.js';
import { orderSteps } from './order.js';
import { pairResources } from './pair.js';
import { risksOf } from './risks.js';

export interface PlanInput {
  desired: DesiredState;
  observed: Observed;
  now: Date;
  /** false: a declared field another writer owns blocks the change instead of being taken (--no-force-conflicts). */
  forceConflicts?: boolean;
}

export function createPlan({ desired, observed, now, forceConflicts = true }: PlanInput): Plan {
  const changes = deriveChanges(desired, observed, forceConflicts);
  const accepted = desired.document.targets.s3?.unsupported ?? [];
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    environment: desired.environment,
    createdAt: now.toISOString(),
    desiredDigest: desired.digest,
    desiredFiles: [...desired.files],
    sources: { ...observed.sources },
    ...(observed.observedInMs === undefined ? {} : { observedInMs: observed.observedInMs }),
    capabilities: [...observed.capabilities],
    ...(accepted.length > 0 ? { acceptedUnsupported: [...accepted] } : {}),
    ...(forceConflicts ? {} : { forceConflicts: false as const }),
    changes,
    steps: orderSteps(changes, desired.resources),
    summary: summarize(changes),
  };
}

/** Every change with its risks, sorted by address. */
function deriveChanges(
  desired: DesiredState,
  observed: Pick<Observed, 'resources' | 'capabilities'>,
  forceConflicts: boolean,
): Change[] {
  const context: PlanContext = {
    desiredByKey: new Map(desired.resources.map((resource) => [addressKey(resource.address), resource])),
    observedByKey: new Map(observed.resources.map((resource) => [addressKey(resource.address), resource])),
    capabilities: observed.capabilities,
    forceConflicts,
  };
  return pairResources(desired.resources, observed.resources)
    .map((pair) => classifyPair(pair, context))
    .filter((change): change is Change => change !== undefined)
    .map((change) => ({ ...change, risks: risksOf(change, context) }))
    .sort((a, b) => compareAddresses(a.address, b.address));
}

/**
 * What editing an environment file does to its next plan, judged without observing anything: the changes (no-ops
 * left out) the planner derives from `after` where the live state is what `before` declares, owned by strata. So an
 * edit is judged by the planner's own rules (IMMUTABLE_FIELDS, risks), and promotion can say that it replaces a claim.
 */
export function changesOfEdit(before: DesiredState, after: DesiredState): Change[] {
  const asLive = before.resources.map(({ address, spec }) => ({ address, spec, fingerprint: '', owned: true }));
  return deriveChanges(after, { resources: asLive, capabilities: [] }, true).filter(
    (change) => change.action !== 'no-op',
  );
}

/** The counts a plan's summary line and exit code rest on. */
export function summarize(changes: readonly Change[]): PlanSummary {
  const count = (action: Change['action']) => changes.filter((change) => change.action === action).length;
  return {
    create: count('create'),
    update: count('update'),
    replace: count('replace'),
    delete: count('delete'),
    adopt: count('adopt'),
    blocked: count('blocked'),
    noOp: count('no-op'),
    risks: changes.reduce((total, change) => total + change.risks.length, 0),
  };
}

/**
 * Whether the live state differs from the desired one in a way that counts: any change but a no-op, a blocked one
 * included, as it is a difference nobody can apply yet. The exception is a change blocked for want of a capability the
 * environment file says its server lacks (`acceptedUnsupported`): that difference is known and stays, and a plan of
 * nothing else would keep CI red for good. `--detailed-exitcode` exits 2 on it.
 */
export function hasChanges(plan: Pick<Plan, 'changes' | 'acceptedUnsupported'>): boolean {
  const accepted = new Set(plan.acceptedUnsupported);
  return plan.changes.some(
    (change) =>
      change.action !== 'no-op' && (change.needsCapability === undefined || !accepted.has(change.needsCapability)),
  );
}

export { diffSpecs, specsConverged, isCompared, IMMUTABLE_FIELDS } from './diff.js';
export { absenceMatches } from './absence.js';
export {
  normalizeSpec,
  normalizePolicyDocument,
  NORMALIZATION_TABLES,
  type NormalizationRule,
} from './normalize/index.js';
export { pairResources, type ResourcePair } from './pair.js';
export { classifyPair } from './classify.js';
export { risksOf, compareRisks, compareRiskRank } from './risks.js';
export {
  confirmationsNeeded,
  confirmedBy,
  risksAsking,
  unconfirmed,
  withAnswers,
  type ConfirmationFlags,
  type Confirmed,
  type ConfirmationsNeeded,
  type NeedsConfirmation,
  type PlannedStep,
} from './confirmations.js';
export { orderSteps, KIND_ORDER } from './order.js';
export {
  serializePlanFile,
  parsePlanFile,
  planHash,
  checkPlanSignature,
  signatureStatus,
  MAX_PLAN_FILE_BYTES,
} from './planfile.js';
