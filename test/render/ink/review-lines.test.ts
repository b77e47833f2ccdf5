import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../src/model/address.js';
import type { Change } from '../../../src/model/plan.js';
import { reviewLines } from '../../../src/render/ink/review-lines.js';
import { viewChange } from '../../../src/render/plan-view.js';
import { blockNotePlan } from '../../fixtures/render/plans.js';

const POLICY = '{\n  "Version": "2012-10-17"\n}\n';

function expandedLines(change: Change): string[] {
  return reviewLines([viewChange(change)], new Set([addressKey(change.address)])).map((line) => line.text);
}

describe('reviewLines', () => {
  it('marks a value on one side only as new or removed, as the text plan does', () => {
    const lines = expandedLines({
      address: { system: 's3', kind: 'BucketTags', name: 'akosha-archive-staging' },
      action: 'update',
      attributes: [
        { path: 'tags.managed-by', after: 'strata' },
        { path: 'tags.temporary', before: 'true' },
      ],
      risks: [],
    });
    expect(lines).toContain('      tags:');
    expect(lines).toContain('        managed-by:  "strata" (new)');
    expect(lines).toContain('        temporary:   "true" (removed)');
  });

  it('marks a new block of lines as new too', () => {
    const lines = expandedLines({
      address: { system: 's3', kind: 'BucketPolicy', name: 'akosha-backups-prod' },
      action: 'update',
      attributes: [{ path: 'document', after: POLICY }],
      risks: [],
    });
    expect(lines).toContain('      document: (new)');
  });

  it('does not mark the values of a created resource as new, since every one is', () => {
    const lines = expandedLines({
      address: { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'codequal-prod', name: 'cache' },
      action: 'create',
      attributes: [],
      after: { size: '20Gi' },
      risks: [],
    });
    expect(lines).toContain('      size:  20Gi');
  });

  it('notes a field that forces a replacement after its values', () => {
    const lines = expandedLines({
      address: { system: 'kubernetes', kind: 'StorageClass', name: 'fast' },
      action: 'replace',
      attributes: [{ path: 'parameters.type', before: 'gp2', after: 'gp3', forcesReplacement: true }],
      risks: [],
    });
    expect(lines).toContain('      parameters:');
    expect(lines).toContain('        type:  "gp2" → "gp3"  (forces replacement)');
  });

  it('keeps a note on a block of lines', () => {
    const [change] = blockNotePlan.changes;
    expect(expandedLines(change!)).toContain('      document:  (takes the field from aws-cli)');
  });
});
