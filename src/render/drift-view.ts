/**
 * What every drift renderer shows, worked out once from the report: findings in display order with their symbols,
 * the summary counts in reading order, and one attribute's difference as people read it.
 */
import type { DriftAttribute, DriftClass, DriftFinding, DriftReport } from '../drift/types.js';
import { DRIFT_CLASSES } from '../drift/types.js';
import { diffAttribute, type AttributeDiff } from './format-value.js';
import { ACTION_SYMBOLS, compareAddressesForDisplay, displayName } from './names.js';

export const CLASS_HEADINGS: Record<DriftClass, { title: string; note: string }> = {
  effective: { title: 'Effective drift', note: 'the next apply would change these' },
  cosmetic: { title: 'Cosmetic', note: 'written differently, equal in meaning' },
  missing: { title: 'Missing', note: 'declared, not found' },
  unmanaged: { title: 'Unmanaged', note: 'found where strata manages, neither declared nor owned; never touched' },
  settling: { title: 'Settling', note: 'applied; the system is still carrying it out' },
};

export function findingSymbol(finding: DriftFinding): string {
  if (finding.class === 'unmanaged') return '?';
  if (finding.class === 'cosmetic') return '≈';
  if (finding.class === 'missing') return '+';
  if (finding.class === 'settling') return '…';
  return ACTION_SYMBOLS[finding.action ?? 'update'];
}

export interface FindingView {
  finding: DriftFinding;
  name: string;
}

export interface ClassGroup {
  driftClass: DriftClass;
  findings: FindingView[];
}

/** Listed findings grouped by class (effective first), each group in the plan's display order. */
export function groupFindings(report: DriftReport): ClassGroup[] {
  return DRIFT_CLASSES.map((driftClass) => ({
    driftClass,
    findings: report.findings
      .filter((finding) => finding.class === driftClass)
      .sort((a, b) => compareAddressesForDisplay(a.address, b.address))
      .map((finding) => ({ finding, name: displayName(finding.address) })),
  })).filter((group) => group.findings.length > 0);
}

/** `7 effective, 1 missing, 2 unmanaged`; cosmetic only when there are some; nothing when clean. */
export function countWords(report: DriftReport): string[] {
  return DRIFT_CLASSES.filter((driftClass) => report.counts[driftClass] > 0).map(
    (driftClass) => `${report.counts[driftClass]} ${driftClass}`,
  );
}

/** Cosmetic findings counted but not listed (the report was made without verbose). */
export function hiddenCosmetic(report: DriftReport): number {
  return report.verbose ? 0 : report.counts.cosmetic;
}

/** The diff of one attribute read from the file to the live system: `-` declared, `+` live. */
export function attributeDiff(attribute: DriftAttribute): AttributeDiff {
  return diffAttribute({ path: attribute.path, before: attribute.declared, after: attribute.live });
}

/** Findings about a live resource the file does not declare at all: their values are only what was found. */
export function onlyLive(finding: DriftFinding): boolean {
  return finding.class === 'unmanaged' || finding.action === 'delete';
}

/** `declared 20Gi, live 150Gi` (or just the live value of an undeclared resource); undefined when a block of lines is needed. */
export function inlineDifference(attribute: DriftAttribute, finding: DriftFinding): string | undefined {
  const diff = attributeDiff(attribute);
  if (diff.form === 'lines') return undefined;
  if (onlyLive(finding)) return diff.after ?? '(none)';
  return `declared ${diff.before ?? '(not set)'}, live ${diff.after ?? '(not set)'}`;
}

export function attribution(attribute: DriftAttribute): string | undefined {
  return attribute.changedBy === undefined ? undefined : `changed by ${attribute.changedBy}`;
}

/** `until 2026-12-01`, or nothing for a rule without an end. */
export function untilText(until: string | undefined): string {
  return until === undefined ? '' : ` (until ${until})`;
}
