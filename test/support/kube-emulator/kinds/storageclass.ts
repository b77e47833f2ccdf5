/** StorageClass (pkg/apis/storage/validation): defaults, and the fields that can never change after creation. */
import { invalid, forbiddenField, notSupported, required, type FieldError } from '../status.js';
import type { KubeObject } from '../store.js';
import type { KindRules } from './rules.js';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

interface StorageClassFields {
  provisioner?: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
}

const fields = (object: KubeObject) => object as unknown as StorageClassFields;

function createErrors(object: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const { provisioner, reclaimPolicy, volumeBindingMode } = fields(object);
  if (!provisioner) errors.push(required('provisioner'));
  else if (!QUALIFIED_NAME.test(provisioner)) {
    errors.push(
      invalid(
        'provisioner',
        provisioner,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    );
  }
  if (reclaimPolicy !== undefined && !RECLAIM_POLICIES.includes(reclaimPolicy)) errors.push(notSupported('reclaimPolicy', reclaimPolicy, RECLAIM_POLICIES));
  if (volumeBindingMode !== undefined && !BINDING_MODES.includes(volumeBindingMode)) {
    errors.push(notSupported('volumeBindingMode', volumeBindingMode, BINDING_MODES));
  }
  return errors;
}

function updateErrors(object: KubeObject, old: KubeObject): FieldError[] {
  const errors = createErrors(object);
  const next = fields(object);
  const previous = fields(old);
  if (JSON.stringify(sorted(next.parameters)) !== JSON.stringify(sorted(previous.parameters))) {
    errors.push(forbiddenField('parameters', 'updates to parameters are forbidden.'));
  }
  if (next.provisioner !== previous.provisioner) errors.push(forbiddenField('provisioner', 'updates to provisioner are forbidden.'));
  if (next.reclaimPolicy !== previous.reclaimPolicy) errors.push(forbiddenField('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (next.volumeBindingMode !== previous.volumeBindingMode) errors.push(invalid('volumeBindingMode', next.volumeBindingMode, 'field is immutable'));
  return errors;
}

/** An empty parameters map and no map are the same to reflect.DeepEqual after decoding drops empty maps. */
function sorted(parameters: Record<string, string> | undefined): Array<[string, string]> | undefined {
  const entries = Object.entries(parameters ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? undefined : entries;
}

export const storageClassRules: KindRules = {
  defaults(object) {
    const storageClass = fields(object);
    storageClass.reclaimPolicy ??= 'Delete';
    storageClass.volumeBindingMode ??= 'Immediate';
  },
  validate(object, context) {
    return context.old ? updateErrors(object, context.old) : createErrors(object);
  },
};
