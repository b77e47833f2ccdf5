/** The plan is data: renderers and the applier read this versioned form, and nothing else. */
import type { ResourceAddress } from './address.js';
import type { Capability, CapabilityReport } from './resources.js';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'adopt' | 'blocked' | 'no-op';
/** The actions that write: a step of the plan. A blocked change is refused, a no-op needs nothing. */
export type StepAction = Exclude<Action, 'no-op' | 'blocked'>;

export function isStepAction(action: Action): action is StepAction {
  return action !== 'no-op' && action !== 'blocked';
}

export interface AttributeChange {
  /** Dotted path in the normalized spec, e.g. `parameters.type`, `rules[tiering].expirationDays`. */
  path: string;
  before?: unknown;
  after?: unknown;
  /** The field forces a replacement (immutable on the server). */
  forcesReplacement?: boolean;
  /** Other writers (Kubernetes field managers) that own the field now: apply takes it from them to write the declared value. */
  takesFrom?: string[];
}

export type RiskKind = 'data-loss' | 'security-weakened' | 'irreversible' | 'replace' | 'cost';
export type RiskSeverity = 'high' | 'medium' | 'low';

export interface Risk {
  kind: RiskKind;
  severity: RiskSeverity;
  /** One line for people: what could hurt, with the values involved. */
  message: string;
  /** The attribute that carries the risk, when one does. */
  path?: string;
  /** For cost risks: the change in requested storage, in bytes (positive grows). */
  storageDeltaBytes?: number;
}

export interface Change {
  address: ResourceAddress;
  action: Action;
  /** Logical key in the environment file, when declared. */
  logicalKey?: string;
  before?: unknown;
  after?: unknown;
  attributes: AttributeChange[];
  risks: Risk[];
  /** Why this action; for people, never for decisions. */
  reason?: string;
  /** What was observed (resourceVersion or S3 configuration hash); absent when nothing existed. */
  fingerprint?: string;
  /** Things found on the live resource that strata keeps as found (unmanaged lifecycle rules, tags). */
  preserved?: string[];
  /** Blocked for want of this optional server capability; the plan's capability report says why, once for all. */
  needsCapability?: Capability;
}

export interface Step {
  /** 1-based position in execution order. */
  index: number;
  address: ResourceAddress;
  action: StepAction;
  /** Indexes of steps that must finish first. */
  dependsOn: number[];
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  adopt: number;
  blocked: number;
  noOp: number;
  risks: number;
}

/** 2: `desiredDigest` hashes what the environment file means, no longer its bytes. */
export const PLAN_FORMAT_VERSION = 2;

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  environment: string;
  createdAt: string;
  /** The desired state's digest when the plan was made (`DesiredState.digest`). */
  desiredDigest: string;
  desiredFiles: string[];
  /** Where observed state came from; never credentials. */
  sources: { kubernetes?: string; s3?: string };
  /** How long observing the live state took; absent when planned against a snapshot. */
  observedInMs?: number;
  capabilities: CapabilityReport[];
  /**
   * Capabilities the environment file says its servers lack (`targets.s3.unsupported`): the changes blocked for want
   * of one are still shown, but are not counted as changes (`hasChanges`). Absent when the file lists none.
   */
  acceptedUnsupported?: Capability[];
  /** Present when planned with --no-force-conflicts: fields other writers own were left to them (changes blocked). */
  forceConflicts?: false;
  changes: Change[];
  steps: Step[];
  summary: PlanSummary;
}

/** A plan as saved: the plan plus a sha256 of its canonical JSON, so an edited file is refused. */
export interface SavedPlan {
  plan: Plan;
  planHash: string;
  /** HMAC-SHA256 of the same canonical JSON, when the plan was made with STRATA_PLAN_KEY (hex). */
  planSignature?: string;
}
