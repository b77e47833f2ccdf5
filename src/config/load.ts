/** The file-system side of configuration: which files, their neighbours, and the public load and validate calls. */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/desired.js';
import { ConfigError } from '../errors/config-error.js';
import { ENVIRONMENT_FILE, ENVIRONMENTS_DIRECTORY, environmentFiles, environmentName } from './discover.js';
import { readSource } from './read.js';
import { resolveEnvironmentFile } from './resolve.js';
import { parseSource, type ParsedSource } from './source.js';
import { validateParsedSource, type ValidatedFile } from './validate.js';

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
  const neighbours: Neighbours = new Map();
  for (const given of paths.length > 0 ? paths : [ENVIRONMENTS_DIRECTORY]) {
    const absolute = path.resolve(options.cwd, given);
    const kind = await pathKind(absolute);
    if (kind === 'missing') {
      diagnostics.push(fileProblem(displayPath(absolute, options.cwd), await missingPathProblem(given, options.cwd)));
      continue;
    }
    const files = kind === 'directory' ? await environmentFiles(absolute) : [absolute];
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
  const shown = displayPath(absolute, options.cwd);
  return validateSource(absolute, parseSource(shown, text), shown, new Map());
}

async function validateFile(absolute: string, cwd: string, neighbours: Neighbours): Promise<ValidatedFile> {
  const file = displayPath(absolute, cwd);
  const read = await readSource(absolute, file);
  if (!read.ok) return { diagnostics: [read.diagnostic] };
  return validateSource(absolute, parseSource(file, read.text), file, neighbours);
}

async function validateSource(
  absolute: string,
  source: ParsedSource,
  file: string,
  neighbours: Neighbours,
): Promise<ValidatedFile> {
  const fileName = environmentName(absolute);
  const environments = await promotionSources(
    path.dirname(absolute),
    fileName,
    promotesFromIn(source.value),
    neighbours,
  );
  return validateParsedSource(source, { file, fileName, environments });
}

/** What one call has learnt of each directory's environments: file by name, and what each promotes from once read. */
type Neighbours = Map<string, { files: Map<string, string>; promotesFrom: Map<string, string | undefined> }>;

/**
 * The environments next to a file, each with the environment it promotes from as far as a check follows it: along the
 * file's own promotion chain, read leniently (errors are their own files'), each file at most once per call. Reading
 * every neighbour in full would parse a directory of large files once for each of them.
 */
async function promotionSources(
  directory: string,
  fileName: string,
  promotesFrom: string | undefined,
  neighbours: Neighbours,
): Promise<ReadonlyMap<string, string | undefined>> {
  let known = neighbours.get(directory);
  if (!known) {
    const files = new Map((await environmentFiles(directory)).map((file) => [environmentName(file), file]));
    known = { files, promotesFrom: new Map() };
    neighbours.set(directory, known);
  }
  known.promotesFrom.set(fileName, promotesFrom);
  const followed = new Set([fileName]);
  for (let current = promotesFrom; current !== undefined && !followed.has(current);) {
    followed.add(current);
    const file = known.files.get(current);
    if (file === undefined) break;
    if (!known.promotesFrom.has(current)) known.promotesFrom.set(current, await readPromotesFrom(file));
    current = known.promotesFrom.get(current);
  }
  return new Map([...known.files.keys()].map((name) => [name, known.promotesFrom.get(name)]));
}

async function readPromotesFrom(file: string): Promise<string | undefined> {
  const read = await readSource(file, file);
  return read.ok ? promotesFromIn(parseSource(file, read.text).value) : undefined;
}

function promotesFromIn(value: unknown): string | undefined {
  const promotesFrom = (value as { metadata?: { promotesFrom?: unknown } } | undefined)?.metadata?.promotesFrom;
  return typeof promotesFrom === 'string' ? promotesFrom : undefined;
}

function fileProblem(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', path: '', message };
}

function displayPath(absolute: string, cwd: string): string {
  return path.relative(cwd, absolute) || absolute;
}

async function pathKind(file: string): Promise<'directory' | 'missing' | 'other'> {
  try {
    return (await stat(file)).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    // Any other failure (permission, a loop) is reported by reading the file, with its own words.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'other';
  }
}

/** `strata validate scale` takes paths, but most likely means environments/scale.yaml: name it when it is there. */
async function missingPathProblem(given: string, cwd: string): Promise<string> {
  const bare = !given.includes('/') && !given.includes(path.sep);
  const candidates = ENVIRONMENT_FILE.test(given) ? [given] : [`${given}.yaml`, `${given}.yml`];
  for (const candidate of bare ? candidates : []) {
    const file = `${ENVIRONMENTS_DIRECTORY}/${candidate}`;
    if ((await pathKind(path.join(cwd, file))) === 'other') return `does not exist; did you mean ${file}?`;
  }
  return `does not exist; name an environment file, e.g. ${ENVIRONMENTS_DIRECTORY}/dev.yaml, or a directory of them`;
}
