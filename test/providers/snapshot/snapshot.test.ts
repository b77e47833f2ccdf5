import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../../src/providers/snapshot/snapshot.js';

function snapshotWith(resource: unknown): string {
  return JSON.stringify({
    formatVersion: 1,
    kind: 'ObservedSnapshot',
    environment: 'dev',
    observedAt: '2026-11-23T06:00:00Z',
    resources: [resource],
  });
}

const claim = (size: unknown) => ({
  address: { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'codequal-dev', name: 'deepwiki-data' },
  spec: { storageClassName: 'fast-ssd', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', size },
  fingerprint: '48211',
  owned: true,
});

describe('observed snapshot files', () => {
  it('reads a well-formed snapshot', () => {
    expect(parseSnapshot(snapshotWith(claim('40Gi')), 'dev.observed.json').resources).toHaveLength(1);
  });

  it('refuses a claim size that is not a quantity, naming the resource and the field', () => {
    expect(() => parseSnapshot(snapshotWith(claim('40 gigs')), 'dev.observed.json')).toThrow(
      'dev.observed.json: resources[0] (kubernetes/PersistentVolumeClaim/codequal-dev/deepwiki-data): spec.size: expected a Kubernetes quantity such as "50Gi", found the string "40 gigs"',
    );
  });

  it("reads a claim's growth annotations as found, and refuses one that is not text", () => {
    const growing = (growth: unknown) => ({ ...claim('40Gi'), spec: { ...claim('40Gi').spec, growth } });
    const [read] = parseSnapshot(
      snapshotWith(growing({ threshold: '20%', increase: '20Gi', storageLimit: '500Gi' })),
      'dev.observed.json',
    ).resources;
    expect(read?.spec).toMatchObject({ growth: { threshold: '20%', increase: '20Gi', storageLimit: '500Gi' } });
    expect(() => parseSnapshot(snapshotWith(growing({ threshold: 20 })), 'dev.observed.json')).toThrow(
      'spec.growth.threshold',
    );
  });

  it('refuses a quota limit that is not a quantity', () => {
    const quota = {
      address: { system: 'kubernetes', kind: 'ResourceQuota', namespace: 'codequal-dev', name: 'strata-storage' },
      spec: { hard: { 'requests.storage': '1TB!' } },
      fingerprint: '48212',
      owned: true,
    };
    expect(() => parseSnapshot(snapshotWith(quota), 'dev.observed.json')).toThrow(
      'spec.hard["requests.storage"]: expected a Kubernetes quantity such as "50Gi", found the string "1TB!"',
    );
  });

  it('refuses a file of another kind with the command that writes a snapshot', () => {
    expect(() => parseSnapshot('{"kind":"Plan"}', 'plan.json')).toThrow('plan.json is not an observed snapshot');
  });
});
