/** The drift report: a plan read as "what differs", for one environment or a run over several. */
import type { ResourceAddress, ResourceKind } from '../model/address.js';
import type { IgnoreRule } from '../model/environment.js';
import type { Action } from '../model/plan.js';

export const DRIFT_FORMAT_VERSION = 1;

/**
 * - `effective`: a setting differs in a way that changes behaviour (the next apply would write it), including a
 *   resource strata owns that the file no longer declares (orphaned: the next apply deletes it).
 * - `cosmetic`: differs only in a form normalization equates (`1024Gi` written, `1Ti` read back; a server default
 *   written out). Listed only with `verbose`; always counted.
 * - `missing`: declared, absent.
 * - `unmanaged`: present in a namespace the file manages, or a bucket named like the file's buckets, but neither
 *   declared nor owned. Reported, never touched.
 * - `settling`: in sync as far as strata writes, but the system is still carrying it out (a claim's resize: requested,
 *   capacity not there yet). Not drift; listed so nobody takes it for done.
 */
export const DRIFT_CLASSES = ['effective', 'cosmetic', 'missing', 'unmanaged', 'settling'] as const;
export type DriftClass = (typeof DRIFT_CLASSES)[number];

export interface DriftAttribute {
  /** Dotted path in the normalized spec, as plans name it (`size`, `rules[tiering].expirationDays`). */
  path: string;
  /** The environment file's value; absent when the file does not set it. */
  declared?: unknown;
  /** The live value; absent when the live resource lacks it. */
  live?: unknown;
  /** Kubernetes field manager(s) that last wrote the field (`kubectl-edit`), from `metadata.managedFields`. */
  changedBy?: string;
}

export interface DriftFinding {
  address: ResourceAddress;
  logicalKey?: string;
  class: DriftClass;
  /** What the next apply would do about it; absent for unmanaged resources, which strata never touches. */
  action?: Action;
  /** Why, for people (the plan's reason, or why a resource counts as unmanaged). */
  reason?: string;
  attributes: DriftAttribute[];
}

/** Differences an ignore rule accepts: shown with the rule's reason, never counted as drift. */
export interface IgnoredFinding extends DriftFinding {
  rule: IgnoreRule;
}

export interface ExpiredIgnoreRule {
  rule: IgnoreRule;
  /** Addresses (addressKey) of findings the rule would still match: reported again since it expired. */
  nowReported: string[];
}

export type DriftCounts = Record<DriftClass, number> & { ignored: number; inSync: number };

/** Findings of one class among one kind's resources (non-zero only), for metrics by kind. */
export interface KindCount {
  kind: ResourceKind;
  class: DriftClass;
  count: number;
}

export interface DriftReport {
  formatVersion: typeof DRIFT_FORMAT_VERSION;
  environment: string;
  checkedAt: string;
  desiredFiles: string[];
  sources: { kubernetes?: string; s3?: string };
  /** Findings in display order; cosmetic ones only when `verbose`. */
  findings: DriftFinding[];
  ignored: IgnoredFinding[];
  expiredIgnoreRules: ExpiredIgnoreRule[];
  /** Resources that match the file (the plan has nothing to do), cosmetic ones included unless they are listed. */
  inSync: ResourceAddress[];
  /** Every finding counted, cosmetic ones too, whether or not they are listed. */
  counts: DriftCounts;
  countsByKind: KindCount[];
  verbose: boolean;
}

/** One environment of a multi-environment check: its report, or why it could not be checked (invalid file, unreachable system). */
export type EnvironmentDrift =
  | { environment: string; status: 'checked'; report: DriftReport }
  | { environment: string; status: 'failed'; error: string };

export interface DriftRun {
  formatVersion: typeof DRIFT_FORMAT_VERSION;
  checkedAt: string;
  environments: EnvironmentDrift[];
}
