/** The file-system side of configuration: which files, their neighbours, and the public load and validate calls. */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/desired.js';
import { ConfigError } from '../errors/config-error.js';
import { ENVIRONMENTS_DIRECTORY, environmentFiles, environmentName } from './discover.js';
import { readSource } from './read.js';
import { resolveEnvironmentFile } from './resolve.js';
import { parseSource } from './source.js';
import { validateEnvironmentText, type ValidatedFile } from './validate.js';

export interface ConfigOptions {
  /** Relative paths and environment names are resolved here; reported files are relative to it. */
  cwd: string;
}

/**
 * The desired state of one environment: `dev` reads `<cwd>/environments/dev.yaml`; a path must name a .yaml file.
 * Throws UserError when there is no such file, ConfigError (with every diagnostic) when it is invalid.
 */
export async function loadEnvironment(nameOrPath: string, options: ConfigOptions): Promise<DesiredState> {
  const result = await validateEnvironment(nameOrPath, options);
  if (!result.state) throw new ConfigError(result.diagnostics);
  return result.state;
}

/** One environment's diagnostics, warnings included, and its desired state when it has no error. */
export async function validateEnvironment(nameOrPath: string, options: ConfigOptions): Promise<ValidatedFile> {
  const absolute = await resolveEnvironmentFile(nameOrPath, options.cwd);
  return validateFile(absolute, options.cwd, new Map());
}

/** Validates files and directories (default: `environments/`), reporting every problem of every file. */
export async function validateEnvironments(
  paths: string[],
  options: ConfigOptions,
): Promise<{ diagnostics: Diagnostic[]; states: DesiredState[] }> {
  const diagnostics: Diagnostic[] = [];
  const states: DesiredState[] = [];
  const neighbours = new Map<string, ReadonlyMap<string, string | undefined>>();
  for (const given of paths.length > 0 ? paths : [ENVIRONMENTS_DIRECTORY]) {
    const absolute = path.resolve(options.cwd, given);
    const files = (await isDirectory(absolute)) ? await environmentFiles(absolute) : [absolute];
    if (files.length === 0) {
      diagnostics.push(fileProblem(displayPath(absolute, options.cwd), 'holds no environment files (*.yaml)'));
    }
    for (const file of files) {
      const result = await validateFile(file, options.cwd, neighbours);
      diagnostics.push(...result.diagnostics);
      if (result.state) states.push(result.state);
    }
  }
  return { diagnostics: diagnostics.sort(compareDiagnostics), states };
}

/**
 * Validates `text` as the content of the environment file at `file` (resolved against cwd), next to the files on disk:
 * for an edit that must be checked before it is written (promotion).
 */
export async function validateEnvironmentSource(
  file: string,
  text: string,
  options: ConfigOptions,
): Promise<{ diagnostics: Diagnostic[]; state?: DesiredState }> {
  const absolute = path.resolve(options.cwd, file);
  const environments = await promotionSources(path.dirname(absolute));
  return validateEnvironmentText(text, {
    file: displayPath(absolute, options.cwd),
    fileName: environmentName(absolute),
    environments,
  });
}

async function validateFile(
  absolute: string,
  cwd: string,
  neighbours: Map<string, ReadonlyMap<string, string | undefined>>,
): Promise<ValidatedFile> {
  const file = displayPath(absolute, cwd);
  const read = await readSource(absolute, file);
  if (!read.ok) return { diagnostics: [read.diagnostic] };
  const directory = path.dirname(absolute);
  let environments = neighbours.get(directory);
  if (!environments) {
    environments = await promotionSources(directory);
    neighbours.set(directory, environments);
  }
  return validateEnvironmentText(read.text, { file, fileName: environmentName(absolute), environments });
}

/** The environments in a directory with the environment each promotes from, read leniently (errors are their own files'). */
async function promotionSources(directory: string): Promise<ReadonlyMap<string, string | undefined>> {
  const sources = new Map<string, string | undefined>();
  for (const file of await environmentFiles(directory)) {
    const read = await readSource(file, file);
    const value = read.ok ? parseSource(file, read.text).value : undefined;
    const promotesFrom = (value as { metadata?: { promotesFrom?: unknown } } | undefined)?.metadata?.promotesFrom;
    sources.set(environmentName(file), typeof promotesFrom === 'string' ? promotesFrom : undefined);
  }
  return sources;
}

function fileProblem(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', path: '', message };
}

function displayPath(absolute: string, cwd: string): string {
  return path.relative(cwd, absolute) || absolute;
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}
