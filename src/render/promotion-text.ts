/** `strata promote` for people: the target file's diff, coloured like `git diff`, and what was left out and why. */
import type { Promotion } from '../promote/index.js';
import { createStyle } from './style.js';

export function renderPromotionDiff(diff: string, options: { color: boolean }): string {
  const style = createStyle(options.color);
  return diff
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return style.bold(line);
      if (line.startsWith('+')) return style.green(line);
      if (line.startsWith('-')) return style.red(line);
      if (line.startsWith('@@')) return style.cyan(line);
      return line;
    })
    .join('\n');
}

/** One line per logical resource in only one of the two files: neither is promoted. */
export function promotionSkippedLines(promotion: Promotion): string[] {
  const { source, target } = promotion;
  return [
    ...promotion.sourceOnly.map(
      (path) =>
        `not promoted: ${path} exists only in ${source.environment} (add it to ${target.environment}.yaml with its ${target.environment} name first)`,
    ),
    ...promotion.targetOnly.map(
      (path) => `left alone: ${path} exists only in ${target.environment} (promotion never removes a resource)`,
    ),
  ];
}
