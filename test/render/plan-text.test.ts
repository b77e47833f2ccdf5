import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../src/render/plan-text.js';
import { blockNotePlan, devPlan, emptyPlan, prodPlan, stagingPlan } from '../fixtures/render/plans.js';
import { expectGolden, PLAN_HASH } from './golden.js';

const plain = (plan = prodPlan, width?: number): string =>
  renderPlanText(plan, { color: false, savedTo: `plans/${plan.environment}.plan.json`, planHash: PLAN_HASH, width });
const ESCAPE = '\u001b[';

describe('renderPlanText', () => {
  it('renders the prod plan as reviewed', () => {
    expectGolden('prod.plan.txt', plain(prodPlan));
  });

  it('renders adopt, delete, removed tags and every other risk kind as reviewed', () => {
    expectGolden('staging.plan.txt', plain(stagingPlan));
  });

  it('renders a plan against a server without default encryption as reviewed', () => {
    expectGolden('dev.plan.txt', plain(devPlan));
  });

  it('renders an empty plan as reviewed', () => {
    expectGolden('empty.plan.txt', plain(emptyPlan));
  });

  it('starts with the header and the one-line summary', () => {
    const [header, blank, summary] = plain().split('\n');
    expect(header).toBe('strata plan prod · 12 resources observed (k8s context prod-eks, s3 us-west-2)');
    expect(blank).toBe('');
    expect(summary).toBe('Plan: 2 to create, 3 to update, 1 to replace, 0 to delete, 1 blocked.');
  });

  it('says how long observing took when the plan was made against live state', () => {
    const [header] = plain({ ...prodPlan, observedInMs: 812 }).split('\n');
    expect(header).toBe('strata plan prod · 12 resources observed in 0.8s (k8s context prod-eks, s3 us-west-2)');
  });

  it('shows every risk before the first change', () => {
    const lines = plain().split('\n');
    const banner = lines.indexOf('! RISKS');
    const firstChange = lines.findIndex((line) => /^ {0,2}(\+|~|-\/\+|-|<=|!) (kubernetes|s3) /.test(line));
    const lastRisk = lines.findIndex((line) => line.startsWith('  cost'));
    expect(banner).toBeGreaterThan(0);
    expect(lastRisk).toBeGreaterThan(banner);
    expect(firstChange).toBeGreaterThan(lastRisk);
  });

  it('ranks high risks first and aligns their messages after the kind', () => {
    const risks = plain()
      .split('\n')
      .filter((line) => /^ {2}(data loss|security|replace|cost) /.test(line));
    expect(risks.map((line) => line.slice(2, 14).trim())).toEqual(['data loss', 'security', 'replace', 'cost']);
    expect(new Set(risks.map((line) => line.indexOf(line.slice(14).trim())))).toEqual(new Set([14]));
  });

  it('wraps risk messages at the width under the message column', () => {
    const lines = plain(prodPlan, 60).split('\n');
    const start = lines.findIndex((line) => line.startsWith('  data loss'));
    expect(lines.slice(start, start + 4).every((line) => line.length <= 60)).toBe(true);
    expect(lines[start + 1]).toMatch(/^ {14}\S/);
  });

  it('marks each action with its symbol, right-aligned so names line up', () => {
    const text = plain(prodPlan) + plain(stagingPlan);
    expect(text).toContain('\n  + kubernetes cronjob codequal-prod/deepwiki-nightly\n');
    expect(text).toContain('\n  ~ kubernetes pvc codequal-prod/deepwiki-data\n');
    expect(text).toContain('\n-/+ kubernetes storageclass fast-ssd   (parameters are immutable)\n');
    expect(text).toContain(
      '\n  - kubernetes pvc analytics-staging/duckdb-scratch   (owned by strata and no longer declared)\n',
    );
    expect(text).toContain('\n <= s3 bucket akosha-archive-staging   (exists without the managed-by=strata tag)\n');
    expect(text).toContain('\n  ! kubernetes pvc codequal-prod/warm-db   blocked: ');
  });

  it('shows an update as before → after with the paths aligned', () => {
    expect(plain()).toContain('      size:  50Gi → 200Gi\n');
  });

  it('shows the changes inside a field under it, as a created resource shows its fields, with the rest counted', () => {
    expect(plain()).toContain(
      '      rules:\n          [tiering]:\n              expirationDays:  2555d → 365d\n              # (4 unchanged attributes hidden)\n',
    );
    expect(plain()).toContain('      parameters:\n          type:  "gp2" → "gp3"  (forces replacement)\n');
  });

  it('marks values that appear or disappear as new or removed', () => {
    const text = plain(stagingPlan);
    expect(text).toContain('          managed-by:  "strata" (new)\n');
    expect(text).toContain('          temporary:   "true" (removed)\n');
    expect(plain(prodPlan)).toContain('          [backup-keep-deepwiki]: (new)\n');
  });

  it('lists every field of a resource it creates', () => {
    expect(plain()).toContain('      schedule:                    "0 2 * * *"\n');
    expect(plain()).toContain('      keepDays:                    30d\n');
  });

  it('leaves out the empty fields of a resource it creates, which nobody declared', () => {
    const text = plain({
      ...emptyPlan,
      changes: [
        {
          address: { system: 'kubernetes', kind: 'StorageClass', name: 'fast-ssd' },
          action: 'create',
          after: { provisioner: 'ebs.csi.aws.com', parameters: {}, mountOptions: [], allowVolumeExpansion: true },
          attributes: [],
          risks: [],
        },
      ],
    });
    expect(text).toContain('      provisioner:           "ebs.csi.aws.com"\n');
    expect(text).not.toContain('mountOptions');
    expect(text).not.toContain('parameters');
  });

  it('does not count a blocked setting with nothing live as observed', () => {
    const blocked = {
      address: { system: 's3' as const, kind: 'BucketEncryption' as const, name: 'akosha-backups-dev' },
      action: 'blocked' as const,
      after: { algorithm: 'AES256' },
      attributes: [],
      risks: [],
    };
    const [header] = plain({ ...emptyPlan, changes: [blocked] }).split('\n');
    expect(header).toMatch(/ · 0 resources observed /);
  });

  it('shows a policy change as a unified diff', () => {
    expect(plain()).toMatch(/ {6}document:\n {8}@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(plain()).toContain('        +      "Sid": "AuditorsRead"\n');
  });

  it('shows why a change is blocked and how to fix it', () => {
    const text = plain();
    const start = text.indexOf('  ! kubernetes pvc codequal-prod/warm-db');
    const block = text.slice(start, text.indexOf('\n\n', start));
    expect(block.replace(/\s+/g, ' ')).toContain(
      'blocked: 200Gi → 100Gi would shrink a volume; Kubernetes forbids it (set size: 200Gi, or migrate the data to a new claim)',
    );
  });

  it('lists the lifecycle rules and tags it keeps as found', () => {
    expect(plain()).toContain('      kept as found (not managed by strata): rule "legal-hold-archive"\n');
    expect(plain(stagingPlan)).toContain(
      'kept as found (not managed by strata): tag cost-center=4410, tag owner=akosha',
    );
  });

  it('counts unchanged resources without listing them', () => {
    const text = plain();
    expect(text).toContain('\n7 resources unchanged.\n');
    expect(text).not.toContain('codequal-prod/warm-db-shard-0');
    expect(text).not.toContain('s3 bucket akosha-backups-prod · tags');
  });

  it('explains the adopt symbol in a legend only when the plan adopts something', () => {
    expect(plain(stagingPlan)).toContain('<= adopt: exists but is not yet owned by strata');
    expect(plain(prodPlan)).not.toContain('<= adopt');
    expect(plain(stagingPlan)).toContain('Plan: 1 to create, 1 to adopt, 2 to update, 0 to replace, 1 to delete.');
  });

  it('notes a capability the server does not support, in the words of its answer', () => {
    expect(plain(devPlan)).toContain('note: default encryption: GetBucketEncryption answered NotImplemented');
  });

  it('ends with where the plan was saved, its hash and how to apply it', () => {
    expect(plain().trimEnd().split('\n').pop()).toBe(
      'Saved to plans/prod.plan.json (sha256 4be1…9c0e). Apply with: strata apply plans/prod.plan.json',
    );
    expect(renderPlanText(prodPlan, { color: false })).not.toContain('Saved to');
  });

  it('says there are no changes when live state matches the file', () => {
    const text = renderPlanText(emptyPlan, { color: false });
    expect(text).toBe(
      'strata plan prod · 4 resources observed (k8s context prod-eks, s3 us-west-2)\n\n' +
        'No changes. Live state matches environments/prod.yaml.\n',
    );
  });

  it('writes no escape codes with colour off', () => {
    expect(plain()).not.toContain(ESCAPE);
  });

  it('colours symbols, risks and diffs with colour on, and the text stays the same underneath', () => {
    const colored = renderPlanText(prodPlan, { color: true, savedTo: 'plans/prod.plan.json', planHash: PLAN_HASH });
    expect(colored).toContain(`${ESCAPE}31m`);
    expect(colored).toContain(`${ESCAPE}32m  +${ESCAPE}39m`);
    // eslint-disable-next-line no-control-regex -- taking the colour codes out, which start with the escape character
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(plain());
  });

  it('keeps a note on a value drawn as a block of lines', () => {
    expect(plain(blockNotePlan)).toContain('document:  (takes the field from aws-cli)');
  });
});
