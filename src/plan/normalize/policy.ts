/**
 * A bucket policy as AWS reads it, so two documents that grant the same thing compare equal: key order is
 * irrelevant, a single-element list equals its only element (Action, Resource, Principal, Condition values), a lone
 * Statement object equals a list of one, `{"AWS": "*"}` equals `"*"`, and statement order and repeats do not matter.
 */
import { createHash } from 'node:crypto';
import {
  STRATA_SID_PREFIX,
  policyStatements,
  statementSid,
  type PolicyStatement,
} from '../../model/policy-statements.js';
import { canonicalJson, canonicalize, isPlainObject } from '../../model/canonical.js';

const LIST_FIELDS = ['Action', 'NotAction', 'Resource', 'NotResource'];
const PRINCIPAL_FIELDS = ['Principal', 'NotPrincipal'];

export function normalizePolicyDocument(document: Record<string, unknown>): Record<string, unknown> {
  const normalized: Record<string, unknown> = { ...document };
  if (document.Statement !== undefined) normalized.Statement = normalizeStatements(policyStatements(document));
  return canonicalize(normalized);
}

/** Statements in a fixed order (by their canonical JSON), each once. */
export function normalizeStatements(statements: readonly unknown[]): PolicyStatement[] {
  const unique = new Set(statements.map((statement) => canonicalJson(normalizeStatement(statement))));
  return [...unique].sort().map((json) => JSON.parse(json) as PolicyStatement);
}

/** Every statement of a declared document named: one without a Sid gets strata's name for it (`strataSid`). */
export function nameStatements(document: Record<string, unknown>): Record<string, unknown> {
  if (document.Statement === undefined) return document;
  const named = policyStatements(document).map((statement) =>
    !isPlainObject(statement) || statementSid(statement) !== undefined
      ? statement
      : { ...statement, Sid: strataSid(statement) },
  );
  return { ...document, Statement: named };
}

/**
 * The Sid strata writes for a declared statement that has none: its prefix and a hash of the statement's normalized
 * content. Content rather than position, because a position shifts whenever a statement is added or removed before
 * it (every later statement would then read as replaced), while a content hash stays put when other statements change
 * or the list is reordered (order means nothing in a policy). Editing a statement without a Sid therefore reads as
 * removing one statement and adding another: a statement you expect to edit deserves a Sid of its own.
 */
export function strataSid(statement: PolicyStatement): string {
  const content = Object.fromEntries(Object.entries(statement).filter(([key]) => key !== 'Sid'));
  const hash = createHash('sha256')
    .update(canonicalJson(normalizeStatement(content)))
    .digest('hex');
  return `${STRATA_SID_PREFIX}${hash.slice(0, 16)}`;
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
        isPlainObject(keys)
          ? Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, collapseList(value)]))
          : keys,
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

/** What a statement is about, for people: `s3:GetObject, s3:ListBucket`, or `everything but s3:DeleteObject`. */
export function statementActions(statement: PolicyStatement): string {
  const listed = (value: unknown) => [value].flat().map(String).join(', ');
  if (statement.Action !== undefined) return listed(statement.Action);
  return statement.NotAction === undefined ? 'no action' : `everything but ${listed(statement.NotAction)}`;
}

/** Whether a normalized statement allows everyone (`"Principal": "*"`), the widening a reviewer must see. */
export function allowsEveryone(statement: PolicyStatement): boolean {
  return statement.Effect === 'Allow' && statement.Principal === '*';
}
