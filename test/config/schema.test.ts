import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_SPECIFIC_KEYWORD, loadSchema } from '../../src/config/index.js';

type SchemaNode = Record<string, unknown>;

/** Every property schema in the document with its JSON pointer. */
function properties(node: unknown, at = ''): [string, SchemaNode][] {
  if (node === null || typeof node !== 'object') return [];
  const found: [string, SchemaNode][] = [];
  for (const [key, value] of Object.entries(node as SchemaNode)) {
    if (key === 'properties' && value && typeof value === 'object') {
      for (const [name, property] of Object.entries(value as SchemaNode))
        found.push([`${at}/properties/${name}`, property as SchemaNode]);
    }
    found.push(...properties(value, `${at}/${key}`));
  }
  return found;
}

describe('the environment schema', () => {
  const schema = loadSchema();

  it('describes every property, for editors', () => {
    const undescribed = properties(schema)
      .filter(
        ([, property]) =>
          typeof property.description !== 'string' &&
          !('$ref' in property && typeof property.$ref === 'string' && String(property.$ref).startsWith('#/$defs/')),
      )
      .map(([path]) => path);
    expect(undescribed).toEqual([]);
  });

  it('closes every object to unknown keys', () => {
    const definitions = Object.entries(schema.$defs as Record<string, SchemaNode>).map(
      ([name, node]): [string, SchemaNode] => [`/$defs/${name}`, node],
    );
    const open = [...properties(schema), ...definitions]
      .filter(
        ([, property]) =>
          property.type === 'object' &&
          property.additionalProperties === undefined &&
          property.properties !== undefined,
      )
      .map(([path]) => path);
    expect(open).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });

  it('marks the fields that differ between environments as data', () => {
    const marked = properties(schema)
      .filter(([, property]) => property[ENVIRONMENT_SPECIFIC_KEYWORD] === true)
      .map(([path]) => path);
    expect(marked).toEqual([
      '/properties/ignore',
      '/$defs/storageClass/properties/name',
      '/$defs/namespace/properties/name',
      '/$defs/volume/properties/name',
      '/$defs/volume/properties/size',
      '/$defs/volume/properties/maxSize',
      '/$defs/backup/properties/name',
      '/$defs/bucket/properties/name',
    ]);
    const defs = schema.$defs as Record<string, SchemaNode>;
    expect(['metadata', 'targets', 'quota'].map((name) => defs[name]?.[ENVIRONMENT_SPECIFIC_KEYWORD])).toEqual([
      true,
      true,
      true,
    ]);
  });
});
