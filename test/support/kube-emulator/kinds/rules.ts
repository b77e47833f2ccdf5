/** What a kind may add to the common write path: defaults, validation (422), admission (403) and controllers. */
import type { ResourceType } from '../resources.js';
import type { FieldError } from '../status.js';
import type { KubeObject, ObjectStore } from '../store.js';

export interface WriteContext {
  store: ObjectStore;
  type: ResourceType;
  /** The stored object, for updates. */
  old?: KubeObject;
  subresource?: 'status';
  now: Date;
}

export interface KindRules {
  /** Decoding checks that fail with 400 before anything else (e.g. MicroTime precision). */
  decode?(object: KubeObject, type: ResourceType): void;
  /** Defaulting and mutating admission: what the server fills in. */
  defaults?(object: KubeObject, context: WriteContext): void;
  validate?(object: KubeObject, context: WriteContext): FieldError[];
  /** Validating admission, in the apiserver's plugin order; throws a 403 ApiError. */
  admit?(object: KubeObject, context: WriteContext): void;
}

export function spec(object: KubeObject): Record<string, unknown> {
  const value = object.spec;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return (object.spec = {}) as Record<string, unknown>;
}
