/**
 * Event (core/v1): an event without eventTime (the core/v1 shape) must live in its object's namespace, or, for a
 * cluster-scoped object, in "default" or none (legacyValidateEvent).
 */
import { invalid, type FieldError } from '../status.js';
import type { KindRules } from './rules.js';

export const eventRules: KindRules = {
  validate(object) {
    if (object.eventTime) return [];
    const involvedNamespace = (object.involvedObject as { namespace?: string } | undefined)?.namespace ?? '';
    const namespace = object.metadata.namespace ?? '';
    const allowed = involvedNamespace === '' ? namespace === '' || namespace === 'default' : namespace === involvedNamespace;
    const errors: FieldError[] = [];
    if (!allowed) errors.push(invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
    return errors;
  },
};
