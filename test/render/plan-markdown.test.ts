import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import {
  awkwardValuesPlan,
  blockNotePlan,
  devPlan,
  emptyPlan,
  fleetPlan,
  prodPlan,
  stagingPlan,
} from '../fixtures/render/plans.js';
import { expectGolden, PLAN_HASH } from './golden.js';

const markdown = (plan = prodPlan, maxLength?: number): string =>
  renderPlanMarkdown(plan, { planHash: PLAN_HASH, maxLength });

describe('renderPlanMarkdown', () => {
  it('renders the prod plan comment as reviewed', () => {
    expectGolden('prod.plan.md', markdown(prodPlan));
  });

  it('renders the staging plan comment as reviewed', () => {
    expectGolden('staging.plan.md', markdown(stagingPlan));
  });

  it('opens with a line a reviewer can read in the PR timeline', () => {
    expect(markdown().split('\n')[0]).toBe(
      '### strata plan · prod · 2 create · 3 update · 1 replace · 1 blocked · ⚠️ 4 risks',
    );
    expect(markdown(emptyPlan).split('\n')[0]).toBe('### strata plan · prod · no changes');
  });

  it('puts the summary table and the risk banner before any details', () => {
    const text = markdown();
    const table = text.indexOf('| | resource | change |');
    const risks = text.indexOf('> [!CAUTION]');
    expect(table).toBeGreaterThan(0);
    expect(risks).toBeGreaterThan(table);
    expect(text.indexOf('<details>')).toBeGreaterThan(risks);
  });

  it('gives each changed resource a collapsible section with a diff block', () => {
    expect(markdown()).toContain(
      '<details><summary>~ kubernetes pvc codequal-prod/deepwiki-data ⚠️</summary>\n\n```diff\n- size: 50Gi\n+ size: 200Gi\n```\n\n</details>',
    );
  });

  it('shows the fix for a blocked change in the table and its details', () => {
    const text = markdown();
    expect(text).toContain(
      '| ⛔ | kubernetes pvc codequal-prod/warm-db | blocked: 200Gi → 100Gi would shrink a volume',
    );
    expect(text).toContain('! blocked: 200Gi → 100Gi would shrink a volume; Kubernetes forbids it (set size: 200Gi');
  });

  it('names in the table the attribute that carries the risk', () => {
    expect(markdown()).toContain(
      '| ⚠️ | s3 bucket akosha-backups-prod · lifecycle | update: rules\\[tiering\\].expirationDays 2555d → 365d, +1 more (data loss) |',
    );
  });

  it('notes a capability the server does not support, in the words of its answer', () => {
    expect(markdown(devPlan)).toContain('_Note: default encryption: GetBucketEncryption answered NotImplemented;');
  });

  it('carries a hidden marker so a CI bot updates one comment per environment', () => {
    expect(markdown().trimEnd().split('\n').pop()).toBe('<!-- strata-plan:prod -->');
    expect(markdown(emptyPlan)).toContain('<!-- strata-plan:prod -->');
  });

  it('says there are no changes when live state matches the file', () => {
    expect(markdown(emptyPlan)).toContain('No changes. Live state matches environments/prod.yaml.');
    expect(markdown(emptyPlan)).not.toContain('<details>');
  });

  it('escapes pipes, angle brackets and backticks in table cells', () => {
    const row = markdown(awkwardValuesPlan)
      .split('\n')
      .find((line) => line.startsWith('|  | s3 bucket'));
    expect(row).toBe(
      '|  | s3 bucket akosha-archive-staging · tags | update: tags.description "media \\| chat" → ' +
        '"media \\| chat &lt;archive&gt; \\`7y\\`" |',
    );
  });

  it('keeps user values intact inside diff blocks, with a fence longer than any backticks in them', () => {
    const text = markdown({
      ...awkwardValuesPlan,
      changes: awkwardValuesPlan.changes.map((change) => ({
        ...change,
        attributes: [{ path: 'tags.note', before: 'a', after: 'see ```code```' }],
      })),
    });
    expect(text).toContain('````diff\n  tags:\n-   note:  "a"\n+   note:  "see ```code```"\n````');
  });

  it('keeps the lines of a blocked block value out of the column GitHub colours, since nothing is written', () => {
    const [change] = blockNotePlan.changes;
    const text = markdown({ ...blockNotePlan, changes: change ? [{ ...change, action: 'blocked', reason: 'x' }] : [] });
    const block = text.slice(text.indexOf('document:'));
    expect(block).toMatch(/\n \+ {2}/);
    expect(block).not.toMatch(/\n[+-]/);
  });

  it('notes a removed field that forces a replacement on its - line, as there is no + line', () => {
    const text = markdown({
      ...awkwardValuesPlan,
      changes: awkwardValuesPlan.changes.map((change) => ({
        ...change,
        action: 'replace',
        attributes: [{ path: 'parameters.iopsPerGB', before: '50', forcesReplacement: true }],
      })),
    });
    expect(text).toContain('\n-   iopsPerGB:  "50"   # forces replacement\n');
  });

  it('fits a long plan under the limit, keeping the heading and risks and saying what was left out', () => {
    const whole = markdown(fleetPlan(5, 20));
    const cut = markdown(fleetPlan(5, 20), 20_000);
    expect(whole.length).toBeGreaterThan(20_000);
    expect(cut.length).toBeLessThanOrEqual(20_000);
    expect(cut.split('\n')[0]).toBe('### strata plan · prod · 101 update · ⚠️ 1 risk');
    expect(cut).toContain(
      '> - **data loss** · s3 bucket akosha-backups-prod · lifecycle: rule "tiering" expiration 2555d → 365d',
    );
    expect(cut.match(/^\| {2}\| kubernetes pvc/gm)).toHaveLength(100);
    expect(cut).toMatch(
      /> Details of \d+ of 101 changed resources are left out to keep this comment under 20000 characters/,
    );
    expect(cut).toContain('<!-- strata-plan:prod -->');
  });

  it('names the saved plan file in what it says of the parts left out', () => {
    const text = renderPlanMarkdown(fleetPlan(5, 20), { maxLength: 20_000, savedTo: 'plans/prod.plan.json' });
    expect(text).toContain('Run `strata show plans/prod.plan.json` to see all of them.');
  });

  it('cuts table rows too when the details alone cannot make room, and counts them', () => {
    const text = markdown(fleetPlan());
    expect(text.length).toBeLessThanOrEqual(60_000);
    expect(text).not.toContain('<details>');
    expect(text).toMatch(/\| \| … \d+ more resources \| \|/);
    expect(text).toMatch(/> Details of 1001 of 1001 changed resources are left out and the table lists the first \d+/);
    expect(text).toContain('> [!CAUTION]');
  });

  it('keeps the highest-ranked risks when thousands would not fit, and counts the rest', () => {
    const plan = fleetPlan(100, 20);
    const risky: Plan = {
      ...plan,
      changes: plan.changes.map((change) =>
        change.risks.length > 0
          ? change
          : { ...change, risks: [{ kind: 'cost', severity: 'low', message: '+20Gi requested storage (20Gi → 40Gi)' }] },
      ),
    };
    const text = markdown(risky);
    expect(text.length).toBeLessThanOrEqual(60_000);
    expect(text).toContain('> - **data loss** · s3 bucket akosha-backups-prod · lifecycle');
    expect(text).toMatch(/> - … \d+ more risks \(\d+ cost\); `strata show` on a saved plan lists them/);
    expect(text).toMatch(/^\| ⚠️ \| kubernetes pvc/m);
  });

  it('keeps a note on a value drawn as a block of lines', () => {
    expect(markdown(blockNotePlan)).toContain('  document:   # takes the field from aws-cli');
  });
});
