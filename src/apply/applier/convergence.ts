/** Has a resource reached what the plan wanted? Judged by the planner's own normalized comparison, never by text. */
import type { AttributeChange, Change } from '../../model/plan.js';
import type { AnySpec, ObservedResource } from '../../model/resources.js';
import { NotConvergedError } from '../../errors/not-converged-error.js';
import { absenceMatches, diffSpecs, specsConverged } from '../../plan/index.js';

export function hasConverged(change: Change, live: ObservedResource | undefined): boolean {
  // Deleting strata's lifecycle rules or tags leaves the ones it keeps as found: `after` is what remains.
  if (change.action === 'delete') {
    return (
      live === undefined ||
      (change.after !== undefined && specsConverged(change.address.kind, change.after as AnySpec, live.spec))
    );
  }
  if (live === undefined) return absenceMatches(change.address.kind, change.after as AnySpec);
  return specsConverged(change.address.kind, change.after as AnySpec, live.spec);
}

/** The step's failure when the read-back after a write does not match the plan, naming each attribute that differs. */
export function notConverged(
  change: Change,
  live: ObservedResource | undefined,
  environment: string,
): NotConvergedError {
  const differences =
    live && change.action !== 'delete' ? diffSpecs(change.address.kind, live.spec, change.after as AnySpec) : [];
  return new NotConvergedError(change.address, differences, describe(change, live, differences), environment);
}

function describe(change: Change, live: ObservedResource | undefined, differences: AttributeChange[]): string {
  if (change.action === 'delete') return 'it still exists';
  if (!live) return 'it is missing when read back';
  if (differences.length === 0) return 'the read-back differs from the plan';
  return differences.map((d) => `${d.path} is ${showValue(d.before)}, planned ${showValue(d.after)}`).join('; ');
}

const LONGEST_VALUE = 80;

/** A value in one line of an error message; a long one (a policy document) is cut. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = JSON.stringify(value);
  return text.length > LONGEST_VALUE ? `${text.slice(0, LONGEST_VALUE - 1)}…` : text;
}
