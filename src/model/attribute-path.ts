/**
 * How an attribute of a normalized spec is named in plans, drift reports and ownership records: dotted paths
 * (`parameters.type`), with keys that are not plain identifiers quoted (`hard["requests.storage"]`).
 */
export function formatKey(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** One step of an attribute path: a map key, or a keyed list item (`rules[tiering]`) by its id. */
export type PathSegment = { key: string } | { item: string };

/** The inverse of the paths above: `hard["requests.storage"]` → `hard`, then the key `requests.storage`. */
export function pathSegments(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /([A-Za-z_$][\w$-]*)|\[("(?:[^"\\]|\\.)*")\]|\[([^\]]*)\]|\./gy;
  for (let match = pattern.exec(path); match !== null && match[0] !== ''; match = pattern.exec(path)) {
    if (match[1] !== undefined) segments.push({ key: match[1] });
    else if (match[2] !== undefined) segments.push({ key: JSON.parse(match[2]) as string });
    else if (match[3] !== undefined) segments.push({ item: match[3] });
    if (pattern.lastIndex === path.length) return segments;
  }
  return [{ key: path }];
}
