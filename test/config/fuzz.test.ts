/**
 * Generated environment files, each a real one (the shipped environments and the corpus fixtures) with a few
 * hostile changes: whatever they hold, validation reports located problems in bounded lines and never throws, and a
 * file that validates plans and renders. `npm test` runs a few hundred; the full run is
 * `STRATA_FUZZ_RUNS=10000 npx vitest run test/config/fuzz.test.ts` (README, "The test world").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateEnvironmentText } from '../../src/config/validate.js';
import { createPlan } from '../../src/plan/index.js';
import { parseSnapshot } from '../../src/providers/snapshot/snapshot.js';
import { renderDiagnostics } from '../../src/render/diagnostics.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { damageText, fuzzRuns, fuzzSeed, seededRandom, type Random } from '../support/fuzz.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const RUNS = fuzzRuns(300);
const SEED = fuzzSeed();

const file = (path: string) => ({ name: basename(path, '.yaml'), text: readFileSync(path, 'utf8') });
/** Files that validate, so that many mutants still do and go on to be planned. */
const VALID = [
  ...['dev', 'staging', 'prod'].map((name) => join(ROOT, 'environments', `${name}.yaml`)),
  join(ROOT, 'test/fixtures/config/valid/expansion.yaml'),
].map(file);
/** Each plants one kind of mistake. */
const CORPUS = readdirSync(join(ROOT, 'test/fixtures/config'))
  .filter((name) => name.endsWith('.yaml') && name !== 'not-utf8.yaml')
  .map((name) => file(join(ROOT, 'test/fixtures/config', name)));

const observed = parseSnapshot(
  readFileSync(join(ROOT, 'examples/snapshots/dev.observed.json'), 'utf8'),
  'dev.observed.json',
);

/** YAML no one writes by hand: runaway nesting, aliases that go nowhere or everywhere, tags, huge and unprintable values. */
const HOSTILE_YAML = [
  '['.repeat(5_000),
  `${'{a: '.repeat(3_000)}1${'}'.repeat(3_000)}`,
  '*nowhere',
  '&loop [*loop]',
  'x'.repeat(40_000),
  '"\\e[2J\\e]0;pwned\\a \\u202e"',
  '1e99999999',
  '{a: 1, a: 2}',
  '[a, b]: c',
  '!!binary aGVsbG8=',
  '!custom x',
  '- - - - - x',
  "'not closed",
  '|\n  a block\n\tand a tab',
  '~',
  '-1',
  '0x10',
  '.inf',
  `[${Array(5_000).fill('*a').join(',')}]`,
  '&a [1, 2, 3]',
  '\n---\nsecond: document',
];

/** Edits a person makes on purpose, so that many files still validate and go on to be planned. */
const PLAUSIBLE: [RegExp, readonly string[]][] = [
  [/\b\d+(?:Ki|Mi|Gi|Ti)\b/g, ['1', '0', '1Mi', '512Mi', '20Gi', '1024Gi', '1Ti', '999Ti', '1e3']],
  [/\b\d+[dhwy]\b/g, ['1d', '7d', '30d', '365d', '3650d', '1y', '100y']],
  [/\b(?:true|false)\b/g, ['true', 'false']],
  [/\b(?:GOVERNANCE|COMPLIANCE)\b/g, ['GOVERNANCE', 'COMPLIANCE']],
  [/\b(?:Retain|Delete)\b/g, ['Retain', 'Delete']],
];

function plausibleEdit(text: string, random: Random): { text: string; change: string } {
  const [pattern, replacements] = random.pick(PLAUSIBLE);
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return { text, change: 'none' };
  const match = random.pick(matches);
  const replacement = random.pick(replacements);
  const at = match.index ?? 0;
  return {
    text: `${text.slice(0, at)}${replacement}${text.slice(at + match[0].length)}`,
    change: `${match[0]} → ${replacement} at ${at}`,
  };
}

function mutate(text: string, random: Random): { text: string; changes: string[] } {
  let current = text;
  const changes: string[] = [];
  if (random.chance(0.4)) {
    for (let count = 1 + random.below(4); count > 0; count -= 1) {
      const edited = plausibleEdit(current, random);
      current = edited.text;
      changes.push(edited.change);
    }
    return { text: current, changes };
  }
  for (let count = 1 + random.below(3); count > 0; count -= 1) {
    if (random.chance(0.3)) {
      const damaged = damageText(current, random);
      current = damaged.text;
      changes.push(damaged.change);
      continue;
    }
    const lines = current.split('\n');
    const index = random.below(lines.length);
    const line = lines[index] ?? '';
    const colon = line.indexOf(': ');
    const snippet = random.pick(HOSTILE_YAML);
    lines[index] = colon === -1 ? `${line}${snippet}` : `${line.slice(0, colon + 2)}${snippet}`;
    if (random.chance(0.2)) lines[index] = `${' '.repeat(random.below(9))}${lines[index]?.trimStart()}`;
    current = lines.join('\n');
    changes.push(`line ${index + 1}: ${JSON.stringify(snippet.slice(0, 30))}`);
  }
  return { text: current, changes };
}

const ENGINE_TEXT =
  /Maximum call stack|RangeError|TypeError|ReferenceError|Cannot read prop|is not a function|\[object Object\]|\bundefined\b/;
/** A headline carries a path and a message of at most 400 characters each; an excerpt line 120 columns and a gutter. */
const MAX_LINE = 1_000;

describe(`validating ${RUNS} generated environment files (seed ${SEED})`, () => {
  it(
    'reports every problem located and bounded, never an exception, and plans what validates',
    { timeout: 30_000 + RUNS * 50 },
    () => {
      const random = seededRandom(SEED);
      for (let run = 0; run < RUNS; run += 1) {
        const base = random.pick(random.chance(0.7) ? VALID : CORPUS);
        const { text, changes } = mutate(base.text, random);
        const replay = `run ${run} of seed ${SEED} (${base.name}.yaml: ${changes.join('; ')})`;
        let result: ReturnType<typeof validateEnvironmentText>;
        try {
          const options = { file: `environments/${base.name}.yaml`, fileName: base.name, environments: new Map() };
          result = validateEnvironmentText(text, options);
        } catch (error) {
          throw new Error(`validation threw on ${replay}: ${(error as Error).stack}`);
        }
        const lineCount = text.split('\n').length;
        for (const diagnostic of result.diagnostics) {
          expect(diagnostic.line, replay).toBeGreaterThanOrEqual(1);
          expect(diagnostic.line, replay).toBeLessThanOrEqual(lineCount);
          expect(diagnostic.column, replay).toBeGreaterThanOrEqual(1);
          expect(diagnostic.message, replay).not.toMatch(ENGINE_TEXT);
        }
        const rendered = renderDiagnostics(result.diagnostics, { color: false, source: () => text });
        expect(rendered.length, replay).toBeLessThanOrEqual(3 * result.diagnostics.length + 1);
        for (const line of rendered) expect(line.length, replay).toBeLessThanOrEqual(MAX_LINE);
        if (result.state) {
          try {
            renderPlanText(createPlan({ desired: result.state, observed, now: new Date('2026-12-01T00:00:00Z') }), {
              color: false,
            });
          } catch (error) {
            throw new Error(`planning a file that validated threw on ${replay}: ${(error as Error).stack}`);
          }
        }
      }
    },
  );
});
