/** The three non-apply patch formats: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic merge patch. */
import { childPath, isPlainObject, itemPath, listKind } from './schema.js';
import { badRequest, unprocessable } from './status.js';
import { clone } from './store.js';

type Json = unknown;

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`JSON pointer "${path}" must start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(document: Json, tokens: string[], path: string): { parent: Record<string, Json> | Json[]; key: string } {
  let current = document;
  for (const token of tokens.slice(0, -1)) {
    const next = Array.isArray(current) ? current[Number(token)] : isPlainObject(current) ? current[token] : undefined;
    if (next === undefined) throw unprocessable(`doc is missing path: "${path}": missing value`);
    current = next;
  }
  if (!Array.isArray(current) && !isPlainObject(current)) throw unprocessable(`doc is missing path: "${path}": missing value`);
  return { parent: current, key: tokens.at(-1)! };
}

function getAt(document: Json, path: string): Json {
  let current = document;
  for (const token of pointer(path)) {
    current = Array.isArray(current) ? current[Number(token)] : isPlainObject(current) ? current[token] : undefined;
    if (current === undefined) throw unprocessable(`doc is missing path: "${path}": missing value`);
  }
  return current;
}

function removeAt(document: Json, path: string): Json {
  const { parent, key } = parentOf(document, pointer(path), path);
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) throw unprocessable(`doc is missing path: "${path}": missing value`);
    return parent.splice(index, 1)[0];
  }
  if (!Object.hasOwn(parent, key)) throw unprocessable(`doc is missing path: "${path}": missing value`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function addAt(document: Json, path: string, value: Json, replace: boolean): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return clone(value);
  const { parent, key } = parentOf(document, tokens, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length - (replace ? 1 : 0)) {
      throw unprocessable(`add operation does not apply: doc is missing path: "${path}": missing value`);
    }
    parent.splice(index, replace ? 1 : 0, clone(value));
  } else {
    if (replace && !Object.hasOwn(parent, key)) throw unprocessable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[key] = clone(value);
  }
  return document;
}

export function applyJsonPatch(document: Json, body: Json): Json {
  if (!Array.isArray(body)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let result = clone(document);
  for (const operation of body as Operation[]) {
    switch (operation.op) {
      case 'add':
        result = addAt(result, operation.path, operation.value, false);
        break;
      case 'replace':
        result = addAt(result, operation.path, operation.value, true);
        break;
      case 'remove':
        removeAt(result, operation.path);
        break;
      case 'move':
        result = addAt(result, operation.path, removeAt(result, operation.from ?? ''), false);
        break;
      case 'copy':
        result = addAt(result, operation.path, getAt(result, operation.from ?? ''), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(result, operation.path)) !== JSON.stringify(operation.value)) {
          throw unprocessable(`testing value ${operation.path} failed: test failed`);
        }
        break;
      default:
        throw unprocessable(`Unexpected kind: ${operation.op}`);
    }
  }
  return result;
}

export function applyMergePatch(document: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return clone(patch);
  const result: Record<string, Json> = isPlainObject(document) ? clone(document) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** Strategic merge patch with the directives kubectl sends: $patch, $retainKeys, $setElementOrder, $deleteFromPrimitiveList. */
export function applyStrategicMergePatch(document: Json, patch: Json, schemaPath = ''): Json {
  if (!isPlainObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const result: Record<string, Json> = isPlainObject(document) ? clone(document) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      const doomed = (value as Json[]).map((entry) => JSON.stringify(entry));
      const list = result[field];
      if (Array.isArray(list)) result[field] = list.filter((entry) => !doomed.includes(JSON.stringify(entry)));
      continue;
    }
    const path = childPath(schemaPath, key);
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(result[key], value, path);
    else {
      const merged = applyStrategicMergePatch(result[key], value, path);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    for (const key of Object.keys(result)) if (!(patch.$retainKeys as Json[]).includes(key)) delete result[key];
  }
  return result;
}

function mergeList(current: Json, patch: Json[], schemaPath: string): Json[] {
  const kind = listKind(schemaPath);
  const existing = Array.isArray(current) ? clone(current) : [];
  if (kind.type === 'atomic' || patch.some((item) => isPlainObject(item) && item.$patch === 'replace')) {
    return clone(patch.filter((item) => !(isPlainObject(item) && item.$patch === 'replace')));
  }
  if (kind.type === 'set') {
    for (const item of patch) if (!existing.some((entry) => JSON.stringify(entry) === JSON.stringify(item))) existing.push(clone(item));
    return existing;
  }
  // Strategic merge keys items by the first key only (patchMergeKey), e.g. containerPort for ports.
  const mergeKey = kind.keys[0]!;
  for (const item of patch) {
    if (!isPlainObject(item)) continue;
    const index = existing.findIndex((entry) => isPlainObject(entry) && entry[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index >= 0) existing.splice(index, 1);
    } else if (index < 0) existing.push(applyStrategicMergePatch({}, item, itemPath(schemaPath)));
    else existing[index] = applyStrategicMergePatch(existing[index], item, itemPath(schemaPath));
  }
  return existing;
}
