/**
 * The plan review's state and its reducer: which change the cursor is on, which are expanded, the address filter and
 * the risky-only switch, and what each key does to them. Pure, so navigation is tested without a terminal; components
 * only draw what this derives.
 */
import { addressKey } from '../../model/address.js';
import type { ChangeView } from '../plan-view.js';
import type { KeyPress } from './key-presses.js';

export type ReviewChoice = 'apply-all' | 'step-through' | 'abort';

export interface ReviewState {
  /** Index into the visible changes. */
  cursor: number;
  /** Address keys of expanded changes. */
  expanded: ReadonlySet<string>;
  filter: string;
  editingFilter: boolean;
  riskyOnly: boolean;
  help: boolean;
  /** Set once a key chose; the review takes no key after it. */
  chosen?: ReviewChoice;
}

/** What a key acts on besides the state: the plan's changes, a page's height, and whether apply choices are offered. */
export interface ReviewKeys {
  changes: ChangeView[];
  page: number;
  canApply: boolean;
}

export type ReviewEvent =
  | { type: 'move'; by: number; visible: number }
  | { type: 'move-to'; index: number; visible: number }
  | { type: 'toggle-expanded'; key: string }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-erase' }
  | { type: 'filter-done' }
  | { type: 'filter-clear' }
  | { type: 'toggle-risky' }
  | { type: 'toggle-help' }
  /** Read against the state the keys before it left, so keys that arrive together each count. */
  | { type: 'key'; press: KeyPress; keys: ReviewKeys };

export const initialReviewState: ReviewState = {
  cursor: 0,
  expanded: new Set(),
  filter: '',
  editingFilter: false,
  riskyOnly: false,
  help: false,
};

export function reviewReducer(state: ReviewState, event: ReviewEvent): ReviewState {
  switch (event.type) {
    case 'move':
      return { ...state, cursor: clamp(state.cursor + event.by, event.visible) };
    case 'move-to':
      return { ...state, cursor: clamp(event.index, event.visible) };
    case 'toggle-expanded': {
      const expanded = new Set(state.expanded);
      if (!expanded.delete(event.key)) expanded.add(event.key);
      return { ...state, expanded };
    }
    case 'filter-start':
      return { ...state, editingFilter: true };
    case 'filter-type':
      return { ...state, filter: state.filter + event.text, cursor: 0 };
    case 'filter-erase':
      return { ...state, filter: state.filter.slice(0, -1), cursor: 0 };
    case 'filter-done':
      return { ...state, editingFilter: false };
    case 'filter-clear':
      return { ...state, filter: '', editingFilter: false, cursor: 0 };
    case 'toggle-risky':
      return { ...state, riskyOnly: !state.riskyOnly, cursor: 0 };
    case 'toggle-help':
      return { ...state, help: !state.help };
    case 'key': {
      if (state.chosen) return state;
      const next = keyEvent(state, event.press, event.keys);
      if (next === undefined) return state;
      return typeof next === 'string' ? { ...state, chosen: next } : reviewReducer(state, next);
    }
  }
}

function keyEvent(
  state: ReviewState,
  { input, key }: KeyPress,
  { changes, page, canApply }: ReviewKeys,
): ReviewEvent | ReviewChoice | undefined {
  if (state.editingFilter) {
    if (key.escape) return { type: 'filter-clear' };
    if (key.backspace || key.delete) return { type: 'filter-erase' };
    if (key.return) return { type: 'filter-done' };
    if (input && !key.ctrl && !key.meta) return { type: 'filter-type', text: input };
    return undefined;
  }
  const visible = visibleChanges(changes, state);
  const cursor = visible[state.cursor];
  if (key.downArrow || input === 'j') return { type: 'move', by: 1, visible: visible.length };
  if (key.upArrow || input === 'k') return { type: 'move', by: -1, visible: visible.length };
  if (key.pageDown || input === ' ') return { type: 'move', by: page, visible: visible.length };
  if (key.pageUp) return { type: 'move', by: -page, visible: visible.length };
  if (input === 'g') return { type: 'move-to', index: 0, visible: visible.length };
  if (input === 'G') return { type: 'move-to', index: visible.length - 1, visible: visible.length };
  if (key.return && cursor) return { type: 'toggle-expanded', key: addressKey(cursor.change.address) };
  if (input === '/') return { type: 'filter-start' };
  // Esc closes what is on top: the help covers the list.
  if (key.escape && state.help) return { type: 'toggle-help' };
  if (key.escape && state.filter !== '') return { type: 'filter-clear' };
  if (input === 'r') return { type: 'toggle-risky' };
  if (input === '?') return { type: 'toggle-help' };
  if (input === 'q') return 'abort';
  if (canApply && input === 'a') return 'apply-all';
  if (canApply && input === 's') return 'step-through';
  return undefined;
}

function clamp(index: number, visible: number): number {
  return Math.max(0, Math.min(index, visible - 1));
}

/** The changes the list shows (the text renderer's, in its order), after the filter and the risky-only switch. */
export function visibleChanges(changes: ChangeView[], state: Pick<ReviewState, 'filter' | 'riskyOnly'>): ChangeView[] {
  const needle = state.filter.toLowerCase();
  return changes
    .filter(({ change }) => !state.riskyOnly || change.risks.length > 0)
    .filter(
      ({ change, name }) => needle === '' || `${name} ${addressKey(change.address)}`.toLowerCase().includes(needle),
    );
}

/** The first row to draw so the cursor's row stays on screen, moving the window as little as possible. */
export function scrollTop(previousTop: number, cursorRow: number, cursorHeight: number, height: number): number {
  if (cursorRow < previousTop) return cursorRow;
  if (cursorRow + cursorHeight > previousTop + height)
    return Math.max(0, cursorRow + Math.min(cursorHeight, height) - height);
  return previousTop;
}
