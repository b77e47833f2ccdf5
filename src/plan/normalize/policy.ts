/**
 * A bucket policy as AWS reads it, so two documents that grant the same thing compare equal: key order is
 * irrelevant, a single-element list equals its only element (Action, Resource, Principal, Condition values), a lone
 * Statement object equals a list of one, `{"AWS": "*"}` equals `"*"`, and statement order does not matter.
 */
import { canonicalJson, canonicalize, isPlainObject } from '../canonical.js';

const LIST_FIELDS = ['Action', 'NotAction', 'Resource', 'NotResource'];
const PRINCIPAL_FIELDS = ['Principal', 'NotPrincipal'];

export function normalizePolicyDocument(document: Record<string, unknown>): Record<string, unknown> {
  const normalized: Record<string, unknown> = { ...document };
  if (document.Statement !== undefined) {
    const statements = asList(document.Statement).map((statement) => canonicalJson(normalizeStatement(statement)));
    normalized.Statement = statements.sort().map((json) => JSON.parse(json) as unknown);
  }
  return canonicalize(normalized);
}

function normalizeStatement(statement: unknown): unknown {
  if (!isPlainObject(statement)) return statement;
  const normalized: Record<string, unknown> = { ...statement };
  for (const field of LIST_FIELDS) {
    if (field in normalized) normalized[field] = collapseList(normalized[field]);
  }
  for (const field of PRINCIPAL_FIELDS) {
    if (field in normalized) normalized[field] = normalizePrincipal(normalized[field]);
  }
  if (isPlainObject(normalized.Condition)) {
    normalized.Condition = Object.fromEntries(
      Object.entries(normalized.Condition).map(([operator, keys]) => [
        operator,
        isPlainObject(keys) ? Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, collapseList(value)])) : keys,
      ]),
    );
  }
  return normalized;
}

function normalizePrincipal(principal: unknown): unknown {
  if (!isPlainObject(principal)) return collapseList(principal);
  const entries = Object.entries(principal).map(([type, value]) => [type, collapseList(value)] as const);
  if (entries.length === 1 && entries[0]?.[0] === 'AWS' && entries[0][1] === '*') return '*';
  return Object.fromEntries(entries);
}

/** Sorted, without repeats, and a single element unwrapped: the order of a policy list has no meaning. */
function collapseList(value: unknown): unknown {
  const items = asList(value);
  if (!items.every((item): item is string => typeof item === 'string')) return value;
  const unique = [...new Set(items)].sort();
  return unique.length === 1 ? unique[0] : unique;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Whether any statement allows everyone (`"Principal": "*"`), the widening a reviewer must see. */
export function allowsEveryone(document: Record<string, unknown> | undefined): boolean {
  if (document === undefined) return false;
  const statements = normalizePolicyDocument(document).Statement;
  return asList(statements ?? []).some(
    (statement) => isPlainObject(statement) && statement.Effect === 'Allow' && statement.Principal === '*',
  );
}
