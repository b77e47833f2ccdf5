/**
 * The one command that moves forward after each kind of failure. Every message, hint and apply footer that says what
 * to run next takes it from here, so none can send a person to a command that fails the same way again (a resume of a
 * plan that no longer holds).
 */
export type Failure =
  /** The desired files or the live state moved since the plan was made: a resume would be refused again. */
  | { kind: 'stale-plan'; environment: string }
  /** A run ended before its last step (a step failed, or it was stopped): a resume runs what is left. */
  | { kind: 'unfinished-run'; planfile: string }
  /** Another run holds the environment's lock. */
  | { kind: 'lock-held'; environment: string }
  /** An environment file is invalid: once it is fixed, this checks it. */
  | { kind: 'invalid-file'; file: string };

export function nextCommand(failure: Failure): string {
  switch (failure.kind) {
    case 'stale-plan':
      return `strata plan ${failure.environment}`;
    case 'unfinished-run':
      return `strata apply --resume ${failure.planfile}`;
    case 'lock-held':
      return `strata unlock ${failure.environment}`;
    case 'invalid-file':
      return `strata validate ${failure.file}`;
  }
}
