import { describe, expect, it } from 'vitest';
import { driftRun } from '../../src/drift/index.js';
import { renderDriftText } from '../../src/render/drift-text.js';
import { expectDriftGolden } from '../fixtures/drift/golden.js';
import { cleanRun, driftedRun, NOW, partlyFailedRun } from '../fixtures/drift/runs.js';

describe('renderDriftText', () => {
  it('groups drift by class, effective first, with declared and live values and who changed them', async () => {
    const text = renderDriftText(await driftedRun({ verbose: false }), { color: false });
    expectDriftGolden('dev.drift.txt', text);
    expect(text).toContain('size:  declared 20Gi, live 150Gi   changed by kubectl-edit');
    expect(text.indexOf('EFFECTIVE DRIFT')).toBeLessThan(text.indexOf('MISSING'));
  });

  it('lists cosmetic differences only when verbose', async () => {
    const quiet = renderDriftText(await driftedRun({ verbose: false }), { color: false });
    const verbose = renderDriftText(await driftedRun({ verbose: true }), { color: false });
    expect(quiet).not.toContain('COSMETIC');
    expect(quiet).toContain('(1 only cosmetically; --verbose lists it)');
    expectDriftGolden('dev-verbose.drift.txt', verbose);
    expect(verbose).toContain('hard["requests.storage"]:  declared 200Gi, live 204800Mi');
  });

  it('says an expired ignore rule no longer hides what it matched', async () => {
    const text = renderDriftText(await driftedRun({ verbose: false }), { color: false });
    expect(text).toMatch(
      /EXPIRED IGNORE RULES[^\n]*\n\s+kubernetes\/PersistentVolumeClaim\/\*\/deepwiki-data, expired after 2026-11-20/,
    );
    expect(text).toMatch(/reported again:\s+kubernetes\/PersistentVolumeClaim\/codequal-dev\/deepwiki-data/);
  });

  it('says there is no drift when live state matches', async () => {
    expectDriftGolden('clean.drift.txt', renderDriftText(await cleanRun(), { color: false }));
  });

  it('shows an environment that could not be checked among the others, and sums up the run', async () => {
    const text = renderDriftText(await partlyFailedRun(), { color: false });
    expect(text).toContain('strata drift prod · could not check');
    expect(text).toContain('strata drift dev · checked');
    expect(text.trimEnd().split('\n').at(-1)).toBe('2 environments: dev drifted, prod could not be checked.');
  });

  it('keeps each problem of an error on a line of its own, escaped', () => {
    const run = driftRun(
      [{ environment: 'prod', status: 'failed', error: 'prod.yaml:3:5 a\u001b[2J\nprod.yaml:9:1 b' }],
      NOW,
    );
    expect(renderDriftText(run, { color: false })).toContain('  error: prod.yaml:3:5 a\\u001b[2J\n  prod.yaml:9:1 b\n');
  });

  it('colours only when asked', async () => {
    expect(renderDriftText(await driftedRun({ verbose: false }), { color: true })).toContain('\u001b[');
    expect(renderDriftText(await driftedRun({ verbose: false }), { color: false })).not.toContain('\u001b[');
  });
});
