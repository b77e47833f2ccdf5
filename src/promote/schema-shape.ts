/**
 * What promotion may copy, read from the environment schema rather than written in code: a field marked
 * `x-strata-environment-specific` (physical names, targets, sizes, quotas, metadata) stays as each environment has it;
 * everything else inside a logical resource is policy and moves from one environment to the next.
 */
import { ENVIRONMENT_SPECIFIC_KEYWORD } from '../config/index.js';

/** One node of the schema as promotion sees it. */
export interface SchemaShape {
  environmentSpecific: boolean;
  /** Named keys of a mapping. */
  properties: Readonly<Record<string, SchemaShape>>;
  /** The values of a mapping with free keys (labels, tags, parameters, and the logical-key collections). */
  additional?: SchemaShape;
  /** The keys are logical keys (`propertyNames` is the logicalKey definition): each value is a logical resource. */
  logicalKeys: boolean;
  /** List items. */
  items?: SchemaShape;
  /** List items pair by this required key across environments (lifecycle rules by `id`); by position when absent. */
  itemKey?: string;
}

const LOGICAL_KEY_REF = '#/$defs/logicalKey';
/** The key a list item is known by, when its schema requires it. */
const ITEM_KEY = 'id';

type JsonSchema = Record<string, unknown>;

/** Reads the environment schema (loadSchema()) into the tree promotion walks. */
export function readSchemaShape(schema: JsonSchema): SchemaShape {
  const definitions = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const resolve = (node: JsonSchema): JsonSchema => {
    const ref = node.$ref;
    if (typeof ref !== 'string') return node;
    const name = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
    const target = name === undefined ? undefined : definitions[name];
    if (!target) throw new Error(`environment schema: unresolvable $ref ${ref}`);
    // Keywords beside a $ref (a description, the environment-specific mark) apply together with the target's.
    const { $ref: _ref, ...beside } = node;
    return { ...resolve(target), ...beside };
  };
  const read = (raw: JsonSchema, inherited: boolean): SchemaShape => {
    const node = resolve(raw);
    const environmentSpecific = inherited || node[ENVIRONMENT_SPECIFIC_KEYWORD] === true;
    const properties: Record<string, SchemaShape> = {};
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
      properties[key] = read(child, environmentSpecific);
    }
    const additional = node.additionalProperties;
    const items = node.items;
    const itemSchema = isSchema(items) ? resolve(items) : undefined;
    const itemRequired = Array.isArray(itemSchema?.required) ? (itemSchema.required as unknown[]) : [];
    return {
      environmentSpecific,
      properties,
      ...(isSchema(additional) ? { additional: read(additional, environmentSpecific) } : {}),
      logicalKeys: (node.propertyNames as JsonSchema | undefined)?.$ref === LOGICAL_KEY_REF,
      ...(isSchema(items) ? { items: read(items, environmentSpecific) } : {}),
      ...(itemRequired.includes(ITEM_KEY) ? { itemKey: ITEM_KEY } : {}),
    };
  };
  return read(schema, false);
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A free-form value (a bucket policy): promoted as a whole, compared by value. */
const OPAQUE: SchemaShape = { environmentSpecific: false, properties: {}, logicalKeys: false };

/** The shape of `key` inside a mapping shaped `shape`. */
export function childShape(shape: SchemaShape, key: string): SchemaShape {
  return shape.properties[key] ?? shape.additional ?? { ...OPAQUE, environmentSpecific: shape.environmentSpecific };
}

export interface FieldCatalogue {
  /** Settings promotion copies, as `buckets.<key>.lifecycle[].expireAfter` (`*` a free map key, `[]` a list item). */
  promotable: string[];
  /** Fields every environment keeps its own (and everything under them). */
  environmentSpecific: string[];
}

/**
 * Every field of a logical resource, sorted into what promotion copies and what it leaves alone. Outside logical
 * resources (apiVersion, kind, metadata, targets, ignore rules) nothing is promoted: those describe the environment
 * itself, not a resource's policy.
 */
export function catalogueFields(root: SchemaShape): FieldCatalogue {
  const promotable: string[] = [];
  const environmentSpecific: string[] = [];
  const walk = (shape: SchemaShape, path: string, inResource: boolean): void => {
    if (shape.environmentSpecific) {
      environmentSpecific.push(path);
      return;
    }
    const named = Object.entries(shape.properties);
    if (shape.logicalKeys && shape.additional) {
      walk(shape.additional, `${path}.<key>`, true);
      return;
    }
    if (named.length === 0 && !shape.additional && !shape.items) {
      if (inResource) promotable.push(path);
      return;
    }
    for (const [key, child] of named) walk(child, path ? `${path}.${key}` : key, inResource);
    if (shape.additional) walk(shape.additional, `${path}.*`, inResource);
    if (shape.items) walk(shape.items, `${path}[]`, inResource);
  };
  walk(root, '', false);
  return { promotable, environmentSpecific };
}
