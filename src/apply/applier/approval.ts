/**
 * Apply approves, it does not trust: each step of a saved plan is carried out only if the planner, run again on the
 * same desired files and the live state of now, derives the same change for its address. The saved change is what a
 * person approved; the re-derived one is what the planner's rules say now (its risks, its blocked verdict), and only
 * when the two agree is the re-derived one executed.
 */
import type { Action, AttributeChange, Change } from '../../model/plan.js';
import type { AnySpec } from '../../model/resources.js';
import { deepEqual } from '../../model/canonical.js';
import { diffSpecs } from '../../plan/index.js';
import { showValue } from './convergence.js';

/**
 * What the plan made now says of a change a person approved (not to be confused with `ApprovalDecision`, a person's
 * answer in step-through mode).
 */
export type RederivedApproval =
  /** The re-derived change, to execute: same action, `after` and attributes as the approved one. */
  | { approved: true; change: Change }
  /** For people: what differs, as `planned update, now no-op`. */
  | { approved: false; differs: string };

/** What a plan can say of a setting inside a parent it creates or adopts: it saw nothing there, or nothing of strata's. */
const INSIDE_NEW_PARENT: ReadonlySet<Action> = new Set(['create', 'adopt']);
/** Actions that write the value of `after`. */
const WRITES: ReadonlySet<Action> = new Set(['create', 'update', 'adopt']);

/**
 * Compares the change a person approved with the one derived now (undefined: the planner has nothing to say about the
 * address any more, as it is neither declared nor owned). On a resume, what an earlier run of the same plan sent
 * explains some differences, and writing the same value is then what was approved:
 * - `sentEarlier`: this step's create went out but was not seen through; it may have landed before the object was
 *   marked as strata's, which the planner now calls an adopt;
 * - `parentSentEarlier`: an earlier run created or adopted the parent, so what a setting shows now came with the
 *   parent (a new bucket's versioning, object lock, owner tags), which the plan could not see.
 */
export function approvalOf(
  planned: Change,
  now: Change | undefined,
  options: { sentEarlier: boolean; parentSentEarlier: boolean },
): RederivedApproval {
  if (now === undefined)
    return {
      approved: false,
      differs: `planned ${planned.action}, now nothing: it is neither declared nor owned by strata`,
    };
  const same =
    now.action === planned.action &&
    deepEqual(planned.after, now.after) &&
    deepEqual(planned.attributes, now.attributes);
  if (same) return { approved: true, change: now };
  // The delete half of a replacement already happened: what is left is creating the same object.
  if (planned.action === 'replace' && now.action === 'create' && writesSame(planned, now))
    return { approved: true, change: now };
  if (options.sentEarlier && planned.action === 'create' && now.action === 'adopt' && writesSame(planned, now))
    return { approved: true, change: now };
  if (
    options.parentSentEarlier &&
    INSIDE_NEW_PARENT.has(planned.action) &&
    WRITES.has(now.action) &&
    writesSame(planned, now)
  ) {
    return { approved: true, change: now };
  }
  return { approved: false, differs: describeDifference(planned, now) };
}

/**
 * Two changes of different actions write the same: the planner's comparison finds no difference in what strata
 * manages, and they keep the same things as found (a create keeps nothing; an update of a new bucket's setting
 * should not either).
 */
function writesSame(planned: Change, now: Change): boolean {
  const managed = diffSpecs(planned.address.kind, planned.after as AnySpec, now.after as AnySpec);
  return managed.length === 0 && deepEqual(planned.preserved ?? [], now.preserved ?? []);
}

function describeDifference(planned: Change, now: Change): string {
  if (now.action === 'blocked')
    return `planned ${planned.action}, now blocked: ${now.reason ?? 'the planner refuses it'}`;
  if (now.action !== planned.action) {
    const attributes = now.attributes.length > 0 ? `: ${now.attributes.map(attributeText).join(', ')}` : '';
    const kept =
      now.preserved !== undefined && now.preserved.length > 0 ? `, keeping ${now.preserved.join(', ')} as found` : '';
    return `planned ${planned.action}, now ${now.action}${attributes}${kept}`;
  }
  const differing = attributePaths(planned.attributes, now.attributes).filter(
    (path) => !deepEqual(attributeAt(planned.attributes, path), attributeAt(now.attributes, path)),
  );
  if (differing.length > 0) {
    return differing
      .map(
        (path) =>
          `${path} planned ${sides(attributeAt(planned.attributes, path))}, now ${sides(attributeAt(now.attributes, path))}`,
      )
      .join('; ');
  }
  const paths = diffSpecs(planned.address.kind, planned.after as AnySpec, now.after as AnySpec).map(
    (attribute) => attribute.path,
  );
  if (paths.length > 0) return `it would now write something else at ${paths.join(', ')}`;
  return `what it keeps as found differs: planned ${listOrNone(planned.preserved)}, now ${listOrNone(now.preserved)}`;
}

function attributePaths(...lists: AttributeChange[][]): string[] {
  return [...new Set(lists.flat().map((attribute) => attribute.path))];
}

function attributeAt(attributes: AttributeChange[], path: string): AttributeChange | undefined {
  return attributes.find((attribute) => attribute.path === path);
}

function attributeText(attribute: AttributeChange): string {
  return `${attribute.path} ${sides(attribute)}`;
}

function sides(attribute: AttributeChange | undefined): string {
  return attribute === undefined ? 'no change' : `${showValue(attribute.before)} → ${showValue(attribute.after)}`;
}

function listOrNone(entries: string[] | undefined): string {
  return entries !== undefined && entries.length > 0 ? entries.join(', ') : 'nothing';
}
