/** The plan, navigable: header, risk banner, the change list with expandable diffs, and the keys. Presentation only. */
import { useEffect, useEffectEvent, useMemo, useReducer, useState } from 'react';
import { Box, Text, useInput, useStdout } from 'ink';
import type { Plan } from '../../model/plan.js';
import { terminalText } from '../escape/terminal.js';
import { plural } from '../../model/words.js';
import { RISK_LABELS } from '../names.js';
import { actionCounts, viewPlan } from '../plan-view.js';
import { wrapWords } from '../wrap.js';
import { fit, reviewLines } from './review-lines.js';
import { keyPresses } from './key-presses.js';
import { initialReviewState, reviewReducer, scrollTop, visibleChanges, type ReviewChoice } from './review-state.js';
import { toneProps } from './tones.js';

interface PlanReviewProps {
  plan: Plan;
  color: boolean;
  /** Offer apply choices (strata apply); without them `q` just closes the review (strata plan). */
  canApply: boolean;
  onChoice: (choice: ReviewChoice) => void;
}

const BANNER_RISKS = 3;
const CHROME_LINES = 8;

export function PlanReview({ plan, color, canApply, onChoice }: PlanReviewProps) {
  const { stdout } = useStdout();
  const width = Math.max(40, stdout.columns ?? 80);
  // Every attribute's diff is worked out here; a key press must not redo it for a 2,000-change plan.
  const view = useMemo(() => viewPlan(plan), [plan]);
  // What the servers lack is said once, above the list, which gets the rows the notes leave.
  const notes = view.capabilityNotes.flatMap((note) => wrapWords(terminalText(`note: ${note}`), width, width - 6));
  const height = Math.max(5, (stdout.rows ?? 24) - CHROME_LINES - notes.length);
  const [state, dispatch] = useReducer(reviewReducer, initialReviewState);
  const changes = visibleChanges(view.changes, state);
  const lines = reviewLines(changes, state.expanded);
  const [scrolledTo, setScrolledTo] = useState(0);

  // Each key goes through the reducer, so it meets the state the keys before it left, drawn yet or not.
  useInput((input, key) => {
    for (const press of keyPresses(input, key))
      dispatch({ type: 'key', press, keys: { changes: view.changes, page: height, canApply } });
  });
  const choose = useEffectEvent((choice: ReviewChoice) => onChoice(choice));
  useEffect(() => {
    if (state.chosen) choose(state.chosen);
  }, [state.chosen]);

  const cursorRow = lines.findIndex((line) => line.head && line.changeIndex === state.cursor);
  const cursorHeight = lines.filter((line) => line.changeIndex === state.cursor).length;
  // Where the view scrolled to depends on where it was, so it is state, updated during render (React's pattern
  // for information from previous renders) rather than a ref written while rendering.
  const top = cursorRow < 0 ? 0 : scrollTop(scrolledTo, cursorRow, cursorHeight, height);
  if (top !== scrolledTo) setScrolledTo(top);
  const shown = lines.slice(top, top + height);
  const counts = actionCounts(plan.summary).map(({ action, count }) => `${count} ${action}`);

  return (
    <Box flexDirection="column">
      {/* Bold only with colour: ink's own colour detection knows nothing of NO_COLOR. */}
      <Text bold={color}>{fit(terminalText(`strata plan ${plan.environment} · ${counts.join(' · ')}`), width)}</Text>
      {view.risks.length > 0 ? (
        <Box flexDirection="column">
          <Text {...toneProps('blocked', color)}>
            {fit(`! ${plural(view.risks.length, 'risk')} — review before applying`, width)}
          </Text>
          {view.risks.slice(0, BANNER_RISKS).map(({ risk, resource }, index) => (
            <Text key={index} {...toneProps('risk', color)}>
              {fit(terminalText(`  ${RISK_LABELS[risk.kind].padEnd(12)} ${resource}: ${risk.message}`), width)}
            </Text>
          ))}
          {view.risks.length > BANNER_RISKS ? (
            <Text dimColor={color}>{`  … ${view.risks.length - BANNER_RISKS} more (press r for risky changes)`}</Text>
          ) : null}
        </Box>
      ) : null}
      {notes.map((line, index) => (
        <Text key={`note-${index}`} dimColor={color}>
          {fit(index === 0 ? line : `      ${line}`, width)}
        </Text>
      ))}
      <Text dimColor={color}>{'─'.repeat(Math.min(width, 80))}</Text>
      {state.help ? (
        <HelpText canApply={canApply} />
      ) : changes.length === 0 ? (
        <Text>
          {view.changes.length === 0
            ? 'No changes. Live state matches the environment file.'
            : 'No change matches the filter.'}
        </Text>
      ) : (
        shown.map((line, index) => {
          const selected = line.head && line.changeIndex === state.cursor;
          return (
            <Text key={top + index} {...toneProps(line.tone, color)} inverse={selected && color}>
              {fit(`${selected ? '›' : ' '} ${line.text}`, width)}
            </Text>
          );
        })
      )}
      <Text dimColor={color}>{'─'.repeat(Math.min(width, 80))}</Text>
      <Text>
        {fit(
          state.editingFilter
            ? `filter: ${state.filter}▏ (enter keeps it, esc clears)`
            : [
                `${changes.length ? state.cursor + 1 : 0}/${changes.length}`,
                state.filter ? `filter "${state.filter}"` : '',
                state.riskyOnly ? 'risky only' : '',
                canApply ? 'a apply all · s step through · q abort' : 'q quit',
                '? keys',
              ]
                .filter(Boolean)
                .join(' · '),
          width,
        )}
      </Text>
    </Box>
  );
}

function HelpText({ canApply }: { canApply: boolean }) {
  const keys = [
    ['↑ ↓  j k', 'move'],
    ['PgUp PgDn  g G', 'page, first, last'],
    ['enter', 'show or hide the change'],
    ['/', 'filter by address (esc clears)'],
    ['r', 'only changes with risks'],
    ['?', 'this help (? or esc closes it)'],
    ...(canApply
      ? [
          ['a', 'apply every change'],
          ['s', 'step through: approve or skip each change'],
          ['q', 'abort: change nothing'],
        ]
      : [['q', 'quit']]),
  ];
  return (
    <Box flexDirection="column">
      {keys.map(([name, what]) => (
        <Text key={name}>{`  ${name!.padEnd(16)} ${what}`}</Text>
      ))}
    </Box>
  );
}
