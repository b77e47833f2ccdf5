import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_SPECIFIC_KEYWORD, loadSchema } from '../../src/config/index.js';
import { catalogueFields, readSchemaShape } from '../../src/promote/schema-shape.js';

describe('promotable fields, read from the environment schema', () => {
  const fields = catalogueFields(readSchemaShape(loadSchema()));

  it('promotes the policy of every logical resource: retention, tiers, lifecycle, backups, versioning, lock, encryption, tags', () => {
    expect(fields.promotable).toEqual(
      expect.arrayContaining([
        'storageClasses.<key>.parameters.*',
        'storageClasses.<key>.reclaimPolicy',
        'namespaces.<key>.labels.*',
        'namespaces.<key>.volumes.<key>.storageClass',
        'namespaces.<key>.backups.<key>.schedule',
        'namespaces.<key>.backups.<key>.keep',
        'buckets.<key>.versioning',
        'buckets.<key>.objectLock.days',
        'buckets.<key>.encryption',
        'buckets.<key>.publicAccess',
        'buckets.<key>.tags.*',
        'buckets.<key>.policy',
        'buckets.<key>.lifecycle[].transitions[].storageClass',
        'buckets.<key>.lifecycle[].expireAfter',
        'buckets.<key>.lifecycle[].noncurrentExpireAfter',
      ]),
    );
  });

  it('leaves physical names, targets, sizes and growth bounds, quotas, metadata and ignore rules to each environment', () => {
    expect(fields.environmentSpecific).toEqual([
      'metadata',
      'targets',
      'storageClasses.<key>.name',
      'namespaces.<key>.name',
      'namespaces.<key>.quota',
      'namespaces.<key>.volumes.<key>.name',
      'namespaces.<key>.volumes.<key>.size',
      'namespaces.<key>.volumes.<key>.maxSize',
      'namespaces.<key>.volumes.<key>.growth',
      'namespaces.<key>.backups.<key>.name',
      'buckets.<key>.name',
      'ignore',
    ]);
    expect(
      fields.promotable.filter((path) => /\.(name|size|maxSize)$|growth|quota|^metadata|^targets/.test(path)),
    ).toEqual([]);
  });

  it('promotes nothing outside logical resources: apiVersion, kind and ignore rules describe the environment itself', () => {
    expect(fields.promotable.filter((path) => !/^(storageClasses|namespaces|buckets)\.<key>\./.test(path))).toEqual([]);
  });

  it('follows the schema: marking a field environment-specific stops its promotion, without code changes', () => {
    const schema = loadSchema() as { $defs: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    schema.$defs.bucket!.properties.tags![ENVIRONMENT_SPECIFIC_KEYWORD] = true;
    const changed = catalogueFields(readSchemaShape(schema));
    expect(changed.promotable).not.toContain('buckets.<key>.tags.*');
    expect(changed.environmentSpecific).toContain('buckets.<key>.tags');
  });

  it('pairs lifecycle rules across environments by their required id, and transitions by position', () => {
    const bucket = readSchemaShape(loadSchema()).properties.buckets!.additional!;
    expect(bucket.properties.lifecycle!.itemKey).toBe('id');
    expect(bucket.properties.lifecycle!.items!.properties.transitions!.itemKey).toBeUndefined();
  });
});
