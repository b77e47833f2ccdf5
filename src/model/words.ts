/** Counted nouns, worded the same in every message and renderer: `1 step`, `3 steps`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
