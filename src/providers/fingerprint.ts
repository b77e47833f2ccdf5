/**
 * Fingerprints of what was read: sha256 of its canonical JSON, so the same configuration always hashes the same. A
 * plan records them; apply compares them with a fresh read to tell whether what strata manages moved since. Hash
 * what a read returned, never an SDK response envelope: its `$metadata` (a request id) differs on every call.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../model/canonical.js';

export function fingerprintOf(raw: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(raw)).digest('hex')}`;
}
