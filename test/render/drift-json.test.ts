import { describe, expect, it } from 'vitest';
import { renderDriftJson } from '../../src/render/drift-json.js';
import { expectDriftGolden } from '../fixtures/drift/golden.js';
import { checkedReport, driftedRun, parseDriftRun, partlyFailedRun } from '../fixtures/drift/runs.js';

describe('renderDriftJson', () => {
  it('writes the versioned run with sorted keys', async () => {
    const json = renderDriftJson(await driftedRun({ verbose: false }));
    expectDriftGolden('dev.drift.json', json);
    const parsed = parseDriftRun(json);
    expect(parsed.formatVersion).toBe(1);
    expect(checkedReport(parsed, 0).counts).toEqual({
      effective: 6,
      cosmetic: 1,
      missing: 7,
      unmanaged: 2,
      settling: 0,
      ignored: 2,
      inSync: 24,
    });
  });

  it('carries the attribution of each drifted field', async () => {
    const parsed = parseDriftRun(renderDriftJson(await driftedRun({ verbose: false })));
    const claim = checkedReport(parsed, 0).findings.find((finding) => finding.address.name === 'deepwiki-data');
    expect(claim?.attributes).toEqual([{ path: 'size', declared: '20Gi', live: '150Gi', changedBy: 'kubectl-edit' }]);
  });

  it('records a failed environment with its error', async () => {
    const parsed = parseDriftRun(renderDriftJson(await partlyFailedRun()));
    expect(parsed.environments[1]).toMatchObject({
      environment: 'prod',
      status: 'failed',
      error: expect.stringContaining('ECONNREFUSED') as string,
    });
  });
});
