import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadEnvironment } from '../../config/index.js';
import { serializeSnapshot, snapshotOf } from '../../providers/snapshot/snapshot.js';
import type { CommandContext } from '../context.js';
import { writeFileAtomic } from '../files.js';
import { addTargetOptions, targetFlags } from '../target-options.js';

export function registerObserve(program: Command, context: CommandContext): void {
  const command = program
    .command('observe')
    .description('export the normalized live state of an environment, for offline plans (`strata plan --observed`)')
    .argument('<environment>', 'environment name or path to an environment file')
    .option('--out <file>', 'write the snapshot to a file instead of stdout');
  addTargetOptions(command)
    .addHelpText(
      'after',
      '\nExample:\n  strata observe prod > observed.json && strata plan prod --observed observed.json',
    )
    .action(
      async (
        environment: string,
        options: { out?: string; kubeconfig?: string; context?: string; s3Endpoint?: string },
      ) => {
        const desired = await loadEnvironment(environment, { cwd: context.cwd });
        const { observeEnvironment } = await import('../observe-state.js');
        const observed = await observeEnvironment(desired, targetFlags(options), context.env);
        const text = serializeSnapshot(snapshotOf(desired.environment, observed, new Date()));
        if (options.out) await writeFileAtomic(resolve(context.cwd, options.out), text);
        else context.output.out(text);
      },
    );
}
