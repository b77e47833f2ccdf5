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

/** Field selectors: only metadata.name and metadata.namespace, which every resource supports. */
export function fieldSelector(text: string | null): Matcher | undefined {
  if (!text) return undefined;
  const requirements = splitRequirements(text).map((part) => {
    const requirement = parseRequirement(part);
    if (requirement.key !== 'metadata.name' && requirement.key !== 'metadata.namespace') {
      throw badRequest(`field label not supported: ${requirement.key}`);
    }
    return requirement;
  });
  return (object) =>
    requirements.every((requirement) =>
      matches(requirement, { 'metadata.name': object.metadata.name, 'metadata.namespace': object.metadata.namespace ?? '' }),
    );
}
