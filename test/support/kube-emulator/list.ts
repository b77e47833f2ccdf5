/**
 * LIST: selectors, then `limit`/`continue` pages served as of the first page's resourceVersion. The continue token is
 * the apiserver's shape (base64 of {"v","rv","start"}); clients must treat it as opaque.
 */
import { apiVersionOf, type ResourceType } from './resources.js';
import { fieldSelector, labelSelector } from './selectors.js';
import { badRequest } from './status.js';
import type { KubeObject, ObjectStore } from './store.js';

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

const sortKey = (object: KubeObject) => `${object.metadata.namespace ?? ''}/${object.metadata.name}`;

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  const invalid = (why: string) => badRequest(`invalid continue token: continue key is not valid: ${why}`);
  const badByte = text.search(/[^A-Za-z0-9_-]/);
  if (badByte >= 0) throw invalid(`illegal base64 data at input byte ${badByte}`);
  let token: Partial<ContinueToken>;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ContinueToken>;
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (token.v !== 'meta.k8s.io/v1') throw invalid('server does not recognize this encoded version');
  if (typeof token.rv !== 'number' || token.rv <= 0) throw invalid(`incorrect encoded start resourceVersion (version meta.k8s.io/v1)`);
  if (typeof token.start !== 'string' || token.start === '') throw invalid('encoded value has no start key');
  return token as ContinueToken;
}

/** Built-in list items carry no kind/apiVersion; custom resource items keep them (as the CRD handler serves them). */
function asListItem(type: ResourceType, object: KubeObject): KubeObject {
  if (type.custom) return object;
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
  return rest as KubeObject;
}

export function listBody(store: ObjectStore, type: ResourceType, namespace: string | undefined, query: URLSearchParams): Record<string, unknown> {
  const byLabel = labelSelector(query.get('labelSelector'));
  const byField = fieldSelector(query.get('fieldSelector'), type.kind);
  const limit = Number(query.get('limit') ?? 0);
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`limit: Invalid value: ${query.get('limit')}: must be a non-negative integer`);
  const continueText = query.get('continue');
  const token = continueText ? decodeContinue(continueText) : undefined;
  const asOf = token?.rv ?? store.resourceVersion;

  let objects = store.list(type, namespace, asOf).filter((object) => (byLabel?.(object) ?? true) && (byField?.(object) ?? true));
  if (token) objects = objects.filter((object) => sortKey(object) >= token.start);

  const page = limit > 0 ? objects.slice(0, limit) : objects;
  const metadata: Record<string, unknown> = { resourceVersion: String(asOf) };
  const rest = objects.length - page.length;
  if (rest > 0) {
    const next = objects[page.length]!;
    metadata.continue = encodeContinue({ v: 'meta.k8s.io/v1', rv: asOf, start: sortKey(next) });
    if (!byLabel && !byField) metadata.remainingItemCount = rest;
  }
  return { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata, items: page.map((object) => asListItem(type, object)) };
}
