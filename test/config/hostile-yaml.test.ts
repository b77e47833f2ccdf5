import { describe, expect, it } from 'vitest';
import { validateEnvironmentText } from '../../src/config/validate.js';
import { formatDiagnostic } from '../../src/model/diagnostic.js';

const FILE = 'environments/dev.yaml';

function problems(text: string): string[] {
  const { diagnostics } = validateEnvironmentText(text, {
    file: FILE,
    fileName: 'dev',
    environments: new Map(),
  });
  return diagnostics.map(formatDiagnostic);
}

const TOO_DEEP =
  'nests more than 32 levels deep; an environment file needs a handful, so look for brackets or indentation that run away';

/** Input no one writes by hand, each a located problem in a line or two: never the engine's words, never a hang. */
describe('validating hostile YAML', () => {
  it('reports flow collections nested 10,000 deep as too deep, not as the stack overflow the parser met', () => {
    const found = problems(`a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^environments/dev\\.yaml:1:\\d+ error /: ${TOO_DEEP}$`));
  });

  it('reports brackets opened past 32 levels at the bracket that crosses the limit, before parsing', () => {
    expect(problems(`a: ${'['.repeat(40)}${']'.repeat(40)}\n`)).toEqual([
      `environments/dev.yaml:1:36 error /: ${TOO_DEEP}`,
    ]);
  });

  it('reports block and flow nesting past 32 levels together at the collection that crosses the limit', () => {
    const block = Array.from({ length: 20 }, (_, level) => `${'  '.repeat(level)}k${level}:`).join('\n');
    const text = `${block}\n${'  '.repeat(20)}leaf: ${'['.repeat(20)}${']'.repeat(20)}\n`;
    const path = `${Array.from({ length: 20 }, (_, level) => `/k${level}`).join('')}/leaf${'/0'.repeat(11)}`;
    expect(problems(text)).toEqual([`environments/dev.yaml:21:${40 + 6 + 12} error ${path}: ${TOO_DEEP}`]);
  });

  it('reports block sequences nested on one line as too deep', () => {
    expect(problems(`${'- '.repeat(20_000)}x\n`)[0]).toContain(TOO_DEEP);
  });

  it("stops one wide anchor repeated, which yaml's own limit of aliases per anchor lets through, at the alias past the limit", () => {
    const text = `a: &wide [${Array(100_000).fill('1').join(',')}]\nb: [${Array(99).fill('*wide').join(',')}]\n`;
    expect(problems(text)).toEqual([
      'environments/dev.yaml:2:53 error /b/8: aliases expand to more than 1,000,000 values; write the values out instead of repeating aliases',
    ]);
  });

  it('stops an alias inside the value it names, which would expand forever', () => {
    expect(problems('a: &loop [*loop]\n')).toEqual([
      'environments/dev.yaml:1:11 error /a/0: aliases expand more than 32 levels deep; write the values out instead of nesting aliases',
    ]);
  });

  it('names an alias that has no anchor before it', () => {
    expect(problems('a: *nowhere\n')).toEqual([
      'environments/dev.yaml:1:4 error /a: alias `*nowhere` names no anchor before it; define `&nowhere` on a value above it',
    ]);
  });

  it('refuses a list as a key, which would otherwise become its text', () => {
    expect(problems('? [a, b]\n: c\n')).toEqual([
      'environments/dev.yaml:1:3 error /: a key is a list, a mapping or an alias; write keys as plain names',
    ]);
  });

  it('treats keys that are the same once read, `1` and "1", as duplicates', () => {
    expect(problems('1: a\n"1": b\n')).toEqual([
      'environments/dev.yaml:2:1 error /1: duplicate key `1`: a key may appear once in a mapping; remove or rename one of them',
    ]);
  });

  it('finds a duplicate among 50,000 keys in linear time (comparing each key with every other took half a minute)', () => {
    const keys = Array.from({ length: 50_000 }, (_, index) => `k${index}: v`);
    const started = performance.now();
    const found = problems(`${keys.join('\n')}\nk7: again\n`);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(found).toContain(
      'environments/dev.yaml:50001:1 error /k7: duplicate key `k7`: a key may appear once in a mapping; remove or rename one of them',
    );
  });

  it('quotes 60 characters of a 40 KB value in the message', () => {
    const [message] = problems(`${'x'.repeat(40_000)}\n`);
    expect(message).toBe(
      `environments/dev.yaml:1:1 error /: the file holds the string \`${'x'.repeat(60)}…\`; an environment file is a mapping with apiVersion, kind, metadata and targets`,
    );
  });

  it('keeps a message about a 40 KB key to one line', () => {
    const found = problems(`apiVersion: strata.dev/v1alpha1\n${'k'.repeat(40_000)}: 1\n`);
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) expect(line.length).toBeLessThan(1_000);
  });
});
