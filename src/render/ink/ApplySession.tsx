/**
 * `strata apply` in a terminal: review the plan, choose apply all / step through / abort, confirm destructive and
 * irreversible changes, then watch progress. The apply itself runs outside (the `run` callback); this only asks and shows.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { ApplyOutcome, ApprovalDecision } from '../../apply/applier/types.js';
import { addressKey, sameAddress } from '../../model/address.js';
import type { Change, Plan, Step } from '../../model/plan.js';
import { confirmationsNeeded, confirmedBy, unconfirmed, type NeedsConfirmation } from '../../plan/confirmations.js';
import { terminalText } from '../escape/terminal.js';
import { plural } from '../../model/words.js';
import { displayName } from '../names.js';
import { viewChange, type ChangeView } from '../plan-view.js';
import { fit, reviewLines } from './review-lines.js';
import { ApplyProgress } from './ApplyProgress.js';
import { PlanReview, type ReviewChoice } from './PlanReview.js';
import { initialProgress, progressReducer, type ProgressEvent, type ProgressState } from './progress-state.js';
import { toneProps } from './tones.js';
import { typedText } from './typed-text.js';

/** What the person chose, handed to the apply run. */
export interface ApplyControls {
  mode: 'apply-all' | 'step-through';
  /** The person confirmed the changes that can lose data. */
  allowDestroy: boolean;
  /** The environment name, typed back to confirm irreversible changes. */
  confirmIrreversible?: string;
  /** Step-through only: asks about each step. */
  approve?: (step: Step, change: Change) => Promise<ApprovalDecision>;
  report: (event: ProgressEvent) => void;
  /** Ctrl-C: stop scheduling new steps. */
  signal: AbortSignal;
}

export interface ApplySessionProps {
  plan: Plan;
  color: boolean;
  /** Show the plan and ask apply all / step through / abort first; a reviewed plan file goes straight to applying. */
  reviewFirst: boolean;
  /** Confirmations already given on the command line (--allow-destroy, --confirm-irreversible). */
  confirmed: { destroy: boolean; irreversible: boolean };
  run: (controls: ApplyControls) => Promise<ApplyOutcome>;
  onEnd: (outcome: ApplyOutcome | 'declined') => void;
}

type Phase = 'review' | 'confirm-destroy' | 'confirm-irreversible' | 'running';

interface SessionState {
  phase: Phase;
  mode: ApplyControls['mode'];
  typed: string;
  /** The step waiting for an answer in step-through mode; `confirming` after a first yes to a destructive change. */
  asking?: { step: Step; change: Change; confirming: boolean };
  progress: ProgressState;
}

type SessionEvent =
  | { type: 'chosen'; mode: ApplyControls['mode']; next: Phase }
  | { type: 'phase'; phase: Phase }
  | { type: 'typed'; text: string }
  | { type: 'ask'; step: Step; change: Change }
  | { type: 'confirming' }
  | { type: 'answered' }
  | { type: 'progress'; event: ProgressEvent };

function sessionReducer(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'chosen':
      return { ...state, mode: event.mode, phase: event.next, typed: '' };
    case 'phase':
      return { ...state, phase: event.phase, typed: '' };
    case 'typed':
      return { ...state, typed: event.text };
    case 'ask':
      return { ...state, asking: { step: event.step, change: event.change, confirming: false } };
    case 'confirming':
      return state.asking ? { ...state, asking: { ...state.asking, confirming: true } } : state;
    case 'answered':
      return { ...state, asking: undefined };
    case 'progress':
      return { ...state, progress: progressReducer(state.progress, event.event) };
  }
}

/** The changes a confirmation is about, each with the risk that makes it ask. */
function RiskList(props: { title: string; entries: NeedsConfirmation[]; color: boolean }) {
  return (
    <Box flexDirection="column">
      <Text {...toneProps('blocked', props.color)}>{props.title}</Text>
      {props.entries.map(({ step, risks }) => (
        <Text key={step.index} {...toneProps('risk', props.color)}>
          {terminalText(`  ${displayName(step.address)}: ${risks[0]?.message ?? ''}`)}
        </Text>
      ))}
    </Box>
  );
}

export function ApplySession({ plan, color, reviewFirst, confirmed, run, onEnd }: ApplySessionProps) {
  const app = useApp();
  const stepped = plan.steps.map((step) => ({ step, change: changeOf(plan, step) }));
  const needed = confirmationsNeeded(plan.environment, stepped);
  const ask = unconfirmed(needed, confirmed);
  const askIrreversible = ask.irreversible.length > 0;
  // Step-through asks again at each step that can lose data instead.
  const afterChoice = (mode: ApplyControls['mode']): Phase =>
    mode === 'apply-all' && ask.destroy.length > 0
      ? 'confirm-destroy'
      : askIrreversible
        ? 'confirm-irreversible'
        : 'running';
  const [state, dispatch] = useReducer(sessionReducer, {
    phase: reviewFirst ? 'review' : afterChoice('apply-all'),
    mode: 'apply-all',
    typed: '',
    progress: initialProgress(stepped),
  });
  const answer = useRef<((approval: ApprovalDecision) => void) | undefined>(undefined);
  const stop = useRef(new AbortController());
  const started = useRef(false);

  const end = useCallback(
    (outcome: ApplyOutcome | 'declined') => {
      onEnd(outcome);
      app.exit();
    },
    [onEnd, app],
  );

  useEffect(() => {
    if (state.phase !== 'running' || started.current) return;
    started.current = true;
    const controls: ApplyControls = {
      mode: state.mode,
      allowDestroy: true,
      confirmIrreversible: needed.irreversible.length > 0 ? needed.environment : undefined,
      report: (event) => dispatch({ type: 'progress', event }),
      signal: stop.current.signal,
      approve:
        state.mode === 'step-through'
          ? (step, change) =>
              new Promise<ApprovalDecision>((resolve) => {
                answer.current = resolve;
                dispatch({ type: 'ask', step, change });
              })
          : undefined,
    };
    run(controls).then(
      (outcome) => dispatch({ type: 'progress', event: { type: 'finished', outcome } }),
      () => dispatch({ type: 'progress', event: { type: 'finished', outcome: 'failed' } }),
    );
  }, [state.phase, state.mode, needed.irreversible.length, needed.environment, run]);

  // Ends only after the final progress has been drawn, so the last finished step is on screen.
  const outcome = state.progress.outcome;
  useEffect(() => {
    if (outcome !== undefined) end(outcome);
  }, [outcome, end]);

  const reply = (approval: ApprovalDecision) => {
    dispatch({ type: 'answered' });
    answer.current?.(approval);
    answer.current = undefined;
  };

  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') {
        if (state.phase === 'running') {
          stop.current.abort();
          dispatch({ type: 'progress', event: { type: 'stopping' } });
          if (state.asking) reply('abort');
        } else end('declined');
        return;
      }
      if (state.phase === 'confirm-destroy') {
        if (input === 'y') dispatch({ type: 'phase', phase: askIrreversible ? 'confirm-irreversible' : 'running' });
        else end('declined');
      } else if (state.phase === 'confirm-irreversible') {
        if (key.backspace || key.delete) dispatch({ type: 'typed', text: state.typed.slice(0, -1) });
        else if (key.escape) end('declined');
        else {
          const { text, submit } = typedText(input, key);
          const typed = state.typed + text;
          if (!submit) dispatch({ type: 'typed', text: typed });
          else if (confirmedBy({ confirmIrreversible: typed }, needed.environment).irreversible)
            dispatch({ type: 'phase', phase: 'running' });
          else end('declined');
        }
      } else if (state.phase === 'running' && state.asking) {
        if (input === 'y') {
          const destroys = confirmationsNeeded(needed.environment, [state.asking]).destroy.length > 0;
          if (destroys && !state.asking.confirming) dispatch({ type: 'confirming' });
          else reply('apply');
        } else if (input === 'n') reply('skip');
        else if (input === 'q') reply('abort');
      }
    },
    { isActive: state.phase !== 'review' },
  );

  if (state.phase === 'review') {
    return (
      <PlanReview
        plan={plan}
        color={color}
        canApply={plan.steps.length > 0}
        onChoice={(choice: ReviewChoice) => {
          if (choice === 'abort') end('declined');
          else dispatch({ type: 'chosen', mode: choice, next: afterChoice(choice) });
        }}
      />
    );
  }
  return (
    <Box flexDirection="column">
      {state.phase === 'confirm-destroy' ? (
        <Box flexDirection="column">
          <RiskList
            title={`${plural(ask.destroy.length, 'change')} can lose data:`}
            entries={ask.destroy}
            color={color}
          />
          <Text>Apply them? y applies, any other key aborts</Text>
        </Box>
      ) : null}
      {state.phase === 'confirm-irreversible' ? (
        <Box flexDirection="column">
          <RiskList
            title={`${plural(ask.irreversible.length, 'change')} cannot be undone:`}
            entries={ask.irreversible}
            color={color}
          />
          <Text>
            {terminalText(`Type the environment name (${plan.environment}) and press enter to go on: ${state.typed}▏`)}
          </Text>
        </Box>
      ) : null}
      {state.phase === 'running' ? <ApplyProgress state={state.progress} color={color} /> : null}
      {state.asking ? (
        <StepQuestion asking={state.asking} view={viewChange(state.asking.change)} color={color} />
      ) : null}
    </Box>
  );
}

/** The change being asked about, drawn as the review draws an expanded change. */
function StepQuestion({
  asking,
  view,
  color,
}: {
  asking: NonNullable<SessionState['asking']>;
  view: ChangeView;
  color: boolean;
}) {
  const lines = reviewLines([view], new Set([addressKey(view.change.address)]));
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{`Step ${asking.step.index} of the plan:`}</Text>
      {lines.map((line, index) => (
        <Text key={index} {...toneProps(line.tone, color)}>
          {fit(line.text, 100)}
        </Text>
      ))}
      <Text>
        {asking.confirming
          ? 'This change can lose data. Press y again to apply it, n to skip it.'
          : 'Apply this change? y yes · n skip (left for the next plan) · q stop here'}
      </Text>
    </Box>
  );
}

function changeOf(plan: Plan, step: Step): Change {
  return plan.changes.find((change) => sameAddress(change.address, step.address))!;
}
