/**
 * What every plan renderer shows, worked out once from the versioned plan: changes in display order with the
 * attributes to list (each as `attribute-view.ts` words it), risks ranked, the no-op count. Renderers only lay this
 * out, so they cannot disagree.
 */
import type { CapabilityReport } from '../model/resources.js';
import type { Action, AttributeChange, Change, Plan, PlanSummary, Risk } from '../model/plan.js';
import { canonicalize } from '../model/canonical.js';
import { plural } from '../model/words.js';
import { isWholeValue } from '../plan/diff.js';
import { compareRiskRank } from '../plan/risks.js';
import { viewAttribute, type AttributeView } from './attribute-view.js';
import { CAPABILITY_WORDS, compareChangesForDisplay, displayName } from './names.js';

export interface ChangeView {
  change: Change;
  name: string;
  attributes: AttributeView[];
}

export interface RiskView {
  risk: Risk;
  /** Display name of the resource the risk belongs to. */
  resource: string;
}

export interface PlanView {
  /** Changed resources (everything but no-op), in display order. */
  changes: ChangeView[];
  risks: RiskView[];
  unchanged: number;
  /** Resources that exist live (every change except a create). */
  observed: number;
  /** One note per optional capability the servers lack or have not shown, however many changes wait for it. */
  capabilityNotes: string[];
}

export function viewPlan(plan: Plan): PlanView {
  const sorted = [...plan.changes].sort(compareChangesForDisplay);
  const changes = sorted.filter((change) => change.action !== 'no-op').map(viewChange);
  const risks = sorted
    .flatMap((change) => change.risks.map((risk) => ({ risk, resource: displayName(change.address) })))
    .sort((a, b) => compareRiskRank(a.risk, b.risk));
  return {
    changes,
    risks,
    unchanged: plan.changes.length - changes.length,
    observed: plan.changes.filter((change) => change.action !== 'create').length,
    capabilityNotes: plan.capabilities
      .filter((report) => !report.supported)
      .map((report) => capabilityNote(plan, report)),
  };
}

/**
 * What the server said, then what it means for the plan: the changes that wait for the capability, whether they count
 * for --detailed-exitcode, and the setting that accepts a server's lasting limitation.
 */
function capabilityNote(plan: Plan, { capability, detail }: CapabilityReport): string {
  const words = CAPABILITY_WORDS[capability];
  const said = `${words.name}: ${detail}`;
  const waiting = plan.changes.filter((change) => change.needsCapability === capability).length;
  if (waiting === 0) return said;
  const file = plan.desiredFiles.join(', ') || 'the environment file';
  const blocked = `${said}. It is blocked on ${plural(waiting, words.needer)}`;
  if (words.fix !== undefined) return `${blocked}, and --detailed-exitcode counts them as changes; ${words.fix}`;
  if (plan.acceptedUnsupported?.includes(capability))
    return `${blocked}; ${file} accepts that (${words.setting}), so --detailed-exitcode does not count these blocked settings`;
  return `${blocked}, and --detailed-exitcode counts blocked settings as changes; if this server will never support it, list ${capability} under ${words.setting} in ${file}`;
}

/** One change as the plan's view shows it, for a screen that shows just that one (a step-through question). */
export function viewChange(change: Change): ChangeView {
  // A change waiting for a capability is one line: the server cannot hold its values, and a note says why, once.
  const attributes = change.needsCapability === undefined ? attributesToShow(change) : [];
  return {
    change,
    name: displayName(change.address),
    attributes: attributes.map((attribute) =>
      viewAttribute(attribute, change.action, isWholeValue(change.address.kind, attribute.path)),
    ),
  };
}

/**
 * The planner lists attribute diffs for changes in place. A create or delete may carry only the whole spec; then its
 * top-level fields are the attributes, as Terraform lists every field of a new resource.
 */
function attributesToShow(change: Change): AttributeChange[] {
  if (change.attributes.length > 0) return change.attributes;
  if (change.action === 'create') return fieldsOf(change.after).map(([path, after]) => ({ path, after }));
  if (change.action === 'delete') return fieldsOf(change.before).map(([path, before]) => ({ path, before }));
  return [];
}

/** Observed-only members (`unmanagedRules`, `unmanagedTags`) are not the resource's own fields; `preserved` shows them. */
function fieldsOf(spec: unknown): Array<[string, unknown]> {
  if (typeof spec !== 'object' || spec === null) return [];
  return Object.entries(canonicalize(spec) as Record<string, unknown>).filter(
    ([key, value]) => value !== undefined && !key.startsWith('unmanaged'),
  );
}

export interface ActionCount {
  action: Exclude<Action, 'no-op'>;
  count: number;
}

/** Counts in reading order. create/update/replace/delete always; adopt and blocked only when there are some. */
export function actionCounts(summary: PlanSummary): ActionCount[] {
  const all: ActionCount[] = [
    { action: 'create', count: summary.create },
    { action: 'adopt', count: summary.adopt },
    { action: 'update', count: summary.update },
    { action: 'replace', count: summary.replace },
    { action: 'delete', count: summary.delete },
    { action: 'blocked', count: summary.blocked },
  ];
  return all.filter(({ action, count }) => count > 0 || !(action === 'adopt' || action === 'blocked'));
}
