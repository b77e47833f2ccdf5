/**
 * Seeded generation of hostile input for the fuzz and corpus tests. `npm test` runs a few hundred cases; set
 * STRATA_FUZZ_RUNS for more (`STRATA_FUZZ_RUNS=10000 npx vitest run test/config/fuzz.test.ts`) and STRATA_FUZZ_SEED
 * to replay a failure, which every failure message names.
 */

export interface Random {
  /** In [0, 1). */
  next(): number;
  below(limit: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (limit: number) => Math.floor(next() * limit);
  return {
    next,
    below,
    pick: (items) => items[below(items.length)] as (typeof items)[number],
    chance: (probability) => next() < probability,
  };
}

export function fuzzRuns(ciRuns: number): number {
  const runs = Number(process.env.STRATA_FUZZ_RUNS ?? ciRuns);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`STRATA_FUZZ_RUNS must be a positive whole number, not ${process.env.STRATA_FUZZ_RUNS}`);
  return runs;
}

export function fuzzSeed(): number {
  return Number(process.env.STRATA_FUZZ_SEED ?? 20261201);
}

/** Values no tool writes on purpose: wrong types, huge, deep, and text that would move a terminal's cursor. */
export function hostileValue(random: Random): unknown {
  switch (random.below(14)) {
    case 0:
      return null;
    case 1:
      return random.below(2) === 0 ? -1 : 1e308;
    case 2:
      return true;
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return 'x'.repeat(40_000);
    case 6:
      return '\u001b[2J\u001b]0;pwned\u0007\r\n\u202e';
    case 7:
      return '1e99999999';
    case 8:
      return '';
    case 9:
      return nested(60);
    case 10:
      return Array.from({ length: 2_000 }, (_, index) => ({ [`k${index}`]: index }));
    case 11:
      return 'Gi';
    case 12:
      return JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as unknown;
    default:
      return 42.5;
  }
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
}

/** A copy of a JSON value with one hostile change somewhere in it, and what was changed, for the failure message. */
export function mutateJson(value: unknown, random: Random): { value: unknown; change: string } {
  const copy = structuredClone(value);
  const paths = containerPaths(copy);
  const [path, container] = random.pick(paths);
  const keys: (string | number)[] = Array.isArray(container)
    ? container.map((_, index) => index)
    : Object.keys(container);
  const key = keys.length > 0 ? random.pick(keys) : undefined;
  const target = container as Record<string | number, unknown>;
  switch (key === undefined ? 0 : random.below(4)) {
    case 0: {
      const added = Array.isArray(container) ? container.length : `extra${random.below(3)}`;
      target[added] = hostileValue(random);
      return { value: copy, change: `add ${path}/${added}` };
    }
    case 1:
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete target[key as string];
      return { value: copy, change: `remove ${path}/${key}` };
    case 2:
      if (Array.isArray(container)) {
        container.push(structuredClone(container[Number(key)]));
        return { value: copy, change: `repeat ${path}/${key}` };
      }
      target[`${String(key)}_`] = target[key as string];
      delete target[key as string];
      return { value: copy, change: `rename ${path}/${key}` };
    default:
      target[key as string] = hostileValue(random);
      return { value: copy, change: `replace ${path}/${key}` };
  }
}

/** Every object and array inside `value`, with its path. */
function containerPaths(value: unknown): [string, object][] {
  const found: [string, object][] = [];
  const stack: [string, unknown][] = [['', value]];
  while (stack.length > 0) {
    const [path, current] = stack.pop() as [string, unknown];
    if (current === null || typeof current !== 'object') continue;
    found.push([path, current]);
    for (const [key, child] of Object.entries(current)) stack.push([`${path}/${key}`, child]);
  }
  return found;
}

/** Text cut short, a byte changed, or a line doubled: what a failed copy, an editor or a merge leaves behind. */
export function damageText(text: string, random: Random): { text: string; change: string } {
  const at = random.below(text.length + 1);
  switch (random.below(4)) {
    case 0:
      return { text: text.slice(0, at), change: `cut at ${at}` };
    case 1:
      return {
        text: `${text.slice(0, at)}${random.pick(['"', '{', ']', ',', '\u0000', '\\', ':'])}${text.slice(at)}`,
        change: `insert at ${at}`,
      };
    case 2: {
      const lines = text.split('\n');
      const line = random.below(lines.length);
      lines.splice(line, 0, lines[line] ?? '');
      return { text: lines.join('\n'), change: `double line ${line + 1}` };
    }
    default:
      return { text: `${text.slice(0, at)}${text.slice(at + 1)}`, change: `drop character ${at}` };
  }
}
