/**
 * Which steps must be confirmed before they run, and what confirms them: one rule, which the applier enforces
 * (apply/applier/guards.ts), the CLI hands its flags to, and the terminal asks about. A step that can lose data needs
 * --allow-destroy; one that cannot be undone needs --confirm-irreversible naming the plan's environment, so a
 * confirmation meant for one environment never passes for another.
 */
import type { Change, Risk, RiskKind, Step } from '../model/plan.js';

/** A step and the change it carries out. */
export interface PlannedStep {
  step: Step;
  change: Change;
}

export interface NeedsConfirmation extends PlannedStep {
  /** The change's risks that ask for the confirmation, in the change's order. */
  risks: Risk[];
}

export interface ConfirmationsNeeded {
  /** Steps that can lose data: they run only with --allow-destroy. */
  destroy: NeedsConfirmation[];
  /** Steps that cannot be undone: they run only with --confirm-irreversible naming `environment`. */
  irreversible: NeedsConfirmation[];
  /** The name --confirm-irreversible must give. */
  environment: string;
}

/** Confirmations as given: the command-line flags, or what the person answered in the terminal. */
export interface ConfirmationFlags {
  allowDestroy?: boolean;
  confirmIrreversible?: string;
}

/** Which confirmations the flags give. */
export interface Confirmed {
  destroy: boolean;
  irreversible: boolean;
}

/** The risk that asks for each confirmation. */
const ASKED_BY: Record<keyof Confirmed, RiskKind> = { destroy: 'data-loss', irreversible: 'irreversible' };

/** The change's risks that ask for `confirmation`, in the change's order: none when it needs no such confirmation. */
export function risksAsking(change: Change, confirmation: keyof Confirmed): Risk[] {
  return change.risks.filter((risk) => risk.kind === ASKED_BY[confirmation]);
}

/** The confirmations running `steps` of a plan for `environment` needs, steps in the order given. */
export function confirmationsNeeded(environment: string, steps: readonly PlannedStep[]): ConfirmationsNeeded {
  const askedBy = (confirmation: keyof Confirmed): NeedsConfirmation[] =>
    steps.flatMap(({ step, change }) => {
      const risks = risksAsking(change, confirmation);
      return risks.length > 0 ? [{ step, change, risks }] : [];
    });
  return { destroy: askedBy('destroy'), irreversible: askedBy('irreversible'), environment };
}

/** --confirm-irreversible counts only when it names this environment: the same words typed for staging do not pass. */
export function confirmedBy(flags: ConfirmationFlags, environment: string): Confirmed {
  return { destroy: flags.allowDestroy === true, irreversible: flags.confirmIrreversible === environment };
}

/**
 * What the applier is given when a person answered in the terminal: each confirmation from the command line where the
 * flag gave it, else the answer. A flag naming another environment confirmed nothing, so the person was asked.
 */
export function withAnswers(
  flags: ConfirmationFlags,
  answers: ConfirmationFlags,
  environment: string,
): ConfirmationFlags {
  const given = confirmedBy(flags, environment);
  return {
    allowDestroy: given.destroy ? flags.allowDestroy : answers.allowDestroy,
    confirmIrreversible: given.irreversible ? flags.confirmIrreversible : answers.confirmIrreversible,
  };
}

/** The steps still waiting for a confirmation once `confirmed` is counted: the applier refuses them, the terminal asks. */
export function unconfirmed(
  needed: ConfirmationsNeeded,
  confirmed: Confirmed,
): Pick<ConfirmationsNeeded, 'destroy' | 'irreversible'> {
  return {
    destroy: confirmed.destroy ? [] : needed.destroy,
    irreversible: confirmed.irreversible ? [] : needed.irreversible,
  };
}
