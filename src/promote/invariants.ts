/**
 * Invariants between an environment and the one it promotes into, checked on the promoted result for every logical
 * resource both declare (promoted now or not): the later environment keeps data at least as long and at least as
 * safely as the earlier one. Built in, not configurable: each is a floor that no team wants lowered by a promotion.
 *   - lifecycle expiration (current and noncurrent versions), per rule id: no shorter, and of no more object sizes;
 *   - backup keep: no shorter;
 *   - object lock: present, with a default retention no shorter;
 *   - versioning and default encryption: kept where the source has them.
 */
import type { BucketDeclaration, EnvironmentDocument, LifecycleRuleDeclaration } from '../model/environment.js';
import { parseDuration } from '../model/duration.js';
import { sizeRange, widenedBound } from '../model/size-range.js';

export interface InvariantViolation {
  /** Where in the target file: `buckets.chat-archives.lifecycle[messages-retention].expireAfter`. */
  path: string;
  /** What would hold, what it should be, and how to fix it. */
  message: string;
}

export interface Environments {
  /** The environment promoted from (`staging`). */
  source: { name: string; document: EnvironmentDocument };
  /** The environment promoted into, as it would be after promotion (`prod`). */
  target: { name: string; document: EnvironmentDocument };
  /** The top-level logical keys `--only` narrowed the promotion to, if it did. */
  only?: ReadonlySet<string>;
}

const DAY_SECONDS = 86_400;

export function checkInvariants({ source, target, only }: Environments): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  const file = `${target.name}.yaml`;
  const raise = (path: string, what: string, fix: string) => {
    const key = path.split('.')[1] ?? '';
    const alternative = only && !only.has(key) ? `, or add \`--only ${key}\` to promote it too` : '';
    violations.push({ path, message: `${path}: ${what}; ${fix} in ${file}${alternative}` });
  };

  for (const [key, sourceBucket] of Object.entries(source.document.buckets ?? {})) {
    const targetBucket = target.document.buckets?.[key];
    if (!targetBucket) continue;
    const path = `buckets.${key}`;
    if (sourceBucket.versioning === true && targetBucket.versioning !== true) {
      raise(
        `${path}.versioning`,
        `${source.name} keeps every object version but ${target.name} would ${targetBucket.versioning === false ? 'suspend versioning' : 'not manage versioning'}`,
        'set `versioning: true`',
      );
    }
    if (sourceBucket.encryption !== undefined && targetBucket.encryption === undefined) {
      raise(
        `${path}.encryption`,
        `${source.name} encrypts objects by default (${sourceBucket.encryption}) but ${target.name} would not declare encryption`,
        `set \`encryption: ${sourceBucket.encryption}\``,
      );
    }
    checkObjectLock(
      sourceBucket,
      targetBucket,
      `${path}.objectLock`,
      { source: source.name, target: target.name },
      raise,
    );
    checkLifecycle(
      sourceBucket.lifecycle ?? [],
      targetBucket.lifecycle ?? [],
      `${path}.lifecycle`,
      { source: source.name, target: target.name },
      raise,
    );
  }

  for (const [namespaceKey, sourceNamespace] of Object.entries(source.document.namespaces ?? {})) {
    const targetNamespace = target.document.namespaces?.[namespaceKey];
    for (const [backupKey, sourceBackup] of Object.entries(sourceNamespace.backups ?? {})) {
      const targetBackup = targetNamespace?.backups?.[backupKey];
      if (!targetBackup || seconds(targetBackup.keep) >= seconds(sourceBackup.keep)) continue;
      raise(
        `namespaces.${namespaceKey}.backups.${backupKey}.keep`,
        `${target.name} would keep backups for ${describe(targetBackup.keep)}, shorter than ${source.name}'s ${describe(sourceBackup.keep)}`,
        `set \`keep: ${sourceBackup.keep}\` or longer`,
      );
    }
  }
  return violations;
}

type Raise = (path: string, what: string, fix: string) => void;
type Names = { source: string; target: string };

function checkObjectLock(
  source: BucketDeclaration,
  target: BucketDeclaration,
  path: string,
  names: Names,
  raise: Raise,
): void {
  if (!source.objectLock) return;
  const wanted = lockDays(source.objectLock);
  const written = `{ mode: ${source.objectLock.mode}${source.objectLock.years ? `, years: ${source.objectLock.years}` : `, days: ${wanted}`} }`;
  if (!target.objectLock) {
    raise(
      path,
      `${names.source} locks objects (${source.objectLock.mode}, ${wanted} days) but ${names.target} would not`,
      `set \`objectLock: ${written}\``,
    );
    return;
  }
  const days = lockDays(target.objectLock);
  if (days < wanted) {
    raise(
      path,
      `${names.target} would lock objects for ${days} days, shorter than ${names.source}'s ${wanted} days`,
      `set \`objectLock: ${written}\` or longer`,
    );
  }
}

function checkLifecycle(
  source: LifecycleRuleDeclaration[],
  target: LifecycleRuleDeclaration[],
  path: string,
  names: Names,
  raise: Raise,
): void {
  for (const sourceRule of source) {
    const targetRule = target.find((rule) => rule.id === sourceRule.id);
    // A rule the target lacks, or has switched off, expires nothing: it keeps data longer, never shorter.
    if (sourceRule.enabled === false || !targetRule || targetRule.enabled === false) continue;
    const rulePath = `${path}[${sourceRule.id}]`;
    const expirations = [
      ['expireAfter', 'current objects'],
      ['noncurrentExpireAfter', 'noncurrent versions'],
    ] as const;
    for (const [field, what] of expirations) {
      const targetValue = targetRule[field];
      const sourceValue = sourceRule[field];
      if (targetValue === undefined) continue;
      if (sourceValue !== undefined && seconds(targetValue) >= seconds(sourceValue)) continue;
      raise(
        `${rulePath}.${field}`,
        sourceValue === undefined
          ? `${names.target} would expire ${what} after ${describe(targetValue)}, where ${names.source} never expires them`
          : `${names.target} would expire ${what} after ${describe(targetValue)}, sooner than ${names.source}'s ${describe(sourceValue)}`,
        sourceValue === undefined ? `remove \`${field}\`` : `set \`${field}: ${sourceValue}\` or longer`,
      );
    }
    const widened = widenedBound(sourceRule, targetRule);
    if (sourceRule.expireAfter !== undefined && targetRule.expireAfter !== undefined && widened) {
      const bound = sourceRule[widened];
      raise(
        `${rulePath}.${widened}`,
        `${names.target} would expire objects ${sizeRange(targetRule)}, where ${names.source} expires only objects ${sizeRange(sourceRule)}`,
        bound === undefined ? `remove \`${widened}\`` : `set \`${widened}: ${bound}\``,
      );
    }
  }
}

function lockDays(lock: { days?: number; years?: number }): number {
  return lock.days ?? (lock.years ?? 0) * 365;
}

function seconds(duration: string): number {
  const parsed = parseDuration(duration);
  return parsed.ok ? parsed.seconds : 0;
}

/** `7y (2555 days)`; a duration in whole days as written. */
function describe(duration: string): string {
  const days = seconds(duration) / DAY_SECONDS;
  return duration.endsWith('d') || !Number.isInteger(days) ? duration : `${duration} (${days} days)`;
}
