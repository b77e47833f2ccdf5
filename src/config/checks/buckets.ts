/** Bucket settings S3 would refuse or regret: object lock without versioning, lifecycle rules out of order. */
import type { LifecycleRuleDeclaration } from '../../model/environment.js';
import { statementSid, type PolicyStatement } from '../../model/policy-statements.js';
import type { S3StorageClass } from '../../model/resources.js';
import { parseDays } from '../../model/duration.js';
import { parseQuantity, type Quantity } from '../../model/quantity.js';
import { childPointer, pointer } from '../pointer.js';
import { type Check, type Finding, backquoted, entries, error, items, warning } from './check.js';

/** The most rules a bucket's lifecycle configuration may hold, on AWS and on Ceph RGW (`rgw_lc_max_rules`). */
const MAX_LIFECYCLE_RULES = 1000;

/** Rule ids strata writes for backups (`backup-keep-<backup>`); declared rules may not use them. */
export const BACKUP_RULE_PREFIX = 'backup-keep-';

/** Days an object is billed for at least once it enters a class (early-deletion fees before that). */
const MINIMUM_STORAGE_DAYS: Partial<Record<S3StorageClass, number>> = {
  STANDARD_IA: 30,
  ONEZONE_IA: 30,
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};
const INFREQUENT_ACCESS: S3StorageClass[] = ['STANDARD_IA', 'ONEZONE_IA'];
const INFREQUENT_ACCESS_MINIMUM_DAYS = 30;

export const checkBucketSettings: Check = ({ document, accepted }) =>
  entries(document.buckets).flatMap(([key, bucket]) => {
    const path = pointer('buckets', key);
    const findings: Finding[] = [];
    if (bucket.objectLock && accepted(`${path}/objectLock`)) {
      if (bucket.versioning === false) {
        findings.push(
          error(
            `${path}/versioning`,
            'object lock needs versioning; S3 cannot lock objects in a bucket with versioning off: write `versioning: true`',
          ),
        );
      }
      if (bucket.objectLock.days !== undefined && bucket.objectLock.years !== undefined) {
        findings.push(
          error(
            `${path}/objectLock`,
            'objectLock sets both days and years; S3 takes one default retention: keep one of them',
            'key',
          ),
        );
      }
      if (bucket.objectLock.mode === 'COMPLIANCE') {
        findings.push(
          warning(
            `${path}/objectLock/mode`,
            'COMPLIANCE retention cannot be shortened or lifted by anyone, root included, until it ends; use GOVERNANCE unless a regulation demands it',
          ),
        );
      }
    }
    if (bucket.kmsKeyId !== undefined && bucket.encryption !== 'aws:kms' && accepted(`${path}/kmsKeyId`)) {
      findings.push(
        error(`${path}/kmsKeyId`, 'kmsKeyId is only used with `encryption: aws:kms`; set that or remove kmsKeyId'),
      );
    }
    if (bucket.policy && accepted(`${path}/policy`)) {
      findings.push(
        ...statementsThatAreNot(`${path}/policy`, bucket.policy),
        ...repeatedSids(`${path}/policy`, bucket.policy),
      );
    }
    return findings;
  });

/** The planner reads every statement as a mapping, as S3 does; the schema leaves the policy document free-form. */
function statementsThatAreNot(path: string, policy: Record<string, unknown>): Finding[] {
  const statements = policy.Statement;
  if (statements === undefined) return [];
  const isMapping = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  const message =
    'a policy statement is a mapping of Effect, Principal, Action and Resource (and a Sid); write this one as one';
  if (!Array.isArray(statements)) return isMapping(statements) ? [] : [error(childPointer(path, 'Statement'), message)];
  return statements.flatMap((statement: unknown, index) =>
    isMapping(statement) ? [] : [error(childPointer(path, 'Statement', index), message)],
  );
}

/** strata tells its policy statements from other writers' by Sid, so two declared statements cannot share one. */
function repeatedSids(path: string, policy: Record<string, unknown>): Finding[] {
  if (!Array.isArray(policy.Statement)) return [];
  const seen = new Set<string>();
  return policy.Statement.flatMap((statement: unknown, index) => {
    const sid =
      typeof statement === 'object' && statement !== null ? statementSid(statement as PolicyStatement) : undefined;
    if (sid === undefined) return [];
    const repeated = seen.has(sid);
    seen.add(sid);
    return repeated
      ? [
          error(
            childPointer(path, 'Statement', index, 'Sid'),
            `statement Sid \`${sid}\` is used twice in this policy; give each statement its own Sid`,
          ),
        ]
      : [];
  });
}

export const checkLifecycle: Check = ({ document, accepted }) => {
  const findings: Finding[] = [];
  const backupRules = backupRuleOwners(document);
  for (const [bucketKey, bucket] of entries(document.buckets)) {
    const seen = new Set<string>();
    items(bucket.lifecycle).forEach((rule, index) => {
      const path = pointer('buckets', bucketKey, 'lifecycle', index);
      if (!accepted(path)) return;
      if (seen.has(rule.id))
        findings.push(
          error(`${path}/id`, `rule id \`${rule.id}\` is used twice in this bucket; give each rule its own id`),
        );
      seen.add(rule.id);
      if (rule.id.startsWith(BACKUP_RULE_PREFIX)) {
        findings.push(
          error(
            `${path}/id`,
            `rule ids starting with \`${BACKUP_RULE_PREFIX}\` are reserved for the expiration rules of backups; rename the rule`,
          ),
        );
      }
      findings.push(...ruleFindings(path, rule));
    });
    const declaredRules = items(bucket.lifecycle).length;
    const backupRuleCount = backupRules.get(bucketKey)?.size ?? 0;
    if (declaredRules + backupRuleCount > MAX_LIFECYCLE_RULES && accepted(pointer('buckets', bucketKey))) {
      findings.push(
        error(
          pointer('buckets', bucketKey),
          `bucket \`${bucketKey}\` would have ${declaredRules + backupRuleCount} lifecycle rules (${declaredRules} declared, ${backupRuleCount} keeping the copies of the backups that write to it, one each); S3 allows ${MAX_LIFECYCLE_RULES} in a bucket, and AWS and Ceph RGW refuse the whole configuration beyond that: send some of these backups to another bucket`,
          'key',
        ),
      );
    }
    for (const [ruleId, owners] of backupRules.get(bucketKey) ?? []) {
      if (owners.length < 2) continue;
      for (const owner of owners.slice(1)) {
        findings.push(
          error(
            owner,
            `another backup named like this one writes to bucket \`${bucketKey}\` (${owners[0]}), so both would need lifecycle rule \`${ruleId}\`; give one of them another key`,
            'key',
          ),
        );
      }
    }
  }
  return findings;
};

/** bucket key → backup rule id → paths of the backups that would own it. */
function backupRuleOwners(document: Parameters<Check>[0]['document']): Map<string, Map<string, string[]>> {
  const owners = new Map<string, Map<string, string[]>>();
  for (const [namespaceKey, namespace] of entries(document.namespaces)) {
    for (const [backupKey, backup] of entries(namespace.backups)) {
      const bucket = backup?.destination?.bucket;
      if (typeof bucket !== 'string') continue;
      const rules = owners.get(bucket) ?? new Map<string, string[]>();
      const id = `${BACKUP_RULE_PREFIX}${backupKey}`;
      rules.set(id, [...(rules.get(id) ?? []), pointer('namespaces', namespaceKey, 'backups', backupKey)]);
      owners.set(bucket, rules);
    }
  }
  return owners;
}

interface Step {
  days: number;
  storageClass: S3StorageClass;
  path: string;
}

function ruleFindings(path: string, rule: LifecycleRuleDeclaration): Finding[] {
  const findings: Finding[] = [];
  const days = (field: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const parsed = parseDays(text);
    if (parsed.ok) return parsed.days;
    findings.push(error(childPointer(path, ...field.split('/')), backquoted(parsed.message)));
    return undefined;
  };
  const steps = (field: 'transitions' | 'noncurrentTransitions'): Step[] =>
    items(rule[field]).flatMap((transition, index) => {
      const parsed = days(`${field}/${index}/after`, transition.after);
      return parsed === undefined
        ? []
        : [{ days: parsed, storageClass: transition.storageClass, path: childPointer(path, field, index, 'after') }];
    });
  const transitions = steps('transitions');
  const noncurrentTransitions = steps('noncurrentTransitions');
  const expiration = days('expireAfter', rule.expireAfter);
  const noncurrentExpiration = days('noncurrentExpireAfter', rule.noncurrentExpireAfter);
  const abort = days('abortIncompleteUploadsAfter', rule.abortIncompleteUploadsAfter);
  const hasAction =
    items(rule.transitions).length > 0 ||
    items(rule.noncurrentTransitions).length > 0 ||
    rule.expireAfter !== undefined ||
    rule.noncurrentExpireAfter !== undefined ||
    rule.abortIncompleteUploadsAfter !== undefined ||
    rule.expiredObjectDeleteMarker === true;
  if (!hasAction) {
    findings.push(
      error(
        path,
        `rule \`${rule.id}\` does nothing; add transitions, expireAfter, noncurrentExpireAfter or abortIncompleteUploadsAfter`,
      ),
    );
  }
  if (rule.expiredObjectDeleteMarker === true && rule.expireAfter !== undefined) {
    findings.push(
      error(
        `${path}/expiredObjectDeleteMarker`,
        'S3 takes expiredObjectDeleteMarker or expireAfter in one rule, not both; move one into its own rule',
      ),
    );
  }
  if (abort === 0)
    findings.push(error(`${path}/abortIncompleteUploadsAfter`, 'abortIncompleteUploadsAfter must be at least 1d'));
  findings.push(...sizeFindings(path, rule));
  findings.push(...tierFindings(transitions, expiration, `${path}/expireAfter`, 'expireAfter'));
  findings.push(
    ...tierFindings(
      noncurrentTransitions,
      noncurrentExpiration,
      `${path}/noncurrentExpireAfter`,
      'noncurrentExpireAfter',
    ),
  );
  return findings;
}

const NANOS_PER_BYTE = 10n ** 9n;
/** S3 filters on whole bytes, sent as a number: past 2^53 (8Pi) a double no longer holds every whole number. */
const MAX_SIZE_NANOS = 2n ** 53n * NANOS_PER_BYTE;

/** largerThan and smallerThan: whole, positive byte counts, and a range some object can fall into. */
function sizeFindings(path: string, rule: LifecycleRuleDeclaration): Finding[] {
  const findings: Finding[] = [];
  const size = (field: 'largerThan' | 'smallerThan'): Quantity | undefined => {
    const text = rule[field];
    if (text === undefined) return undefined;
    const at = `${path}/${field}`;
    const parsed = parseQuantity(text);
    if (!parsed.ok) {
      findings.push(error(at, backquoted(parsed.message)));
      return undefined;
    }
    const { nanos } = parsed.quantity;
    if (nanos <= 0n) {
      findings.push(error(at, `${field} must be more than 0 bytes; write a size such as 1Mi, or remove ${field}`));
    } else if (nanos % NANOS_PER_BYTE !== 0n) {
      findings.push(error(at, `${field} \`${text}\` is not a whole number of bytes; write one, e.g. 512 or 1Ki`));
    } else if (nanos > MAX_SIZE_NANOS) {
      findings.push(error(at, `${field} \`${text}\` is more bytes than S3 can filter on; write at most 8Pi`));
    } else {
      return parsed.quantity;
    }
    return undefined;
  };
  const larger = size('largerThan');
  const smaller = size('smallerThan');
  if (larger && smaller && smaller.nanos <= larger.nanos) {
    findings.push(
      error(
        `${path}/smallerThan`,
        `no object is larger than \`${rule.largerThan}\` and smaller than \`${rule.smallerThan}\`; write a smallerThan above largerThan (or swap them)`,
      ),
    );
  }
  return findings;
}

/** A sequence of transitions and an optional expiration: ascending, with S3's minimums, without early-deletion fees. */
function tierFindings(
  steps: Step[],
  expiration: number | undefined,
  expirationPath: string,
  expirationField: string,
): Finding[] {
  const findings: Finding[] = [];
  steps.forEach((step, index) => {
    if (INFREQUENT_ACCESS.includes(step.storageClass) && step.days < INFREQUENT_ACCESS_MINIMUM_DAYS) {
      findings.push(
        error(
          step.path,
          `S3 moves objects to ${step.storageClass} no sooner than ${INFREQUENT_ACCESS_MINIMUM_DAYS} days; write \`after: 30d\` or later`,
        ),
      );
    }
    const previous = steps[index - 1];
    if (!previous) return;
    if (step.days <= previous.days) {
      findings.push(
        error(
          step.path,
          `transitions must be in ascending order of age: ${step.days}d is not after ${previous.days}d (${previous.storageClass}); move it later or reorder them`,
        ),
      );
    } else if (
      INFREQUENT_ACCESS.includes(previous.storageClass) &&
      step.days - previous.days < INFREQUENT_ACCESS_MINIMUM_DAYS
    ) {
      findings.push(
        error(
          step.path,
          `objects must stay ${INFREQUENT_ACCESS_MINIMUM_DAYS} days in ${previous.storageClass} before the next transition; write \`after: ${previous.days + INFREQUENT_ACCESS_MINIMUM_DAYS}d\` or later`,
        ),
      );
    } else {
      findings.push(
        ...earlyDeletion(previous, step.days, step.path, `moving to ${step.storageClass} at ${step.days}d`),
      );
    }
  });
  const last = steps.at(-1);
  if (expiration === undefined || !last) return findings;
  if (expiration <= last.days) {
    findings.push(
      error(
        expirationPath,
        `${expirationField} ${expiration}d is not after the last transition (${last.storageClass} at ${last.days}d); expire later or drop the transition`,
      ),
    );
  } else {
    findings.push(...earlyDeletion(last, expiration, expirationPath, `expiring at ${expiration}d`));
  }
  return findings;
}

function earlyDeletion(step: Step, leaveDay: number, path: string, what: string): Finding[] {
  const minimum = MINIMUM_STORAGE_DAYS[step.storageClass] ?? 0;
  const stay = leaveDay - step.days;
  if (stay >= minimum) return [];
  return [
    warning(
      path,
      `${what} leaves objects only ${stay} days in ${step.storageClass}, which bills at least ${minimum} days (early-deletion fee); make it ${step.days + minimum}d or later`,
    ),
  ];
}
