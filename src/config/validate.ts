/** One environment file's text through both layers: schema, then the semantic checks on what the schema accepted. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../model/canonical.js';
import { clip, MAX_SHOWN_CHARACTERS } from '../model/clip.js';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/desired.js';
import type { EnvironmentDocument } from '../model/environment.js';
import { SEMANTIC_CHECKS } from './checks/index.js';
import { expandEnvironment } from './expand.js';
import { pointerSegments } from './pointer.js';
import { schemaAcceptance, validateSchema } from './schema.js';
import { parseSource, type ParsedSource } from './source.js';

export interface ValidateTextOptions {
  /** The file as reported, relative to the working directory. */
  file: string;
  /** The file's base name without extension; metadata.name must equal it. */
  fileName: string;
  /** The environments next to this file, with the environment each promotes from. */
  environments: ReadonlyMap<string, string | undefined>;
}

export interface ValidatedFile {
  diagnostics: Diagnostic[];
  /** Present when there is no error (warnings allowed). */
  state?: DesiredState;
}

export function validateEnvironmentText(text: string, options: ValidateTextOptions): ValidatedFile {
  return validateParsedSource(parseSource(options.file, text), options);
}

/** The same for a file already parsed, so a caller that had to read it first (its promotesFrom) parses it once. */
export function validateParsedSource(source: ParsedSource, options: ValidateTextOptions): ValidatedFile {
  const result = validateSource(source, options);
  return { ...result, diagnostics: result.diagnostics.map(bounded) };
}

function validateSource(source: ParsedSource, options: ValidateTextOptions): ValidatedFile {
  const { file } = options;
  if (source.value === undefined) return { diagnostics: source.diagnostics.sort(compareDiagnostics) };
  const schema = validateSchema(source.value, file, source.positions);
  const diagnostics = [...source.diagnostics, ...schema.diagnostics];
  if (isMapping(source.value)) {
    const document = source.value as unknown as EnvironmentDocument;
    const acceptedBySchema = schemaAcceptance(schema.rejected);
    const accepted = (path: string) => valueAt(source.value, path) !== undefined && acceptedBySchema(path);
    const input = { document, fileName: options.fileName, accepted, environments: options.environments };
    for (const finding of SEMANTIC_CHECKS.flatMap((check) => check(input))) {
      const { line, column } = source.positions.locate(finding.path, finding.target);
      diagnostics.push({
        file,
        line,
        column,
        severity: finding.severity,
        path: finding.path,
        message: finding.message,
      });
    }
  }
  diagnostics.sort(compareDiagnostics);
  if (diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return { diagnostics };
  const document = source.value as EnvironmentDocument;
  return {
    diagnostics,
    state: {
      environment: document.metadata.name,
      files: [file],
      // What the file means, not its bytes: a comment or a change of layout leaves a saved plan applicable.
      digest: createHash('sha256').update(canonicalJson(document)).digest('hex'),
      document,
      resources: expandEnvironment(document, { file, positions: source.positions }),
    },
  };
}

/** A whole message or path, however long the values it quotes: one problem is one line. */
const MAX_MESSAGE_CHARACTERS = 400;

/**
 * Messages quote what the file says in backquotes (`` `1Tb` is not a Kubernetes quantity ``), and paths name its
 * keys; a value is cut to its start here, once for every rule, so a 40 KB value is still reported in a line.
 */
function bounded(diagnostic: Diagnostic): Diagnostic {
  const message = diagnostic.message.replace(/`([^`]*)`/g, (whole, value: string) =>
    value.length > MAX_SHOWN_CHARACTERS ? `\`${clip(value)}\`` : whole,
  );
  return {
    ...diagnostic,
    path: clip(diagnostic.path, MAX_MESSAGE_CHARACTERS),
    message: clip(message, MAX_MESSAGE_CHARACTERS),
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const segment of pointerSegments(path)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
