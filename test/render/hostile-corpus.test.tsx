/**
 * Live data cannot hurt the reader: each hostile value goes wherever live data enters a plan, a drift run and an apply,
 * through every renderer. A terminal sees no control character but strata's own colours, a PR comment keeps its
 * tables, code blocks and one final marker, JUnit stays XML, Prometheus stays its text format, and JSON carries the
 * value exactly, since JSON is data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { Step } from '../../src/model/plan.js';
import { renderApplyResult, stepEventLine, type StepEvent } from '../../src/render/apply-text.js';
import { renderDriftJson } from '../../src/render/drift-json.js';
import { renderDriftJunit } from '../../src/render/drift-junit.js';
import { driftCommentMarker, renderDriftMarkdown } from '../../src/render/drift-markdown.js';
import { renderDriftPrometheus } from '../../src/render/drift-prometheus.js';
import { renderDriftText } from '../../src/render/drift-text.js';
import { terminalText } from '../../src/render/escape/terminal.js';
import { ApplyProgress } from '../../src/render/ink/ApplyProgress.js';
import { ApplySession } from '../../src/render/ink/ApplySession.js';
import { PlanReview } from '../../src/render/ink/PlanReview.js';
import { initialProgress, progressReducer, type ProgressEvent } from '../../src/render/ink/progress-state.js';
import { reviewLines } from '../../src/render/ink/review-lines.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { planCommentMarker, renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { viewPlan } from '../../src/render/plan-view.js';
import { addressKey } from '../../src/model/address.js';
import { HOSTILE_VALUES, hostileApplyResult, hostilePlan, hostileRun } from '../fixtures/render/hostile.js';
import { frameShowing, press } from '../support/ink.js';
import { KEYS } from './ink/keys.js';
import { markdownProblems, parsePrometheus, rawControls, xmlProblems } from './output-checks.js';

afterEach(cleanup);

describe.each(HOSTILE_VALUES)('%s, live', (_description, value) => {
  const plan = hostilePlan(value);
  const shown = terminalText(value);

  describe('in a plan', () => {
    it('reaches the terminal as visible text, with and without colour', () => {
      for (const color of [true, false])
        expect(rawControls(renderPlanText(plan, { color, savedTo: 'plans/dev.plan.json' }))).toEqual([]);
    });

    it('keeps a field manager on the line of the field it owns', () => {
      expect(
        renderPlanText(plan, { color: false })
          .split('\n')
          .some((line) => line.includes(`(takes the field from ${shown})`)),
      ).toBe(true);
    });

    it('leaves the PR comment one marker, at its end, and tables and code blocks that hold', () => {
      expect(markdownProblems(renderPlanMarkdown(plan), [planCommentMarker('dev')])).toEqual([]);
    });

    it('stays in the JSON exactly as it was found', () => {
      const json = JSON.parse(renderPlanJson(plan, 'sha256:0')) as typeof plan;
      expect(json.changes[0]?.attributes[0]?.before).toBe(value);
      expect(json).toEqual({ ...JSON.parse(JSON.stringify(plan)), planHash: 'sha256:0' });
    });
  });

  describe('in a drift report', () => {
    it('reaches the terminal as visible text, with and without colour', () => {
      for (const color of [true, false])
        expect(rawControls(renderDriftText(hostileRun(value, { failedToo: true }), { color }))).toEqual([]);
    });

    it('keeps a field manager on the line of the field it changed', () => {
      const lines = renderDriftText(hostileRun(value, { failedToo: false }), { color: false }).split('\n');
      expect(lines.some((line) => line.startsWith('      labels.team:') && line.endsWith(`changed by ${shown}`))).toBe(
        true,
      );
    });

    it('leaves the Markdown one marker, at its end, and tables and code blocks that hold', () => {
      expect(
        markdownProblems(renderDriftMarkdown(hostileRun(value, { failedToo: false })), [driftCommentMarker('dev')]),
      ).toEqual([]);
    });

    it('ends each environment of a Markdown report with its own marker and no other', () => {
      const markdown = renderDriftMarkdown(hostileRun(value, { failedToo: true }));
      expect(markdownProblems(markdown, [driftCommentMarker('dev'), driftCommentMarker(value)])).toEqual([]);
    });

    it('stays in the JSON exactly as it was found', () => {
      const run = hostileRun(value, { failedToo: true });
      expect(JSON.parse(renderDriftJson(run))).toEqual(JSON.parse(JSON.stringify(run)));
    });

    it('leaves the JUnit report well-formed XML 1.0 with no control character', () => {
      const xml = renderDriftJunit(hostileRun(value, { failedToo: true }));
      expect(xmlProblems(xml)).toEqual([]);
      expect(rawControls(xml)).toEqual([]);
    });

    it('leaves Prometheus lines that parse, the environment label carrying the name exactly', () => {
      const { problems, samples } = parsePrometheus(renderDriftPrometheus(hostileRun(value, { failedToo: true })));
      expect(problems).toEqual([]);
      expect(
        samples.some(
          (sample) =>
            sample.name === 'strata_drift_check_error' && sample.labels.environment === value && sample.value === '1',
        ),
      ).toBe(true);
    });
  });

  describe('in an apply', () => {
    const [step] = plan.steps as [Step];

    it('reaches the log as visible text in every step line', () => {
      const events: StepEvent[] = ['started', 'succeeded', 'already', 'failed', 'skipped'];
      for (const event of events) {
        expect(
          rawControls(stepEventLine(event, step, { ms: 10, text: `the server answered ${value}`, color: true })),
        ).toEqual([]);
      }
    });

    it('reaches the summary as visible text', () => {
      const text = renderApplyResult(hostileApplyResult(value), {
        headline: 'Apply failed',
        environment: 'dev',
        planfile: 'plans/dev.plan.json',
        color: true,
      });
      expect(rawControls(text)).toEqual([]);
      expect(text).toContain(`InvalidTag: the server refused ${shown}`);
    });
  });

  describe('in the terminal review', () => {
    it('reaches every line of an expanded change as visible text', () => {
      const changes = viewPlan(plan).changes;
      const lines = reviewLines(changes, new Set(changes.map(({ change }) => addressKey(change.address))));
      expect(lines.flatMap((line) => rawControls(line.text))).toEqual([]);
    });

    it('draws the header, the risk banner and an expanded change as visible text', async () => {
      const view = render(<PlanReview plan={plan} color={false} canApply={false} onChoice={() => undefined} />);
      await press(view, KEYS.enter);
      await frameShowing(view, '(takes the field from');
      expect(view.frames.flatMap(rawControls)).toEqual([]);
    });

    it('asks to confirm the changes that lose data as visible text', () => {
      const { frames, lastFrame } = render(
        <ApplySession
          plan={plan}
          color={false}
          reviewFirst={false}
          confirmed={{ destroy: false, irreversible: true }}
          run={async () => 'succeeded'}
          onEnd={() => undefined}
        />,
      );
      expect(lastFrame()).toContain('can lose data');
      expect(frames.flatMap(rawControls)).toEqual([]);
    });

    it('draws a step the server refused as visible text', () => {
      const events: ProgressEvent[] = [
        { type: 'step-started', index: 1, at: 0 },
        { type: 'step-failed', index: 1, durationMs: 5, error: `InvalidTag: the server refused ${value}` },
        { type: 'step-skipped', index: 2, reason: `skipped by ${value}` },
        { type: 'finished', outcome: 'failed' },
      ];
      const state = events.reduce(
        progressReducer,
        initialProgress(plan.steps.map((entry) => ({ step: entry, change: plan.changes[0]! }))),
      );
      const { frames, lastFrame } = render(<ApplyProgress state={state} color={false} />);
      expect(lastFrame()).toContain('InvalidTag');
      expect(frames.flatMap(rawControls)).toEqual([]);
    });
  });
});
