/**
 * JSON with object keys sorted at every depth, so the same event always hashes the same however its keys were
 * ordered when it was built or after a round trip through a file.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) => {
    if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) return nested;
    const source = nested as Record<string, unknown>;
    return Object.fromEntries(Object.keys(source).sort().map((key) => [key, source[key]]));
  });
}
