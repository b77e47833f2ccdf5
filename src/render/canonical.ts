/**
 * Key order for values whose keys carry no meaning in their order (specs, policies): alphabetical, at every depth.
 * The text, Markdown and JSON forms use it so a plan reads the same whether it comes from the planner or from a file.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeysDeep(item)]));
}
