/**
 * `strata apply` in a terminal: review the plan, choose apply all / step through / abort, confirm destructive and
 * irreversible changes, then watch progress. The apply itself runs outside (the `run` callback); this only asks and shows.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import { pairStepsWithChanges } from '../../apply/applier/guards.js';
import type { ApplyOutcome, ApprovalDecision } from '../../apply/applier/types.js';
import { addressKey } from '../../model/address.js';
import type { Change, Plan, Step } from '../../model/plan.js';
import { confirmationsNeeded, confirmedBy, unconfirmed, type NeedsConfirmation } from '../../plan/confirmations.js';
import { terminalText } from '../escape/terminal.js';
import { plural } from '../../model/words.js';
import { displayName } from '../names.js';
import { viewChange, type ChangeView } from '../plan-view.js';
import { fit, reviewLines } from './review-lines.js';
import { ApplyProgress } from './ApplyProgress.js';
import { keyPresses, type KeyPress } from './key-presses.js';
import { PlanReview } from './PlanReview.js';
import { initialProgress, progressReducer, type ProgressEvent, type ProgressState } from './progress-state.js';
import type { ReviewChoice } from './review-state.js';
import { toneProps } from './tones.js';

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
  /** The last answer to a step, for the run waiting on it. */
  answer?: { decision: ApprovalDecision };
  /** A key declined: the session ends without applying. */
  declined: boolean;
  progress: ProgressState;
}

/** What the keys are checked against: the environment's name, and whether it must be typed back. */
interface SessionAsks {
  environment: string;
  irreversible: boolean;
}

type SessionEvent =
  | { type: 'chosen'; mode: ApplyControls['mode']; next: Phase }
  /** The keys of one write, each read against the state the keys before it left. */
  | { type: 'keys'; presses: KeyPress[]; asks: SessionAsks }
  | { type: 'ask'; step: Step; change: Change }
  | { type: 'progress'; event: ProgressEvent };

function sessionReducer(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'chosen':
      return { ...state, mode: event.mode, phase: event.next, typed: '' };
    case 'keys': {
      let next = state;
      for (const press of event.presses) {
        const after = sessionKey(next, press, event.asks);
        // Keys written together after one that puts a new question were typed before it was shown: they answer nothing.
        const newQuestion = after.phase !== next.phase || after.asking !== next.asking || after.declined;
        next = after;
        if (newQuestion) break;
      }
      return next;
    }
    case 'ask':
      return { ...state, asking: { step: event.step, change: event.change, confirming: false } };
    case 'progress':
      return { ...state, progress: progressReducer(state.progress, event.event) };
  }
}

function sessionKey(state: SessionState, { input, key }: KeyPress, asks: SessionAsks): SessionState {
  if (state.declined) return state;
  const declined = { ...state, declined: true };
  if (key.ctrl && input === 'c') {
    if (state.phase !== 'running') return declined;
    const stopping = { ...state, progress: progressReducer(state.progress, { type: 'stopping' }) };
    return state.asking ? answered(stopping, 'abort') : stopping;
  }
  if (state.phase === 'confirm-destroy') {
    return input === 'y' ? { ...state, phase: asks.irreversible ? 'confirm-irreversible' : 'running' } : declined;
  }
  if (state.phase === 'confirm-irreversible') {
    if (key.backspace || key.delete) return { ...state, typed: state.typed.slice(0, -1) };
    if (key.escape) return declined;
    if (key.return) {
      const typedBack = confirmedBy({ confirmIrreversible: state.typed }, asks.environment).irreversible;
      return typedBack ? { ...state, phase: 'running', typed: '' } : declined;
    }
    return key.ctrl || key.meta ? state : { ...state, typed: state.typed + input };
  }
  if (state.phase !== 'running' || !state.asking) return state;
  if (input === 'y') {
    const destroys = confirmationsNeeded(asks.environment, [state.asking]).destroy.length > 0;
    return destroys && !state.asking.confirming
      ? { ...state, asking: { ...state.asking, confirming: true } }
      : answered(state, 'apply');
  }
  if (input === 'n') return answered(state, 'skip');
  if (input === 'q') return answered(state, 'abort');
  return state;
}

function answered(state: SessionState, decision: ApprovalDecision): SessionState {
  return { ...state, asking: undefined, answer: { decision } };
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
  // Once per plan, not per frame: the session draws dozens of frames a second through an apply of thousands of steps.
  const { stepped, needed } = useMemo(() => {
    const paired = pairStepsWithChanges(plan);
    return { stepped: paired, needed: confirmationsNeeded(plan.environment, paired) };
  }, [plan]);
  const ask = unconfirmed(needed, confirmed);
  const askIrreversible = ask.irreversible.length > 0;
  // Step-through asks again at each step that can lose data instead.
  const afterChoice = (mode: ApplyControls['mode']): Phase =>
    mode === 'apply-all' && ask.destroy.length > 0
      ? 'confirm-destroy'
      : askIrreversible
        ? 'confirm-irreversible'
        : 'running';
  const [state, dispatch] = useReducer(sessionReducer, undefined, (): SessionState => ({
    phase: reviewFirst ? 'review' : afterChoice('apply-all'),
    mode: 'apply-all',
    typed: '',
    declined: false,
    progress: initialProgress(stepped),
  }));
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

  // Keys go through the reducer, so each meets the state the keys before it left, drawn yet or not; what they decide
  // reaches the run from here.
  useInput(
    (input, key) =>
      dispatch({
        type: 'keys',
        presses: keyPresses(input, key),
        asks: { environment: needed.environment, irreversible: askIrreversible },
      }),
    { isActive: state.phase !== 'review' },
  );
  const stopping = state.progress.stopping;
  useEffect(() => {
    if (stopping) stop.current.abort();
  }, [stopping]);
  useEffect(() => {
    if (!state.answer) return;
    answer.current?.(state.answer.decision);
    answer.current = undefined;
  }, [state.answer]);
  useEffect(() => {
    if (state.declined) end('declined');
  }, [state.declined, end]);

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
      <Text bold={color}>{`Step ${asking.step.index} of the plan:`}</Text>
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
