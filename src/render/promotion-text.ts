/**
 * `strata promote` for people: the target file's diff, coloured like `git diff`, what the edit would make the target's
 * next plan replace or lose, and what was left out and why.
 */
import type { Promotion } from '../promote/index.js';
import { terminalText } from './escape/terminal.js';
import { ACTION_SYMBOLS, displayName, RISK_LABELS } from './names.js';
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

/**
 * Each change of the target's next plan that replaces a resource or can lose data, as the plan names it, with its
 * risks; none when the edit does neither.
 */
export function promotionConsequenceLines(promotion: Promotion, options: { color: boolean }): string[] {
  if (promotion.consequences.length === 0) return [];
  const style = createStyle(options.color);
  const { environment, file } = promotion.target;
  return [
    style.bold(
      style.red(
        `! with this edit, ${environment}'s next plan would replace or lose data (judged against ${file} as it is now, not the live state):`,
      ),
    ),
    ...promotion.consequences.flatMap((change) => {
      const reason = change.reason === undefined ? '' : `   (${change.reason})`;
      return [
        `${style.red(ACTION_SYMBOLS[change.action].padStart(3))} ${terminalText(`${displayName(change.address)}${reason}`)}`,
        ...change.risks.map((risk) => terminalText(`      ${RISK_LABELS[risk.kind]}: ${risk.message}`)),
      ];
    }),
  ];
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
