/**
 * What a plan or a drift check compares the environment with: a snapshot written by `strata observe` when one is
 * named, the live systems otherwise. The Kubernetes and S3 client libraries are loaded for a live observation only,
 * so an offline plan does not pay for starting them.
 */
import { resolve } from 'node:path';
import type { DesiredState } from '../model/desired.js';
import type { Observed } from '../model/resources.js';
import { readSnapshotFile } from '../providers/snapshot/snapshot.js';
import { UserError } from '../errors/user-error.js';
import type { CommandContext } from './context.js';
import type { TargetFlags } from './targets.js';

export async function observedState(
  desired: DesiredState,
  snapshot: string | undefined,
  flags: TargetFlags,
  context: CommandContext,
): Promise<Observed> {
  if (snapshot !== undefined) return observeSnapshot(desired, resolve(context.cwd, snapshot));
  const { observeEnvironment } = await import('./observe-state.js');
  return observeEnvironment(desired, flags, context.env);
}

/** An offline plan's observed state; a snapshot of another environment is refused rather than planned against. */
function observeSnapshot(desired: DesiredState, path: string): Observed {
  const snapshot = readSnapshotFile(path);
  if (snapshot.environment !== desired.environment) {
    throw new UserError(
      `${path} was observed from environment "${snapshot.environment}", not "${desired.environment}"`,
      {
        hint: `observe the right one with: strata observe ${desired.environment} > ${path}`,
      },
    );
  }
  return { resources: snapshot.resources, capabilities: snapshot.capabilities, sources: snapshot.sources };
}
