/**
 * Where a live object differs from what strata wrote, for the parts its spec does not read back (a backup Job's
 * scripts, mounts and settings). Only what strata writes is compared: fields the API server defaults, and items other
 * writers append to a list, are theirs. Items of a list of named objects (containers, env) pair by name.
 */
import { formatKey } from '../../model/attribute-path.js';
import { deepEqual, isPlainObject } from '../../model/canonical.js';

/** Paths in `written` whose value `live` does not hold, such as `spec.template.spec.containers[backup].args`. */
export function editsOf(written: unknown, live: unknown, path = ''): string[] {
  if (isPlainObject(written)) {
    if (!isPlainObject(live)) return [path];
    return Object.keys(written).flatMap((key) => editsOf(written[key], live[key], formatKey(path, key)));
  }
  if (Array.isArray(written) && written.every(isNamed)) {
    if (!Array.isArray(live)) return [path];
    const liveByName = new Map(live.filter(isNamed).map((item) => [item.name, item]));
    return written.flatMap((item) => editsOf(item, liveByName.get(item.name), `${path}[${item.name}]`));
  }
  return deepEqual(written, live) ? [] : [path];
}

function isNamed(item: unknown): item is { name: string } {
  return isPlainObject(item) && typeof item.name === 'string';
}
