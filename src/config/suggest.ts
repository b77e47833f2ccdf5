/** "Did you mean": the candidate closest to what was written, when it is close enough to be a typo. */
export function closest(written: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(written.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(2, Math.floor(written.length / 3));
  return best !== undefined && bestDistance <= tolerance ? best : undefined;
}

/** `did you mean `x`?` or, without a close candidate, the list to choose from (`nouns` is plural: `storage classes`). */
export function suggestion(written: string, candidates: readonly string[], nouns: string): string {
  if (candidates.length === 0) return `no ${nouns} are declared`;
  const match = closest(written, candidates);
  return match ? `did you mean \`${match}\`?` : `declared ${nouns}: ${candidates.join(', ')}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
