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
import { pathSegments } from '../model/attribute-path.js';
import { viewAttribute, viewAttributeGroup, type AttributeView } from './attribute-view.js';
import { isEmpty } from './format-value.js';
import { CAPABILITY_WORDS, compareChangesForDisplay, displayName } from './names.js';

export interface ChangeView {
  change: Change;
  name: string;
  /** What to show, changes inside one field grouped under it. */
  attributes: AttributeView[];
  /** The planner's changes one by one, for a one-line summary that names the attribute (a PR comment's table). */
  leaves: AttributeView[];
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
  /** Resources that exist live: every change but a create and a blocked one with nothing live. */
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
    observed: plan.changes.filter(wasObserved).length,
    capabilityNotes: plan.capabilities
      .filter((report) => !report.supported)
      .map((report) => capabilityNote(plan, report)),
  };
}

/** A create, or a blocked change with no live side (a setting the server cannot hold), found nothing live. */
function wasObserved(change: Change): boolean {
  return change.action !== 'create' && !(change.action === 'blocked' && change.before === undefined);
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
  if (!('setting' in words))
    return `${blocked}, and --detailed-exitcode counts blocked settings as changes; ${words.remedy}`;
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
    attributes: attributeViews(change, attributes),
    leaves: attributes.map((attribute) => leafView(change, attribute)),
  };
}

/**
 * Changes inside one top-level field are shown together under it, in the order the first of them comes; a field
 * changed as a whole (created, removed, a policy document) and a value drawn as a block of lines are shown on their own.
 */
function attributeViews(change: Change, attributes: AttributeChange[]): AttributeView[] {
  const groups = new Map<string, AttributeChange[]>();
  const views: (AttributeView | string)[] = [];
  for (const attribute of attributes) {
    const [first, ...rest] = pathSegments(attribute.path);
    const leaf = leafView(change, attribute);
    // A value drawn as a block of lines (a long rule expression) keeps its path and its diff.
    if (first === undefined || !('key' in first) || rest.length === 0 || leaf.values.form === 'lines') {
      views.push(leaf);
      continue;
    }
    const members = groups.get(first.key);
    if (members === undefined) {
      groups.set(first.key, [attribute]);
      views.push(first.key);
    } else members.push(attribute);
  }
  return views.map((view) =>
    typeof view === 'string'
      ? viewAttributeGroup(
          view,
          groups.get(view) ?? [],
          change.action,
          fieldOf(change.before, view),
          fieldOf(change.after, view),
        )
      : view,
  );
}

function leafView(change: Change, attribute: AttributeChange): AttributeView {
  return viewAttribute(attribute, change.action, isWholeValue(change.address.kind, attribute.path));
}

function fieldOf(spec: unknown, field: string): unknown {
  return typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>)[field] : undefined;
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

/**
 * Observed-only members (`unmanagedRules`, `unmanagedTags`) are not the resource's own fields; `preserved` shows them.
 * Empty ones (`mountOptions: []`, a default nobody wrote) say nothing, as inside nested values.
 */
function fieldsOf(spec: unknown): Array<[string, unknown]> {
  if (typeof spec !== 'object' || spec === null) return [];
  return Object.entries(canonicalize(spec) as Record<string, unknown>).filter(
    ([key, value]) => !isEmpty(value) && !key.startsWith('unmanaged'),
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
