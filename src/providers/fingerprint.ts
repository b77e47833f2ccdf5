/**
 * Fingerprints of what was read: sha256 of JSON with sorted keys, so the same configuration always hashes the same. A
 * plan records them; apply compares them with a fresh read to tell whether what strata manages moved since.
 */
import { createHash } from 'node:crypto';

function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function fingerprintOf(raw: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(raw)).digest('hex')}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((key) => key !== '$metadata' && (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
