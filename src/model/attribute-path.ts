/**
 * How an attribute of a normalized spec is named in plans, drift reports and ownership records: dotted paths
 * (`parameters.type`), with keys that are not plain identifiers quoted (`hard["requests.storage"]`).
 */
export function formatKey(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}
