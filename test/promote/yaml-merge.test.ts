import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSchema } from '../../src/config/index.js';
import type { BucketDeclaration, EnvironmentDocument, NamespaceDeclaration } from '../../src/model/environment.js';
import { mergeYamlText } from '../../src/promote/yaml-merge.js';
import { readSchemaShape } from '../../src/promote/schema-shape.js';

const shape = readSchemaShape(loadSchema());
const promote = (source: string, target: string, only?: string[]) =>
  mergeYamlText(source, target, shape, only ? { only: new Set(only) } : {});
const shipped = (name: string) => readFileSync(new URL(`../../environments/${name}.yaml`, import.meta.url), 'utf8');

/** prod's file, which declares the codequal namespace and the backups bucket. */
type ProdFile = EnvironmentDocument & {
  namespaces: { codequal: NamespaceDeclaration };
  buckets: { backups: BucketDeclaration };
};

/** Two one-bucket environments that differ only where a test says. */
function bucketFile(environment: string, body: string): string {
  return `metadata: { name: ${environment} }\nbuckets:\n  backups:\n    name: akosha-backups-${environment}\n${body}`;
}

describe('promoting the settings of a logical resource', () => {
  it('copies a changed retention and keeps the rest of the file byte for byte', () => {
    const staging = shipped('staging').replace('noncurrentExpireAfter: 30d', 'noncurrentExpireAfter: 60d');
    const prod = shipped('prod');
    const result = promote(staging, prod);
    expect(result.changes).toEqual([
      { path: 'buckets.backups.lifecycle[cleanup].noncurrentExpireAfter', before: '30d', after: '60d' },
    ]);
    expect(result.text).toBe(prod.replace('noncurrentExpireAfter: 30d', 'noncurrentExpireAfter: 60d'));
  });

  it('changes nothing when the target already has the source policy, whatever their names and sizes', () => {
    const result = promote(shipped('staging'), shipped('prod'));
    expect(result.changes).toEqual([]);
    expect(result.text).toBe(shipped('prod'));
  });

  it('copies versioning, object lock, encryption, public access and tags, adding what the target lacks after its neighbour', () => {
    const staging = bucketFile(
      'staging',
      '    versioning: true\n    objectLock: { mode: GOVERNANCE, days: 30 }\n    encryption: aws:kms\n    publicAccess: blocked\n    tags: { team: platform, tier: backup }\n',
    );
    const prod = bucketFile(
      'prod',
      '    versioning: false\n    encryption: AES256\n    publicAccess: open\n    tags: { team: platform }\n',
    );
    const result = promote(staging, prod);
    expect(result.text).toBe(
      bucketFile(
        'prod',
        '    versioning: true\n    objectLock: { mode: GOVERNANCE, days: 30 }\n    encryption: aws:kms\n    publicAccess: blocked\n    tags: { team: platform, tier: backup }\n',
      ),
    );
    expect(result.changes.map((change) => change.path)).toEqual([
      'buckets.backups.versioning',
      'buckets.backups.objectLock',
      'buckets.backups.encryption',
      'buckets.backups.publicAccess',
      'buckets.backups.tags.tier',
    ]);
  });

  it('removes a promotable setting the source no longer has, and never a physical name', () => {
    const staging = bucketFile('staging', '    versioning: true\n');
    const prod = bucketFile('prod', '    versioning: true\n    tags: { team: platform }\n');
    const result = promote(staging, prod);
    expect(result.text).toBe(bucketFile('prod', '    versioning: true\n'));
    expect(result.changes).toEqual([{ path: 'buckets.backups.tags', before: { team: 'platform' } }]);
  });

  it('pairs lifecycle rules by id: changes one in place, adds a new one with its comment after its predecessor, drops a removed one', () => {
    const staging = bucketFile(
      'staging',
      [
        '    lifecycle:',
        '      - id: cleanup',
        '        noncurrentExpireAfter: 60d',
        '      - id: tmp-uploads   # scratch space',
        '        prefix: tmp/',
        '        expireAfter: 1d',
        '',
      ].join('\n'),
    );
    const prod = bucketFile(
      'prod',
      [
        '    lifecycle:',
        '      - id: old-rule',
        '        expireAfter: 400d',
        '      - id: cleanup',
        '        noncurrentExpireAfter: 30d',
        '',
      ].join('\n'),
    );
    const result = promote(staging, prod);
    expect(result.text).toBe(
      bucketFile(
        'prod',
        [
          '    lifecycle:',
          '      - id: cleanup',
          '        noncurrentExpireAfter: 60d',
          '      - id: tmp-uploads # scratch space',
          '        prefix: tmp/',
          '        expireAfter: 1d',
          '',
        ].join('\n'),
      ),
    );
    expect(result.changes.map((change) => change.path)).toEqual([
      'buckets.backups.lifecycle[old-rule]',
      'buckets.backups.lifecycle[cleanup].noncurrentExpireAfter',
      'buckets.backups.lifecycle[tmp-uploads]',
    ]);
  });

  it('copies tiers (transitions) position by position, keeping the flow style the target wrote them in', () => {
    const staging = bucketFile(
      'staging',
      '    lifecycle:\n      - id: archive\n        transitions: [ { after: 60d, storageClass: GLACIER }, { after: 365d, storageClass: DEEP_ARCHIVE } ]\n',
    );
    const prod = bucketFile(
      'prod',
      '    lifecycle:\n      - id: archive\n        transitions: [ { after: 90d, storageClass: GLACIER } ]\n',
    );
    const result = promote(staging, prod);
    expect(result.text).toBe(staging.replace(/staging/g, 'prod'));
  });

  it('copies backup schedules and keep, storage class parameters and namespace labels, leaving quotas, sizes and names alone', () => {
    const staging = shipped('staging')
      .replace(
        'schedule: "0 2 * * *"\n        timeZone: Etc/UTC\n        destination: { bucket: backups, prefix: deepwiki/ }\n        keep: 30d',
        'schedule: "0 3 * * *"\n        timeZone: Etc/UTC\n        destination: { bucket: backups, prefix: deepwiki/ }\n        keep: 45d',
      )
      .replace('parameters: { type: st1 }', 'parameters: { type: sc1 }')
      .replace('labels: { team: analytics }', 'labels: { team: analytics, cost-center: cc-7 }');
    const prod = shipped('prod');
    const result = promote(staging, prod);
    expect(result.changes.map((change) => change.path)).toEqual([
      'storageClasses.standard.parameters.type',
      'namespaces.codequal.backups.deepwiki-nightly.schedule',
      'namespaces.codequal.backups.deepwiki-nightly.keep',
      'namespaces.analytics.labels.cost-center',
    ]);
    const before = parse(prod) as ProdFile;
    const after = parse(result.text) as ProdFile;
    expect(after.namespaces.codequal.quota).toEqual(before.namespaces.codequal.quota);
    expect(after.namespaces.codequal.volumes).toEqual(before.namespaces.codequal.volumes);
    expect(after.namespaces.codequal.name).toBe('codequal-prod');
    expect(after.buckets.backups.name).toBe('akosha-backups-prod');
    expect(after.targets).toEqual(before.targets);
    expect(after.metadata).toEqual(before.metadata);
    expect(after.ignore).toEqual(before.ignore);
    // The quoted schedule stays quoted.
    expect(result.text).toContain('schedule: "0 3 * * *"');
  });

  it('never copies a field the schema marks environment-specific, even when only the source has it', () => {
    const staging =
      'namespaces:\n  codequal:\n    name: codequal-staging\n    volumes:\n      data: { name: data-staging, storageClass: fast-ssd, size: 20Gi, maxSize: 200Gi }\n';
    const prod =
      'namespaces:\n  codequal:\n    name: codequal-prod\n    volumes:\n      data: { storageClass: standard, size: 50Gi }\n';
    const result = promote(staging, prod);
    expect(result.text).toBe(
      'namespaces:\n  codequal:\n    name: codequal-prod\n    volumes:\n      data: { storageClass: fast-ssd, size: 50Gi }\n',
    );
  });
});

describe('logical resources on one side only', () => {
  it('reports a resource only the source declares instead of inventing its physical name', () => {
    const staging = `${shipped('staging')}\n  scratch:\n    name: akosha-scratch-staging\n    versioning: false\n`;
    const result = promote(staging, shipped('prod'));
    expect(result.sourceOnly).toEqual(['buckets.scratch']);
    expect(result.text).toBe(shipped('prod'));
  });

  it('leaves a resource only the target declares, volumes included', () => {
    const staging = 'namespaces:\n  codequal:\n    name: codequal-staging\n';
    const prod =
      'namespaces:\n  codequal:\n    name: codequal-prod\n    volumes:\n      data: { storageClass: fast-ssd, size: 50Gi }\n';
    const result = promote(staging, prod);
    expect(result.targetOnly).toEqual(['namespaces.codequal.volumes.data']);
    expect(result.text).toBe(prod);
  });
});

describe('--only', () => {
  it('promotes only the named logical resources', () => {
    const staging = shipped('staging')
      .replace('tags: { team: chat }', 'tags: { team: chat-platform }')
      .replace('tags: { team: orchestrator }', 'tags: { team: orchestration }');
    const result = promote(staging, shipped('prod'), ['projects']);
    expect(result.changes).toEqual([
      { path: 'buckets.projects.tags.team', before: 'orchestrator', after: 'orchestration' },
    ]);
  });
});
