/**
 * Layer one: the JSON Schema in schemas/environment.schema.json, checked with ajv. Every ajv error becomes a located
 * diagnostic whose message names the fix; the paths with errors are returned so semantic checks skip them.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { Diagnostic } from '../model/diagnostic.js';
import { suggestQuantity } from '../model/quantity.js';
import { parseDuration } from '../model/duration.js';
import { childPointer } from './pointer.js';
import { closest } from './suggest.js';
import { bucketNameProblem } from './checks/bucket-names.js';
import { backquoted } from './checks/check.js';
import type { SourcePositions } from './source.js';

export const SCHEMA_URL = new URL('../../schemas/environment.schema.json', import.meta.url);
/** Marks fields that may differ between environments (physical names, sizes, targets); promotion reads it. */
export const ENVIRONMENT_SPECIFIC_KEYWORD = 'x-strata-environment-specific';

export interface SchemaResult {
  diagnostics: Diagnostic[];
  /** JSON pointers of the nodes the schema rejected. */
  rejected: string[];
}

let compiled: ValidateFunction | undefined;

export function loadSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
}

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
  // ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose `default` is the plugin.
  formats.default(ajv, ['date', 'uri']);
  ajv.addKeyword({ keyword: ENVIRONMENT_SPECIFIC_KEYWORD, schemaType: 'boolean' });
  compiled = ajv.compile(loadSchema());
  return compiled;
}

export function validateSchema(value: unknown, file: string, positions: SourcePositions): SchemaResult {
  const validate = validator();
  if (validate(value)) return { diagnostics: [], rejected: [] };
  const diagnostics: Diagnostic[] = [];
  const rejected: string[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const described = describe(error, value);
    if (!described) continue;
    const { line, column } = positions.locate(described.path, described.target);
    const key = `${described.path}\n${described.message}`;
    rejected.push(described.path);
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({ file, line, column, severity: 'error', path: described.path, message: described.message });
  }
  return { diagnostics, rejected };
}

interface Described {
  path: string;
  target: 'key' | 'value';
  message: string;
}

function describe(error: ErrorObject, root: unknown): Described | undefined {
  const params = error.params as Record<string, unknown>;
  // A bad logical key: ajv reports the key's own error (with propertyName) and a summary; keep the first.
  if (error.keyword === 'propertyNames') return undefined;
  if (error.propertyName !== undefined) {
    return {
      path: childPointer(error.instancePath, error.propertyName),
      target: 'key',
      message: `\`${error.propertyName}\` is not a valid key: ${NAME_RULE}; logical keys become Kubernetes names`,
    };
  }
  const path = error.instancePath;
  const data = error.data;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const match = closest(key, allowed);
      const fix = match ? `did you mean \`${match}\`?` : `allowed keys: ${allowed.join(', ')}`;
      return { path: childPointer(path, key), target: 'key', message: `unknown key \`${key}\`; ${fix}` };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const property = (error.parentSchema?.properties as Record<string, { description?: string }> | undefined)?.[
        missing
      ];
      const meaning = property?.description ? ` (${lowerFirst(property.description).replace(/\.$/, '')})` : '';
      return { path, target: 'key', message: `missing required key \`${missing}\`${meaning}` };
    }
    case 'pattern':
      return { path, target: 'value', message: describePattern(error.schemaPath, String(data)) };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const match = typeof data === 'string' ? closest(data, allowed) : undefined;
      const fix = match ? `did you mean \`${match}\`?` : `write one of ${allowed.join(', ')}`;
      return { path, target: 'value', message: `\`${String(data)}\` is not allowed here; ${fix}` };
    }
    case 'const':
      return { path, target: 'value', message: `must be \`${String(params.allowedValue)}\`` };
    case 'type':
      if (path === '' && root !== null && typeof root !== 'object') {
        return {
          path,
          target: 'value',
          message: `the file holds ${describeValue(root)}; an environment file is a mapping with apiVersion, kind, metadata and targets`,
        };
      }
      if (path === '' && Array.isArray(root)) {
        return {
          path,
          target: 'value',
          message:
            'the file holds a list; an environment file is a mapping with apiVersion, kind, metadata and targets',
        };
      }
      // YAML reads `at: 80` as a number; the percent sign is what makes it a percentage.
      if (error.schemaPath.includes('$defs/percentage/') && typeof data === 'number') {
        const fix = Number.isInteger(data) && data >= 1 && data <= 99 ? `write \`${data}%\`` : PERCENTAGE_RULE;
        return { path, target: 'value', message: `\`${data}\` is a number, not a percentage; ${fix}` };
      }
      if (params.type === 'integer' && typeof data === 'number') {
        return { path, target: 'value', message: `\`${data}\` is not a whole number; ${wholeNumberRule(error)}` };
      }
      return {
        path,
        target: 'value',
        message: `expected ${withArticle(String(params.type))}, found ${describeValue(data)}`,
      };
    case 'format':
      return { path, target: 'value', message: describeFormat(String(params.format), String(data)) };
    case 'minimum':
    case 'maximum':
      return { path, target: 'value', message: `\`${String(data)}\` is out of range; ${wholeNumberRule(error)}` };
    case 'maxLength':
      return {
        path,
        target: 'value',
        message: `\`${String(data)}\` is longer than ${String(params.limit)} characters; shorten it`,
      };
    default:
      return { path, target: 'value', message: error.message ?? `${error.keyword} failed` };
  }
}

const NAME_RULE = "lowercase letters, digits and '-', starting and ending with a letter or digit (RFC 1123)";

/** Thresholds of growth and alerts: at 0% there is nothing to wait for, at 100% the volume is already full. */
const PERCENTAGE_RULE = 'write a whole percentage from 1% to 99% with its sign, e.g. `75%`';

function describePattern(schemaPath: string, value: string): string {
  const definition = /\$defs\/([^/]+)\//.exec(schemaPath)?.[1];
  switch (definition) {
    case 'quantity': {
      const suggestion = suggestQuantity(value);
      return suggestion
        ? `\`${value}\` is not a Kubernetes quantity; write \`${suggestion}\``
        : `\`${value}\` is not a Kubernetes quantity; write a number with an optional suffix Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000), e.g. \`20Gi\``;
    }
    case 'duration': {
      const parsed = parseDuration(value);
      return parsed.ok ? `\`${value}\` is not a duration` : backquoted(parsed.message);
    }
    case 'percentage': {
      const number = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value)?.[1];
      const whole = number === undefined ? undefined : Math.round(Number(number));
      return whole !== undefined && whole >= 1 && whole <= 99
        ? `\`${value}\` is not a whole percentage from 1% to 99%; write \`${whole}%\``
        : `\`${value}\` is not a percentage from 1% to 99%; write a whole number and %, e.g. \`80%\``;
    }
    case 'bucketName':
      return bucketNameProblem(value) ?? `\`${value}\` is not a valid S3 bucket name`;
    case 'dns1123Label':
    case 'dns1123Subdomain':
    case 'logicalKey':
      return `\`${value}\` is not a valid Kubernetes name: ${NAME_RULE}${suggestName(value)}`;
    default: {
      if (schemaPath.includes('ignoreRule')) {
        return `\`${value}\` is not a resource address; write system/Kind/name or system/Kind/namespace/name, \`*\` matching one segment, e.g. kubernetes/PersistentVolumeClaim/*/deepwiki-data`;
      }
      if (schemaPath.includes('region')) return `\`${value}\` is not an AWS region; write one like us-west-2`;
      return `\`${value}\` does not match ${schemaPath}`;
    }
  }
}

function suggestName(value: string): string {
  const fixed = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return fixed && fixed !== value ? `; write \`${fixed}\`` : '';
}

function describeFormat(format: string, value: string): string {
  if (format === 'date') return `\`${value}\` is not a date; write YYYY-MM-DD, e.g. 2026-01-31`;
  if (format === 'uri') return `\`${value}\` is not a URL; write one like https://s3.example.com`;
  return `\`${value}\` is not a valid ${format}`;
}

/** `write a whole number from 1 to 512`, from the bounds the property's schema sets. */
function wholeNumberRule(error: ErrorObject): string {
  const { minimum, maximum } = (error.parentSchema ?? {}) as { minimum?: number; maximum?: number };
  if (minimum !== undefined && maximum !== undefined) return `write a whole number from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return `write a whole number of ${minimum} or more`;
  if (maximum !== undefined) return `write a whole number of ${maximum} or less`;
  return 'write a whole number';
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string \`${value}\``;
  // What is left of parsed YAML is a number or a boolean.
  return `the ${typeof value} \`${value as number | boolean}\``;
}

function withArticle(type: string): string {
  const noun = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Whether no schema error touched a path or anything below it. Each rejected path marks itself and its ancestors once,
 * so checks can ask for every field of 10,000 volumes without rescanning the errors each time.
 */
export function schemaAcceptance(rejected: readonly string[]): (path: string) => boolean {
  const touched = new Set<string>();
  for (const bad of rejected) {
    touched.add(bad);
    for (let slash = bad.indexOf('/'); slash !== -1; slash = bad.indexOf('/', slash + 1))
      touched.add(bad.slice(0, slash));
  }
  return (path) => !touched.has(path);
}
