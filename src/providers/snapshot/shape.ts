/** The JSON shape of a snapshot file around its resources' specs, which are checked by kind (model/spec-shapes.ts). */
import {
  anything,
  arrayOf,
  boolean,
  describeJson,
  number,
  object,
  recordOf,
  refined,
  string,
} from '../../model/shape.js';
import { ADDRESS_SHAPE, quantity } from '../../model/spec-shapes.js';

/** As metadata.name allows; the name is quoted back when it is not the environment planned. */
const environmentName = refined(string, (value: string) =>
  value.length <= 63 ? undefined : `expected an environment name, found ${describeJson(value)}`,
);

const capability = object({ required: { capability: string, supported: boolean, detail: string } });

export const SNAPSHOT_SHAPE = object({
  required: { formatVersion: number, kind: string, environment: environmentName, resources: arrayOf(anything) },
  optional: {
    observedAt: string,
    sources: object({ optional: { kubernetes: string, s3: string } }),
    capabilities: arrayOf(capability),
    observedInMs: number,
  },
});

/** Everything but the spec, which is checked by kind once the address is known. */
export const RESOURCE_SHAPE = object({
  required: { address: ADDRESS_SHAPE, spec: anything, owned: boolean },
  optional: {
    fingerprint: string,
    version: string,
    uid: string,
    ownedByEnvironment: string,
    terminating: object({ required: { finalizers: arrayOf(string) } }),
    status: object({
      required: { phase: string },
      optional: { capacity: quantity, conditions: arrayOf(string) },
      open: true,
    }),
    fieldOwners: recordOf(arrayOf(string)),
  },
});
