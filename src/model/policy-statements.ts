/**
 * Which statements of a bucket policy are strata's. S3 keeps one policy document per bucket that other writers edit
 * too (`aws s3api put-bucket-policy`), so strata claims statements by Sid: the ones carrying its prefix (it names every
 * declared statement that has no Sid that way) and the ones whose Sid the environment file declares. Every other
 * statement, one without a Sid included, is someone else's and is kept as found. The S3 provider splits what it reads
 * with this rule and the planner claims what the file declares with it, so the two cannot disagree.
 */
import type { BucketPolicySpec } from './resources.js';

/**
 * Letters only, no separator: IAM allows only A-Z, a-z and 0-9 in a Sid, and an S3-compatible server that validates
 * policies may hold bucket policies to the same rule.
 */
export const STRATA_SID_PREFIX = 'strata';

export type PolicyStatement = Record<string, unknown>;

/** A document's statements as a list (a lone Statement object is a list of one). */
export function policyStatements(document: Record<string, unknown> | undefined): PolicyStatement[] {
  const statements = document?.Statement;
  if (statements === undefined) return [];
  return (Array.isArray(statements) ? statements : [statements]) as PolicyStatement[];
}

/** A statement's Sid; an empty one is none. */
export function statementSid(statement: PolicyStatement): string | undefined {
  return typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : undefined;
}

export function statementSids(document: Record<string, unknown> | undefined): Set<string> {
  return new Set(policyStatements(document).flatMap((statement) => statementSid(statement) ?? []));
}

export function isStrataStatement(statement: PolicyStatement, declaredSids: ReadonlySet<string>): boolean {
  const sid = statementSid(statement);
  return sid !== undefined && (sid.startsWith(STRATA_SID_PREFIX) || declaredSids.has(sid));
}

/**
 * A live policy split into what strata manages (`document`: the document's other members, Version and Id, with
 * strata's statements) and the statements it keeps as found (absent when there are none).
 */
export function splitPolicy(document: Record<string, unknown>, declaredSids: ReadonlySet<string>): BucketPolicySpec {
  const statements = policyStatements(document);
  const managed = statements.filter((statement) => isStrataStatement(statement, declaredSids));
  const unmanaged = statements.filter((statement) => !isStrataStatement(statement, declaredSids));
  return {
    document: { ...document, Statement: managed },
    ...(unmanaged.length > 0 ? { unmanagedStatements: unmanaged } : {}),
  };
}
