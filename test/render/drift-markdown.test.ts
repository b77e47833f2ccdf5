import { describe, expect, it } from 'vitest';
import { driftRun } from '../../src/drift/index.js';
import { renderDriftMarkdown } from '../../src/render/drift-markdown.js';
import { expectDriftGolden } from '../fixtures/drift/golden.js';
import { cleanRun, driftedRun, NOW, partlyFailedRun } from '../fixtures/drift/runs.js';

describe('renderDriftMarkdown', () => {
  it('opens with a heading that counts each class, then a table with who changed what', async () => {
    const markdown = renderDriftMarkdown(await driftedRun({ verbose: false }));
    expectDriftGolden('dev.drift.md', markdown);
    expect(markdown.split('\n')[0]).toBe(
      '### strata drift · dev · 6 effective · 7 missing · 2 unmanaged · ⚠️ 1 expired ignore rule',
    );
    expect(markdown).toContain(
      '| ! | kubernetes pvc codequal-dev/deepwiki-data | effective | size: declared 20Gi, live 150Gi | kubectl-edit |',
    );
  });

  it('ends each environment with the marker a CI bot updates its comment by', async () => {
    expect(renderDriftMarkdown(await cleanRun())).toMatch(/<!-- strata-drift:dev -->\n$/);
  });

  it('shows a failed environment as a caution beside the others, escaped', async () => {
    const markdown = renderDriftMarkdown(await partlyFailedRun());
    expect(markdown.split('\n')[0]).toBe('## strata drift · 2 environments · 1 drifted · ❌ 1 could not be checked');
    expect(markdown).toContain('### strata drift · prod · ❌ could not check\n\n> [!CAUTION]\n> cannot reach');
    expect(markdown).toContain('&lt;&amp;&gt;');
  });

  it('quotes each problem of an error on a line of its own, escaped', () => {
    const run = driftRun(
      [{ environment: 'prod', status: 'failed', error: 'prod.yaml:3:5 a|b\nprod.yaml:9:1 <c>' }],
      NOW,
    );
    expect(renderDriftMarkdown(run)).toContain('> [!CAUTION]\n> prod.yaml:3:5 a\\|b\n> prod.yaml:9:1 &lt;c&gt;\n');
  });

  it('keeps a long report under the size limit: details go first, then table rows, and it says so', async () => {
    const run = await driftedRun({ verbose: false });
    const whole = renderDriftMarkdown(run);
    const noDetails = renderDriftMarkdown(run, { maxLength: whole.length - 1 });
    expect(noDetails.length).toBeLessThan(whole.length);
    expect(noDetails).not.toContain('<details>');
    expect(noDetails).toContain('> Details are left out to keep this report under');

    const fewRows = renderDriftMarkdown(run, { maxLength: 1500 });
    expect(fewRows.length).toBeLessThanOrEqual(1500);
    expect(fewRows.split('\n')[0]).toBe(
      '### strata drift · dev · 6 effective · 7 missing · 2 unmanaged · ⚠️ 1 expired ignore rule',
    );
    expect(fewRows).toMatch(/\| \| … \d+ more resources? \| \| \| \|/);
    expect(fewRows).toMatch(/and the table lists the first \d+ of 15/);
  });
});
