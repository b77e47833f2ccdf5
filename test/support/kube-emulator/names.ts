/** Object name rules (apimachinery validation.IsDNS1123Subdomain / IsDNS1123Label) with their exact messages. */
import { invalid, required, type FieldError } from './status.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export function dnsSubdomainErrors(field: string, value: string): FieldError[] {
  const errors: FieldError[] = [];
  if (value.length > 253) errors.push(invalid(field, value, 'must be no more than 253 characters'));
  if (!SUBDOMAIN.test(value)) errors.push(invalid(field, value, SUBDOMAIN_MESSAGE));
  return errors;
}

export function dnsLabelErrors(field: string, value: string): FieldError[] {
  const errors: FieldError[] = [];
  if (value.length > 63) errors.push(invalid(field, value, 'must be no more than 63 characters'));
  if (!LABEL.test(value)) errors.push(invalid(field, value, LABEL_MESSAGE));
  return errors;
}

export function nameErrors(name: unknown, labelOnly: boolean): FieldError[] {
  if (typeof name !== 'string' || name === '') return [required('metadata.name', 'name or generateName is required')];
  return labelOnly ? dnsLabelErrors('metadata.name', name) : dnsSubdomainErrors('metadata.name', name);
}
