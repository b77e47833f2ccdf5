/**
 * The review list as lines of text: one per change, plus its attribute diff when expanded. Pure and cheap, so the
 * component only slices the window it shows (a 2,000-change plan stays responsive).
 */
import { addressKey } from '../../model/address.js';
import type { Change } from '../../model/plan.js';
import { treeRows, type AttributeMarker } from '../attribute-view.js';
import { terminalText } from '../escape/terminal.js';
import { DIFF_MARKERS } from '../format-value.js';
import { ACTION_SYMBOLS, RISK_LABELS } from '../names.js';
import type { ChangeView } from '../plan-view.js';

export type LineTone = 'create' | 'update' | 'delete' | 'blocked' | 'risk' | 'add' | 'remove' | 'dim' | 'plain';

export interface ReviewLine {
  text: string;
  tone: LineTone;
  /** The visible change this line belongs to. */
  changeIndex: number;
  /** The change's own row (not a detail line). */
  head: boolean;
}

const ACTION_TONES: Record<Change['action'], LineTone> = {
  create: 'create',
  adopt: 'create',
  update: 'update',
  replace: 'delete',
  delete: 'delete',
  blocked: 'blocked',
  'no-op': 'plain',
};

export function reviewLines(changes: ChangeView[], expanded: ReadonlySet<string>): ReviewLine[] {
  return changes.flatMap(({ change, name, attributes }, changeIndex) => {
    const risky =
      change.risks.length > 0
        ? `  ⚠ ${[...new Set(change.risks.map((risk) => RISK_LABELS[risk.kind]))].join(', ')}`
        : '';
    const head: ReviewLine = {
      text: terminalText(`${ACTION_SYMBOLS[change.action].padEnd(3)} ${name}${risky}`),
      tone: ACTION_TONES[change.action],
      changeIndex,
      head: true,
    };
    if (!expanded.has(addressKey(change.address))) return [head];
    const detail = (text: string, tone: LineTone): ReviewLine => ({
      text: `      ${terminalText(text)}`,
      tone,
      changeIndex,
      head: false,
    });
    return [
      head,
      ...(change.reason ? [detail(change.reason, change.action === 'blocked' ? 'blocked' : 'dim')] : []),
      ...change.risks.map((risk) => detail(`! ${risk.message}`, 'risk')),
      ...attributes.flatMap(({ path, values, marker, notes }) => {
        const side = marker === undefined ? '' : ` (${marker})`;
        const noted = notes.map((note) => `  (${note.text})`).join('');
        if (values.form === 'inline') return [detail(`${path}:  ${values.text}${side}${noted}`, 'plain')];
        if (values.form === 'tree') {
          // detail() escapes each line whole, so the rows are laid out from the raw text.
          return [
            detail(`${path}:${side}${noted}`, 'plain'),
            ...treeRows(values, (text) => text).map((row) =>
              detail(
                `  ${'  '.repeat(row.depth)}${row.label}${row.text === undefined ? '' : `  ${row.text}`}${row.marker === undefined ? '' : ` (${row.marker})`}${(row.notes ?? []).map((note) => `  (${note.text})`).join('')}`,
                row.hidden ? 'dim' : treeTone(row.marker),
              ),
            ),
          ];
        }
        return [
          detail(`${path}:${side}${noted}`, 'plain'),
          ...values.lines.map((line) =>
            detail(
              `  ${DIFF_MARKERS[line.op]}${line.text}`,
              change.action === 'blocked' ? 'dim' : line.op === 'add' ? 'add' : line.op === 'remove' ? 'remove' : 'dim',
            ),
          ),
        ];
      }),
      ...(change.preserved ?? []).map((kept) => detail(`kept as found (not managed by strata): ${kept}`, 'dim')),
    ];
  });
}

/** A member new or removed inside an update is painted as diff lines are; the rest is plain. */
function treeTone(marker: AttributeMarker | undefined): LineTone {
  if (marker === 'new') return 'add';
  if (marker === 'removed') return 'remove';
  return marker === undefined ? 'plain' : 'dim';
}

/** Cuts a line to the terminal width, marking the cut. */
export function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
