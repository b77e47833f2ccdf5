/** The flag that keeps strata from taking declared Kubernetes fields from other writers, for every command that plans. */
import type { Command } from 'commander';

export function addForceConflictsOption(command: Command): Command {
  return command.option(
    '--no-force-conflicts',
    'leave declared Kubernetes fields another writer owns (kubectl edit, another controller) to them: the plan blocks those changes instead of taking the fields',
  );
}
