/**
 * What `strata audit verify` says about a log: each problem by line (exit 1), each run that never finished (a
 * warning: a killed apply is a fact to surface, not corruption), and what the chain cannot prove (not keyed, or keyed
 * and not checked). `--strict` fails on what verify cannot vouch for: a latest run that never finished, keyed events
 * it has no key for, a key and no keyed event.
 */
import type { AuditVerification, Keying, LocatedEvent, UnfinishedRun } from '../apply/audit/index.js';
import { nextCommand } from '../errors/next-command.js';
import { addressKey } from '../model/address.js';
import type { Actor } from '../model/actor.js';
import { terminalText } from '../render/escape/terminal.js';
import { plural } from '../model/words.js';

export interface VerifyReport {
  /** The findings, one per line, as `<file>:<line>: …`. */
  out: string[];
  /** The verdict and notes, as `note:`, `warning:`, `error:` and `hint:` lines. */
  err: string[];
  failed: boolean;
}

export function verifyReport(
  verification: AuditVerification,
  shown: string,
  options: { strict: boolean },
): VerifyReport {
  const { events, problems, keying, unfinished } = verification;
  const out = problems.map((problem) => `${shown}:${problem.line}: ${problem.message}`);
  const err: string[] = [];
  let failed = !verification.ok;
  if (verification.ok) {
    out.push(`${shown}: ${plural(events, 'event')}, chain intact${keyedSummary(keying, events)}`);
  } else {
    err.push(
      `${shown}: ${plural(problems.length, 'problem')}: the log was changed after strata wrote it; restore it from version control or a backup`,
    );
    if (keying.checked && keying.keyed > 0 && keying.matching === 0) {
      err.push(
        'hint: no keyed event matches STRATA_AUDIT_KEY: unless every one was forged, this is not the key the log was written with',
      );
    }
  }
  out.push(...unfinished.map((run) => `${shown}:${run.started.line}: ${describeUnfinished(run)}`));

  const keyingNote = verification.ok ? noteOnKeying(keying, events) : undefined;
  if (keyingNote) {
    const fails = options.strict && keyingNote.strictFix !== undefined;
    err.push(`${fails ? 'error: --strict' : 'note'}: ${keyingNote.text}`);
    if (fails) err.push(`hint: ${keyingNote.strictFix}`);
    failed ||= fails;
  }
  if (unfinished.length > 0) {
    err.push(
      `warning: ${plural(unfinished.length, 'run')} never finished (killed, or still running): the steps ${unfinished.length === 1 ? 'it' : 'they'} started may or may not have been written`,
    );
    const latest = unfinished.find((run) => run.latest);
    if (options.strict && latest) {
      err.push(`error: --strict: the latest run (line ${latest.started.line}) never finished`);
      err.push(
        `hint: if it is still running, wait for it; if not, finish it with \`${nextCommand({ kind: 'unfinished-run', planfile: '<planfile>' })}\` (or apply a new plan) and verify again`,
      );
      failed = true;
    }
  }
  return { out: out.map(terminalText), err: err.map(terminalText), failed };
}

/** `2026-11-23T10:00:04.123Z` → `2026-11-23T10:00:04Z`. */
export function shortTime(time: string): string {
  return time.replace(/\.\d+Z$/, 'Z');
}

function keyedSummary(keying: Keying, events: number): string {
  if (!keying.checked || keying.keyed === 0) return '';
  return `, ${keying.keyed === events ? 'every event' : plural(keying.keyed, 'event')} keyed and checked with STRATA_AUDIT_KEY`;
}

/** `strictFix`: set when `--strict` fails on it, saying what to do. */
function noteOnKeying(keying: Keying, events: number): { text: string; strictFix?: string } | undefined {
  if (events === 0) return undefined;
  if (!keying.checked && keying.keyed === 0) {
    return {
      text: 'the log is not keyed, so the chain proves the order of events, not who wrote them: anyone who can write the file can add an event and recompute the chain; set STRATA_AUDIT_KEY (a CI secret) where strata writes the log to key it',
    };
  }
  if (!keying.checked) {
    return {
      text: `${plural(keying.keyed, 'event')} ${keying.keyed === 1 ? 'is' : 'are'} keyed, but STRATA_AUDIT_KEY is not set here: their order is checked, not their content or who wrote them`,
      strictFix: 'set STRATA_AUDIT_KEY to the key the log is written with (the CI secret of the jobs that apply)',
    };
  }
  if (keying.keyed === 0) {
    return {
      text: 'no event is keyed although STRATA_AUDIT_KEY is set, so the chain proves the order of events, not who wrote them; the next apply with the key starts keying it',
      strictFix:
        'apply with STRATA_AUDIT_KEY set; if this log was keyed before, it has been replaced: restore it from version control or a backup',
    };
  }
  if (keying.unkeyed > 0) {
    // An intact chain starts with its unkeyed events, so they are lines 1 to n.
    const lines = keying.unkeyed === 1 ? 'line 1 was' : `lines 1–${keying.unkeyed} were`;
    return {
      text: `${lines} written before the log was keyed: the chain proves their order, not who wrote them (the keyed events after them keep them from being changed since)`,
    };
  }
  return undefined;
}

function describeUnfinished(run: UnfinishedRun): string {
  const { event } = run.started;
  const steps =
    run.stepsStarted === 0
      ? 'no step started'
      : `${plural(run.stepsStarted, 'step')} started, ${run.stepsEnded} of them ended`;
  const last = run.last === run.started ? '' : `; last event at line ${run.last.line}: ${describeEvent(run.last)}`;
  const lock = run.lockBroken
    ? `; its lock was broken since (line ${run.lockBroken.line}, ${shortTime(run.lockBroken.event.time)} by ${actorOf(run.lockBroken.event.actor)})`
    : '';
  return `run ${run.runId} never finished (killed, or still running): started ${shortTime(event.time)} by ${actorOf(event.actor)}; ${steps}${last}${lock}`;
}

function describeEvent({ event }: LocatedEvent): string {
  const step = event.step === undefined ? '' : ` of step ${event.step}`;
  const address = event.address ? ` (${addressKey(event.address)})` : '';
  return `${event.type}${step}${address} at ${shortTime(event.time)}`;
}

function actorOf(actor: Actor): string {
  return `${actor.user}@${actor.host}${actor.ciRun ? ` (${actor.ciRun})` : ''}`;
}
