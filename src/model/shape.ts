/**
 * The shape a JSON value read back from a file (a saved plan, an observed snapshot) must have before strata uses it.
 * A check returns the first place the value differs, by path (`resources[3].spec.size`) and what was expected there,
 * so a hand-edited or damaged file is a located user error, never a TypeError deep in the planner or a renderer.
 */
import { clip } from './clip.js';

export interface ShapeProblem {
  /** Where, from the root: `changes[2].address.name`; `''` for the root itself. */
  path: string;
  message: string;
}

export type Shape = (value: unknown, path: string) => ShapeProblem | undefined;

const mismatch = (path: string, expected: string, value: unknown): ShapeProblem => ({
  path,
  message: `expected ${expected}, found ${describeJson(value)}`,
});

export const anything: Shape = () => undefined;

export const string: Shape = (value, path) =>
  typeof value === 'string' ? undefined : mismatch(path, 'a string', value);

export const boolean: Shape = (value, path) =>
  typeof value === 'boolean' ? undefined : mismatch(path, 'true or false', value);

export const number: Shape = (value, path) =>
  typeof value === 'number' ? undefined : mismatch(path, 'a number', value);

export function integer(minimum: number): Shape {
  return (value, path) =>
    Number.isSafeInteger(value) && (value as number) >= minimum
      ? undefined
      : mismatch(path, `a whole number of at least ${minimum}`, value);
}

export function oneOf(...allowed: readonly (string | number | boolean)[]): Shape {
  return (value, path) =>
    allowed.includes(value as string)
      ? undefined
      : mismatch(path, `one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`, value);
}

/** `shape`, and then `test`, which says what is wrong with a value of that shape (undefined when nothing is). */
export function refined(shape: Shape, test: (value: never) => string | undefined): Shape {
  return (value, path) => {
    const problem = shape(value, path);
    if (problem) return problem;
    const message = test(value as never);
    return message === undefined ? undefined : { path, message };
  };
}

export function arrayOf(item: Shape): Shape {
  return (value, path) => {
    if (!Array.isArray(value)) return mismatch(path, 'a list', value);
    for (const [index, element] of value.entries()) {
      const problem = item(element, `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** An object with any keys, each value of one shape (labels, tags, quota limits). */
export function recordOf(entry: Shape): Shape {
  return (value, path) => {
    if (!isObject(value)) return mismatch(path, 'an object', value);
    for (const [key, element] of Object.entries(value)) {
      const problem = entry(element, childPath(path, key));
      if (problem) return problem;
    }
    return undefined;
  };
}

export interface ObjectShape {
  required?: Record<string, Shape>;
  optional?: Record<string, Shape>;
  /** Other keys are allowed and left alone (observed specs may carry fields a later strata reads). Default: refused. */
  open?: boolean;
}

export function object({ required = {}, optional = {}, open = false }: ObjectShape): Shape {
  return (value, path) => {
    if (!isObject(value)) return mismatch(path, 'an object', value);
    for (const [key, shape] of Object.entries(required)) {
      if (!Object.hasOwn(value, key)) return { path, message: `missing ${JSON.stringify(key)}` };
      const problem = shape(value[key], childPath(path, key));
      if (problem) return problem;
    }
    for (const [key, element] of Object.entries(value)) {
      if (Object.hasOwn(required, key)) continue;
      const shape = Object.hasOwn(optional, key) ? optional[key] : undefined;
      if (shape === undefined) {
        if (open) continue;
        return { path, message: `unknown key ${JSON.stringify(clip(key))}` };
      }
      const problem = shape(element, childPath(path, key));
      if (problem) return problem;
    }
    return undefined;
  };
}

/** `spec.size`, `hard["requests.storage"]`, `resources[3]`. */
export function childPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(clip(key))}]`;
}

/** A value as a message names it: `the string "40 gigs"`, `the number 5`, `a list`. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(clip(value))}`;
  // What is left of parsed JSON is a number or a boolean.
  return `${typeof value === 'number' ? 'the number' : ''} ${value as number | boolean}`.trim();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
