/**
 * Buckets "named like" an environment's: what drift reports as unmanaged and what the S3 provider reads beyond the
 * declared and owned buckets. Pure naming, shared by both so they cannot disagree.
 */
export interface BucketNamePattern {
  /** For people: `akosha-*-dev`. */
  glob: string;
  test(name: string): boolean;
}

/** `akosha-*-dev` from the declared names, or undefined when they share no first segment. */
export function strataLikeBucketPattern(names: readonly string[]): BucketNamePattern | undefined {
  const split = names.map((name) => name.split('-')).filter((segments) => segments.length >= 2);
  const first = split[0]?.[0];
  if (first === undefined || !split.every((segments) => segments[0] === first)) return undefined;
  const last = split[0]?.at(-1);
  const suffix = last !== undefined && split.every((segments) => segments.at(-1) === last) ? `-${last}` : '';
  const glob = `${first}-*${suffix}`;
  return {
    glob,
    test: (name) =>
      name.startsWith(`${first}-`) && name.endsWith(suffix) && name.length > first.length + 1 + suffix.length,
  };
}
