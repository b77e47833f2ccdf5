/** JSON pointers (RFC 6901), the `path` of every diagnostic and source location. */
export function pointer(...segments: (string | number)[]): string {
  let path = '';
  for (const segment of segments) path += `/${escapeSegment(String(segment))}`;
  return path;
}

export function childPointer(parent: string, ...segments: (string | number)[]): string {
  return parent + pointer(...segments);
}

export function pointerSegments(path: string): string[] {
  if (path === '') return [];
  const segments = path.slice(1).split('/');
  // Checks build and read pointers for every field of every volume; most keys have nothing to unescape.
  return path.includes('~') ? segments.map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~')) : segments;
}

function escapeSegment(segment: string): string {
  return segment.includes('~') || segment.includes('/') ? segment.replace(/~/g, '~0').replace(/\//g, '~1') : segment;
}
