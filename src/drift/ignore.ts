/**
 * Ignore rules from the environment file: an address glob over `addressKey` form (`*` matches within one segment),
 * an optional attribute path prefix, a reason, and an optional last day after which the rule stops applying.
 */
import type { IgnoreRule } from '../model/environment.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A rule applies through the whole of its `until` day (UTC) and stops at the next midnight. */
export function ruleExpired(rule: IgnoreRule, now: Date): boolean {
  if (rule.until === undefined) return false;
  const lastDay = Date.parse(`${rule.until}T00:00:00Z`);
  return Number.isFinite(lastDay) && now.getTime() >= lastDay + DAY_MS;
}

/** `kubernetes/PersistentVolumeClaim/*\/deepwiki-data` matches any namespace's claim of that name; segments must line up. */
export function addressMatches(pattern: string, key: string): boolean {
  const patternSegments = pattern.split('/');
  const keySegments = key.split('/');
  return (
    patternSegments.length === keySegments.length &&
    patternSegments.every((segment, index) => globSegment(segment).test(keySegments[index] ?? ''))
  );
}

function globSegment(segment: string): RegExp {
  const escaped = segment.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]*')}$`);
}

/** A rule without a path covers every attribute; `rules` covers `rules[tiering].expirationDays`; `labels.team` covers only that label. */
export function pathMatches(rulePath: string | undefined, attributePath: string): boolean {
  if (rulePath === undefined) return true;
  return (
    attributePath === rulePath || attributePath.startsWith(`${rulePath}.`) || attributePath.startsWith(`${rulePath}[`)
  );
}
