/**
 * A drift report is a plan read as "what differs": every change the planner finds becomes a finding sorted into a
 * class, Kubernetes fields are attributed to the field manager that last wrote them, and the environment file's
 * ignore rules move accepted differences aside (until their last day). Pure: no I/O, the time is passed in.
 */
import { addressKey, compareAddresses, type ResourceAddress } from '../model/address.js';
import type { DesiredState } from '../model/desired.js';
import type { IgnoreRule } from '../model/environment.js';
import type { AttributeChange, Change } from '../model/plan.js';
import type { AnySpec, Observed, ObservedResource } from '../model/resources.js';
import { canonicalize } from '../model/canonical.js';
import { compareText } from '../model/compare.js';
import { createPlan } from '../plan/index.js';
import { resizeInProgress } from '../plan/settling.js';
import { changedBy } from './attribution.js';
import { cosmeticDifferences } from './cosmetic.js';
import { addressMatches, pathMatches, ruleExpired } from './ignore.js';
import {
  DRIFT_CLASSES,
  DRIFT_FORMAT_VERSION,
  type DriftAttribute,
  type DriftCounts,
  type DriftFinding,
  type DriftReport,
  type ExpiredIgnoreRule,
  type IgnoredFinding,
  type KindCount,
} from './types.js';
import { unmanagedResources } from './unmanaged.js';

export interface DriftInput {
  desired: DesiredState;
  observed: Observed;
  now: Date;
  /** List cosmetic findings too (they are always counted). */
  verbose: boolean;
  /** As the apply it predicts: false when it runs with --no-force-conflicts. */
  forceConflicts?: boolean;
}

export function driftReport({ desired, observed, now, verbose, forceConflicts }: DriftInput): DriftReport {
  const plan = createPlan({ desired, observed, now, ...(forceConflicts === undefined ? {} : { forceConflicts }) });
  const desiredByKey = new Map(desired.resources.map((resource) => [addressKey(resource.address), resource]));
  const observedByKey = new Map(observed.resources.map((resource) => [addressKey(resource.address), resource]));
  const findings: DriftFinding[] = [];
  const inSync: ResourceAddress[] = [];
  for (const change of plan.changes) {
    const key = addressKey(change.address);
    const finding = findingOf(change, desiredByKey.get(key)?.spec, observedByKey.get(key));
    if (finding) findings.push(finding);
    else inSync.push(change.address);
  }
  findings.push(
    ...unmanagedResources(desired, observed).map(({ resource, reason }) => ({
      address: resource.address,
      class: 'unmanaged' as const,
      reason,
      attributes: liveFields(resource.spec),
    })),
  );

  const rules = desired.document.ignore ?? [];
  const active = rules.filter((rule) => !ruleExpired(rule, now));
  const { reported, ignored } = applyIgnoreRules(findings.sort(compareFindings), active);
  // The plan calls cosmetic differences in sync; unless they are listed, they are counted there too.
  const listed = reported.filter((finding) => verbose || finding.class !== 'cosmetic');
  const allInSync = [
    ...inSync,
    ...reported.filter((finding) => !listed.includes(finding)).map((finding) => finding.address),
  ].sort(compareAddresses);
  return {
    formatVersion: DRIFT_FORMAT_VERSION,
    environment: desired.environment,
    checkedAt: now.toISOString(),
    desiredFiles: [...desired.files],
    sources: { ...observed.sources },
    findings: listed,
    ignored,
    expiredIgnoreRules: rules.filter((rule) => ruleExpired(rule, now)).map((rule) => expired(rule, reported)),
    inSync: allInSync,
    counts: countFindings(reported, ignored.length, allInSync.length),
    countsByKind: countByKind(reported),
    verbose,
  };
}

/** The finding for one planned change, or undefined when the resource is in sync to the letter. */
function findingOf(
  change: Change,
  declaredSpec: AnySpec | undefined,
  observed: ObservedResource | undefined,
): DriftFinding | undefined {
  const base = {
    address: change.address,
    ...(change.logicalKey === undefined ? {} : { logicalKey: change.logicalKey }),
  };
  const reason = change.reason === undefined ? {} : { reason: change.reason };
  if (observed === undefined) return { ...base, class: 'missing', action: change.action, ...reason, attributes: [] };
  if (change.action === 'no-op') {
    const settling = resizeInProgress(observed);
    if (settling !== undefined)
      return { ...base, class: 'settling', action: 'no-op', reason: settling, attributes: [] };
    if (declaredSpec === undefined) return undefined;
    const cosmetic = cosmeticDifferences(change.address.kind, declaredSpec, observed.spec);
    if (cosmetic.length === 0) return undefined;
    return {
      ...base,
      class: 'cosmetic',
      action: 'no-op',
      ...reason,
      attributes: cosmetic.map((a) => attributed(a, change, observed)),
    };
  }
  const attributes = change.attributes.map((attribute) => attributed(driftAttribute(attribute), change, observed));
  return { ...base, class: 'effective', action: change.action, ...reason, attributes };
}

/** The plan diffs live (before) against what apply would write (after); a report says declared and live. */
function driftAttribute({ path, before, after }: AttributeChange): DriftAttribute {
  const attribute: DriftAttribute = { path };
  if (after !== undefined) attribute.declared = after;
  if (before !== undefined) attribute.live = before;
  return attribute;
}

function attributed(attribute: DriftAttribute, change: Change, observed: ObservedResource): DriftAttribute {
  if (change.address.system !== 'kubernetes') return attribute;
  const manager = changedBy(observed, attribute.path);
  return manager === undefined ? attribute : { ...attribute, changedBy: manager };
}

/** An unmanaged resource's own fields, as found (the unmanaged rules and tags of a bucket setting are not its fields). */
function liveFields(spec: unknown): DriftAttribute[] {
  return Object.entries(canonicalize(spec) as Record<string, unknown>)
    .filter(([key, value]) => value !== undefined && !key.startsWith('unmanaged'))
    .map(([path, live]) => ({ path, live }));
}

/**
 * Moves what active rules accept into `ignored`: a rule without a path takes the whole finding, a rule with one takes
 * the attributes under it; a finding left with none of its attributes is ignored as a whole. First matching rule wins.
 */
function applyIgnoreRules(
  findings: DriftFinding[],
  rules: IgnoreRule[],
): { reported: DriftFinding[]; ignored: IgnoredFinding[] } {
  const reported: DriftFinding[] = [];
  const ignored: IgnoredFinding[] = [];
  for (const finding of findings) {
    const key = addressKey(finding.address);
    const matching = rules.filter((rule) => addressMatches(rule.address, key));
    const whole = matching.find((rule) => rule.path === undefined);
    if (whole) {
      ignored.push({ ...finding, rule: whole });
      continue;
    }
    let remaining = finding.attributes;
    for (const rule of matching) {
      const taken = remaining.filter((attribute) => pathMatches(rule.path, attribute.path));
      if (taken.length === 0) continue;
      ignored.push({ ...finding, attributes: taken, rule });
      remaining = remaining.filter((attribute) => !taken.includes(attribute));
    }
    if (remaining.length > 0 || finding.attributes.length === 0) reported.push({ ...finding, attributes: remaining });
  }
  return { reported, ignored };
}

function expired(rule: IgnoreRule, reported: DriftFinding[]): ExpiredIgnoreRule {
  const nowReported = reported
    .filter((finding) => addressMatches(rule.address, addressKey(finding.address)))
    .filter((finding) =>
      finding.attributes.length === 0
        ? rule.path === undefined
        : finding.attributes.some((a) => pathMatches(rule.path, a.path)),
    )
    .map((finding) => addressKey(finding.address));
  return { rule, nowReported: [...new Set(nowReported)] };
}

function countFindings(findings: DriftFinding[], ignored: number, inSync: number): DriftCounts {
  const counts = Object.fromEntries(DRIFT_CLASSES.map((driftClass) => [driftClass, 0])) as Record<
    (typeof DRIFT_CLASSES)[number],
    number
  >;
  for (const finding of findings) counts[finding.class] += 1;
  return { ...counts, ignored, inSync };
}

function countByKind(findings: DriftFinding[]): KindCount[] {
  const counts = new Map<string, KindCount>();
  for (const finding of findings) {
    const key = `${finding.address.kind}/${finding.class}`;
    const entry = counts.get(key) ?? { kind: finding.address.kind, class: finding.class, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort(
    (a, b) => compareText(a.kind, b.kind) || DRIFT_CLASSES.indexOf(a.class) - DRIFT_CLASSES.indexOf(b.class),
  );
}

function compareFindings(a: DriftFinding, b: DriftFinding): number {
  return DRIFT_CLASSES.indexOf(a.class) - DRIFT_CLASSES.indexOf(b.class) || compareAddresses(a.address, b.address);
}

/** Drift that should fail a check: anything but cosmetic differences. */
export function hasDrift(report: DriftReport): boolean {
  return report.counts.effective + report.counts.missing + report.counts.unmanaged > 0;
}
