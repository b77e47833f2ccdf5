/**
 * Value comparison and the one canonical JSON form, for every hash strata makes (plan hashes, audit events, provider
 * fingerprints): object keys sorted, undefined dropped and dates written as JSON writes them, so equal data hashes
 * equally.
 */
import { compareText } from './compare.js';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy with object keys sorted at every depth, undefined members dropped (as JSON drops them) and dates as ISO text
 * (an SDK reads a lifecycle rule's date as a Date, which has no keys to sort and would otherwise read as `{}`).
 */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return (value as unknown[]).map((item) => canonicalize(item)) as T;
  if (value instanceof Date) return value.toISOString() as T;
  if (!isPlainObject(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = value[key];
    if (member !== undefined) sorted[key] = canonicalize(member);
  }
  return sorted as T;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A string map with its keys sorted, so two maps with the same entries serialize identically. */
export function sortedRecord<V>(record: Record<string, V> | undefined): Record<string, V> {
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => compareText(a, b)));
}
