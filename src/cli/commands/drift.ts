/**
 * `strata drift`: live state against the environment files, read-only (no lock, no writes to the systems), for one,
 * several or all environments at once. One environment that cannot be checked is reported beside the others.
 */
import { Option, type Command } from 'commander';
import { extname, relative, resolve } from 'node:path';
import { discoverEnvironments, loadEnvironment } from '../../config/index.js';
import {
  driftReport,
  driftRun,
  runHasDrift,
  runHasFailures,
  type DriftRun,
  type EnvironmentDrift,
} from '../../drift/index.js';
import { ReportedError } from '../../errors/reported-error.js';
import { UserError } from '../../errors/user-error.js';
import { renderDriftJson } from '../../render/drift-json.js';
import { renderDriftJunit } from '../../render/drift-junit.js';
import { renderDriftMarkdown } from '../../render/drift-markdown.js';
import { renderDriftPrometheus } from '../../render/drift-prometheus.js';
import { renderDriftText } from '../../render/drift-text.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { observedState } from '../observed-state.js';
import { writeFileAtomic } from '../files.js';
import { addTargetOptions, targetFlags } from '../target-options.js';
import { addForceConflictsOption } from '../force-conflicts-option.js';

export const DRIFT_FORMATS = ['text', 'markdown', 'json', 'junit', 'prometheus'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

interface DriftOptions {
  all?: boolean;
  format: DriftFormat;
  out: string[];
  verbose?: boolean;
  detailedExitcode?: boolean;
  observed?: string;
  forceConflicts: boolean;
  kubeconfig?: string;
  context?: string;
  s3Endpoint?: string;
}

export function registerDrift(program: Command, context: CommandContext): void {
  const command = program
    .command('drift')
    .description('check live state against the environment files, read-only: what drifted, and who changed it')
    .argument('[environments...]', 'environment names (environments/<name>.yaml) or paths to environment files')
    .option('--all', 'check every environment under environments/')
    .addOption(new Option('--format <format>', 'output format').choices(DRIFT_FORMATS).default('text'))
    .addOption(
      new Option(
        '--out <file>',
        'write the report to a file (atomically, for a textfile collector) instead of stdout; repeat it to write several ' +
          'formats from one check, each chosen by extension (.txt .md .json .xml .prom)',
      )
        .argParser((file: string, files: string[]) => [...files, file])
        // Shown as what it means: no file, the report goes to stdout (commander would print `[]`).
        .default([], 'stdout'),
    )
    .option('--verbose', 'also list cosmetic differences (equal in meaning, written differently)')
    .option('--detailed-exitcode', 'exit 2 when there is drift (0: none, 1: error)')
    .option('--observed <snapshot>', 'check one environment offline against a snapshot written by `strata observe`');
  addTargetOptions(addForceConflictsOption(command))
    .addHelpText(
      'after',
      [
        '',
        'Never takes the apply lock and never writes to Kubernetes or S3.',
        '',
        'Examples:',
        '  strata drift prod',
        '  strata drift --all --format junit --out drift.xml --detailed-exitcode',
        '  strata drift --all --out drift.xml --out drift.md --out drift.json',
        '  strata drift --all --format prometheus --out /var/lib/node_exporter/textfile/strata-drift.prom',
        '  strata drift dev --observed examples/snapshots/dev.observed.json --verbose',
      ].join('\n'),
    )
    .action(async (names: string[], options: DriftOptions) => {
      const files = reportFiles(options);
      const environments = await environmentsToCheck(names, options, context.cwd);
      const now = new Date();
      const run = driftRun(
        await Promise.all(environments.map((name) => checkEnvironment(name, options, context, now))),
        now,
      );
      for (const entry of run.environments) {
        if (entry.status === 'failed') context.output.err(`error: drift ${entry.environment}: ${entry.error}`);
      }
      if (files.length === 0) context.output.out(render(run, options.format, context.output.color));
      for (const { file, format } of files)
        await writeReport(resolve(context.cwd, file), render(run, format, false), context);
      context.exitCode = runHasFailures(run)
        ? ExitCode.Error
        : options.detailedExitcode && runHasDrift(run)
          ? ExitCode.Changes
          : ExitCode.Success;
    });
}

const FORMAT_BY_EXTENSION: Record<string, DriftFormat> = {
  '.txt': 'text',
  '.md': 'markdown',
  '.json': 'json',
  '.xml': 'junit',
  '.prom': 'prometheus',
};

/** One file takes --format; several share one check, so each says its format by its extension. */
function reportFiles(options: DriftOptions): { file: string; format: DriftFormat }[] {
  if (options.out.length <= 1) return options.out.map((file) => ({ file, format: options.format }));
  return options.out.map((file) => {
    const format = FORMAT_BY_EXTENSION[extname(file)];
    if (format === undefined) {
      throw new UserError(`cannot tell the format of ${file} from its extension`, {
        hint: `with several --out files, end each in ${Object.keys(FORMAT_BY_EXTENSION).join(', ')}`,
      });
    }
    return { file, format };
  });
}

async function environmentsToCheck(names: string[], options: DriftOptions, cwd: string): Promise<string[]> {
  if (options.all && names.length > 0) {
    throw new UserError(`give environment names or --all, not both (got ${names.join(', ')} and --all)`);
  }
  const environments = options.all ? await discoverEnvironments(cwd) : names;
  if (environments.length === 0) {
    const available = await discoverEnvironments(cwd);
    throw new UserError(
      options.all ? 'no environment files under environments/' : 'name the environments to check, or pass --all',
      {
        hint:
          available.length > 0
            ? `available environments: ${available.join(', ')}`
            : 'create environments/<name>.yaml first',
      },
    );
  }
  if (options.observed !== undefined && environments.length !== 1) {
    throw new UserError(`--observed is a snapshot of one environment; ${environments.length} were asked for`, {
      hint: 'check one environment per snapshot: strata drift <environment> --observed <snapshot>',
    });
  }
  return [...new Set(environments)];
}

/** One environment's report, or its error: a failure here never stops the other environments' checks. */
async function checkEnvironment(
  name: string,
  options: DriftOptions,
  context: CommandContext,
  now: Date,
): Promise<EnvironmentDrift> {
  try {
    const desired = await loadEnvironment(name, { cwd: context.cwd });
    const observed = await observedState(desired, options.observed, targetFlags(options), context);
    return {
      environment: desired.environment,
      status: 'checked',
      report: driftReport({
        desired,
        observed,
        now,
        verbose: options.verbose === true,
        forceConflicts: options.forceConflicts,
      }),
    };
  } catch (error) {
    return { environment: name, status: 'failed', error: describe(error) };
  }
}

function describe(error: unknown): string {
  if (error instanceof ReportedError)
    return error.hint === undefined ? error.message : `${error.message} (${error.hint})`;
  return error instanceof Error ? error.message : String(error);
}

function render(run: DriftRun, format: DriftFormat, color: boolean): string {
  switch (format) {
    case 'text':
      return renderDriftText(run, { color });
    case 'markdown':
      return renderDriftMarkdown(run);
    case 'json':
      return renderDriftJson(run);
    case 'junit':
      return renderDriftJunit(run);
    case 'prometheus':
      return renderDriftPrometheus(run);
  }
}

async function writeReport(path: string, text: string, context: CommandContext): Promise<void> {
  await writeFileAtomic(path, text);
  context.output.err(`Wrote the drift report to ${relative(context.cwd, path) || path}.`);
}
