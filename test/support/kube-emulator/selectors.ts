/** Label and field selectors as `labels.Parse` and `fields.ParseSelector` accept them: =, ==, !=, in, notin, exists, !exists. */
import { badRequest } from './status.js';
import type { KubeObject } from './store.js';

type Requirement =
  | { key: string; operator: 'in' | 'notin'; values: string[] }
  | { key: string; operator: 'exists' | '!exists' };

export type Matcher = (object: KubeObject) => boolean;

/** Splits on commas outside parentheses: `env in (a,b),tier` → two requirements. */
function splitRequirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of text) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += character;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function parseRequirement(text: string): Requirement {
  const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) return { key: set[1]!, operator: set[2] as 'in' | 'notin', values: set[3]!.split(',').map((value) => value.trim()) };
  const comparison = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(text);
  if (comparison) return { key: comparison[1]!, operator: comparison[2] === '!=' ? 'notin' : 'in', values: [comparison[3]!] };
  const exists = /^(!?)\s*([\w./-]+)$/.exec(text);
  if (exists) return { key: exists[2]!, operator: exists[1] ? '!exists' : 'exists' };
  throw badRequest(`unable to parse requirement: ${JSON.stringify(text)}`);
}

function matches(requirement: Requirement, values: Record<string, string>): boolean {
  const present = Object.hasOwn(values, requirement.key);
  switch (requirement.operator) {
    case 'exists':
      return present;
    case '!exists':
      return !present;
    case 'in':
      return present && requirement.values.includes(values[requirement.key]!);
    case 'notin':
      return !present || !requirement.values.includes(values[requirement.key]!);
  }
}

export function labelSelector(text: string | null): Matcher | undefined {
  if (!text) return undefined;
  const requirements = splitRequirements(text).map(parseRequirement);
  return (object) => requirements.every((requirement) => matches(requirement, object.metadata.labels ?? {}));
}

type SelectableFields = (object: KubeObject) => Record<string, string>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The fields a kind can be selected by besides metadata.name and metadata.namespace, as its registry's
 * ToSelectableFields lists them (kubectl describe finds an object's events by involvedObject.*).
 */
const SELECTABLE_FIELDS: Record<string, SelectableFields> = {
  Namespace: (object) => ({ 'status.phase': text((object.status as { phase?: unknown } | undefined)?.phase) }),
  Event: (object) => {
    const involved = (object.involvedObject ?? {}) as Record<string, unknown>;
    const source = text((object.source as { component?: unknown } | undefined)?.component) || text(object.reportingComponent);
    return {
      'involvedObject.kind': text(involved.kind),
      'involvedObject.namespace': text(involved.namespace),
      'involvedObject.name': text(involved.name),
      'involvedObject.uid': text(involved.uid),
      'involvedObject.apiVersion': text(involved.apiVersion),
      'involvedObject.resourceVersion': text(involved.resourceVersion),
      'involvedObject.fieldPath': text(involved.fieldPath),
      reason: text(object.reason),
      reportingComponent: text(object.reportingComponent),
      source,
      type: text(object.type),
    };
  },
};

/** Field selectors over metadata.name, metadata.namespace and the kind's own selectable fields; others are a 400. */
export function fieldSelector(selector: string | null, kind: string): Matcher | undefined {
  if (!selector) return undefined;
  const kindFields = SELECTABLE_FIELDS[kind];
  const fieldsOf = (object: KubeObject): Record<string, string> => ({
    'metadata.name': object.metadata.name,
    'metadata.namespace': object.metadata.namespace ?? '',
    ...kindFields?.(object),
  });
  const supported = new Set(Object.keys(fieldsOf({ metadata: { name: '' } } as KubeObject)));
  const requirements = splitRequirements(selector).map((part) => {
    const requirement = parseRequirement(part);
    if (!supported.has(requirement.key)) throw badRequest(`field label not supported: ${requirement.key}`);
    return requirement;
  });
  return (object) => {
    const fields = fieldsOf(object);
    return requirements.every((requirement) => matches(requirement, fields));
  };
}
