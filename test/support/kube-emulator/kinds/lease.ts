/** Lease (coordination.k8s.io/v1): MicroTime fields decode only with exactly six fractional digits, as Go's time.Parse demands. */
import { badRequest, invalid, type FieldError } from '../status.js';
import { spec, type KindRules } from './rules.js';

const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';
const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The part of Go's time.Parse error that says where the text stopped matching the layout. */
function parseProblem(text: string): string | undefined {
  const match = MICRO_TIME.exec(text);
  if (!match) return `cannot parse ${JSON.stringify(text)} as ${JSON.stringify(RFC3339_MICRO)}`;
  const fraction = match[1] ?? '';
  const rest = text.slice(19);
  if (fraction.length < 7) return `cannot parse ${JSON.stringify(rest)} as ".000000"`;
  if (fraction.length > 7) return `cannot parse ${JSON.stringify(rest.slice(7))} as "Z07:00"`;
  return undefined;
}

export const leaseRules: KindRules = {
  decode(object, type) {
    const lease = (object.spec ?? {}) as Record<string, unknown>;
    for (const field of ['acquireTime', 'renewTime']) {
      const value = lease[field];
      if (value === undefined || value === null) continue;
      const problem = typeof value === 'string' ? parseProblem(value) : 'expected a string';
      if (problem) {
        throw badRequest(
          `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: parsing time ${JSON.stringify(value)} as ${JSON.stringify(RFC3339_MICRO)}: ${problem}`,
        );
      }
    }
  },
  validate(object) {
    const errors: FieldError[] = [];
    const duration = (spec(object) as { leaseDurationSeconds?: number }).leaseDurationSeconds;
    if (duration !== undefined && duration <= 0) errors.push(invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
    return errors;
  },
};
