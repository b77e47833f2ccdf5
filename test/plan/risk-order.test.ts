import { describe, expect, it } from 'vitest';
import type { Change, Risk, RiskKind, RiskSeverity } from '../../src/model/plan.js';
import { compareRiskRank, compareRisks, summarize } from '../../src/plan/index.js';
import { viewPlan } from '../../src/render/plan-view.js';
import { address } from '../fixtures/plan/builders.js';
import { prodPlan } from '../fixtures/render/plans.js';

const risk = (kind: RiskKind, severity: RiskSeverity, message: string = kind): Risk => ({ kind, severity, message });

/** The README: risks (data loss, weaker security, irreversible settings, cost) shown first; replacements before cost. */
const DOCUMENTED: RiskKind[] = ['data-loss', 'security-weakened', 'irreversible', 'replace', 'cost'];

describe('the one ranking of risks', () => {
  it('ranks kinds of one severity in the order the README documents', () => {
    const shuffled = ['cost', 'irreversible', 'replace', 'data-loss', 'security-weakened'] as const;
    const ranked = shuffled.map((kind) => risk(kind, 'medium')).sort(compareRiskRank);

    expect(ranked.map((r) => r.kind)).toEqual(DOCUMENTED);
  });

  it('puts weaker security before an irreversible setting', () => {
    expect(compareRiskRank(risk('security-weakened', 'high'), risk('irreversible', 'high'))).toBeLessThan(0);
  });

  it('ranks by severity before kind', () => {
    const ranked = [risk('data-loss', 'low'), risk('cost', 'high'), risk('irreversible', 'medium')].sort(
      compareRiskRank,
    );

    expect(ranked.map((r) => `${r.severity} ${r.kind}`)).toEqual(['high cost', 'medium irreversible', 'low data-loss']);
  });

  it('leaves risks of one rank tied, so lists keep their own order; compareRisks breaks the tie by message', () => {
    const b = risk('data-loss', 'high', 'b');
    const a = risk('data-loss', 'high', 'a');

    expect(compareRiskRank(b, a)).toBe(0);
    expect([b, a].sort(compareRisks)).toEqual([a, b]);
  });

  it('is the ranking of the banner every renderer shows', () => {
    const change = (name: string, risks: Risk[]): Change => ({
      address: address('Bucket', name),
      action: 'update',
      attributes: [],
      risks,
    });
    const changes = [
      change('a', [risk('irreversible', 'high', 'locks for 7 years')]),
      change('b', [risk('security-weakened', 'high', 'public access block turned off')]),
      change('c', [risk('cost', 'low', '+1Ti'), risk('data-loss', 'high', 'deletes every object')]),
    ];
    const plan = { ...prodPlan, changes, steps: [], summary: summarize(changes) };

    expect(viewPlan(plan).risks.map(({ risk }) => risk.kind)).toEqual([
      'data-loss',
      'security-weakened',
      'irreversible',
      'cost',
    ]);
    const banner = viewPlan(prodPlan).risks.map(({ risk }) => risk);
    expect(banner).toEqual([...banner].sort(compareRiskRank));
  });
});
