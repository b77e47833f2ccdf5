/**
 * WATCH: a chunked stream of `{"type","object"}` lines, from a resourceVersion (replayed from history) or from now
 * (current objects as ADDED first). kubectl uses it to wait for deletions and for `get -w`.
 */
import type { ServerResponse } from 'node:http';
import type { Target } from './api.js';
import { inApiOrder } from './order.js';
import { fieldSelector, labelSelector } from './selectors.js';
import type { KubeObject, ObjectStore, WatchEvent } from './store.js';

export function serveWatch(store: ObjectStore, target: Target, query: URLSearchParams, response: ServerResponse): void {
  const byLabel = labelSelector(query.get('labelSelector'));
  const byField = fieldSelector(query.get('fieldSelector'), target.type.kind);
  const wanted = (event: WatchEvent) =>
    event.resource === target.type &&
    (target.namespace === undefined || event.object.metadata.namespace === target.namespace) &&
    (target.name === undefined || event.object.metadata.name === target.name) &&
    (byLabel?.(event.object) ?? true) &&
    (byField?.(event.object) ?? true);
  const send = (event: WatchEvent) => {
    if (wanted(event)) response.write(`${JSON.stringify({ type: event.type, object: inApiOrder(event.object) })}\n`);
  };

  response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  const from = Number(query.get('resourceVersion') ?? 0);
  if (from > 0) store.changesSince(target.type, from).forEach(send);
  else store.list(target.type, target.namespace).forEach((object: KubeObject) => send({ type: 'ADDED', resource: target.type, object }));
  response.flushHeaders();

  const unsubscribe = store.subscribe(send);
  const timeout = Number(query.get('timeoutSeconds') ?? 0);
  const timer = timeout > 0 ? setTimeout(() => response.end(), timeout * 1000) : undefined;
  response.on('close', () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  });
}
