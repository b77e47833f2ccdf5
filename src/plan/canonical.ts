/** Value comparison and a canonical JSON form: object keys sorted, undefined dropped, so equal data hashes equally. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy with object keys sorted at every depth and undefined members dropped (as JSON drops them). */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return (value as unknown[]).map((item) => canonicalize(item)) as T;
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
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
