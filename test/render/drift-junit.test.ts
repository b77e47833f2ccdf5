import { describe, expect, it } from 'vitest';
import { renderDriftJunit } from '../../src/render/drift-junit.js';
import { expectDriftGolden } from '../fixtures/drift/golden.js';
import { driftedRun, partlyFailedRun } from '../fixtures/drift/runs.js';

const count = (xml: string, pattern: RegExp) => (xml.match(pattern) ?? []).length;

describe('renderDriftJunit', () => {
  it('writes one testsuite per environment and one testcase per resource', async () => {
    const xml = renderDriftJunit(await driftedRun({ verbose: false }));
    expectDriftGolden('dev.drift.junit.xml', xml);
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="strata drift" tests="40" failures="15" errors="0"',
      ),
    ).toBe(true);
    expect(count(xml, /<testcase /g)).toBe(40);
    expect(count(xml, /<failure /g)).toBe(15);
  });

  it('fails a drifted resource with its differences and who changed them', async () => {
    const xml = renderDriftJunit(await driftedRun({ verbose: false }));
    expect(xml).toContain('<failure type="effective" message="effective: size (changed by kubectl-edit)">');
    expect(xml).toContain('size: declared 20Gi, live 150Gi (changed by kubectl-edit)');
  });

  it('skips ignored resources with the rule reason', async () => {
    const xml = renderDriftJunit(await driftedRun({ verbose: false }));
    expect(xml).toContain('<skipped message="ignored: the warm-db backup rollout applies this rule on 2026-12-01"/>');
    expect(xml).toMatch(/skipped="1"/);
  });

  it("notes a partly ignored resource's accepted differences beside the failing ones", async () => {
    const xml = renderDriftJunit(await driftedRun({ verbose: false }));
    expect(xml).toContain('ignored: blockPublicPolicy: public assets bucket, reviewed in SEC-311 (until 2026-12-31)');
  });

  it('errors the environment that could not be checked and keeps the others', async () => {
    const xml = renderDriftJunit(await partlyFailedRun());
    expect(xml).toContain('<testsuite name="prod" tests="1" failures="0" errors="1"');
    expect(xml).toContain('<testsuite name="dev"');
    expect(xml).toContain('10.0.0.7:443 &lt;&amp;&gt;');
  });
});
