/**
 * Which S3 server the tests talk to. The global setup (or the person running the tests) describes it in
 * STRATA_TEST_S3_* variables; test workers inherit them, so every test reads the same target.
 */
export interface S3Target {
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export const TARGET_VARIABLES = {
  endpoint: 'STRATA_TEST_S3_ENDPOINT',
  accessKeyId: 'STRATA_TEST_S3_ACCESS_KEY_ID',
  secretAccessKey: 'STRATA_TEST_S3_SECRET_ACCESS_KEY',
  region: 'STRATA_TEST_S3_REGION',
} as const;

/** Set to `ceph-rgw` when the target is this project's own RGW, whose read-back quirks some tests document. */
export const SERVER_KIND_VARIABLE = 'STRATA_TEST_S3_SERVER';
export const HARNESS_RGW = 'ceph-rgw';

export function targetIsHarnessRgw(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SERVER_KIND_VARIABLE] === HARNESS_RGW;
}

const DEFAULT_REGION = 'us-east-1';

export function s3Target(env: NodeJS.ProcessEnv = process.env): S3Target {
  const endpoint = env[TARGET_VARIABLES.endpoint];
  if (!endpoint) {
    throw new Error(
      `no S3 server for this test: ${TARGET_VARIABLES.endpoint} is not set. Run the test through vitest (its global ` +
        'setup test/support/s3/global-setup.ts starts Ceph RGW for test files that import test/support/s3), or set ' +
        `${TARGET_VARIABLES.endpoint}, ${TARGET_VARIABLES.accessKeyId} and ${TARGET_VARIABLES.secretAccessKey}.`,
    );
  }
  const accessKeyId = env[TARGET_VARIABLES.accessKeyId];
  const secretAccessKey = env[TARGET_VARIABLES.secretAccessKey];
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      `${TARGET_VARIABLES.endpoint} is set to ${endpoint} but its keys are missing: set ` +
        `${TARGET_VARIABLES.accessKeyId} and ${TARGET_VARIABLES.secretAccessKey} too.`,
    );
  }
  return {
    endpoint,
    region: env[TARGET_VARIABLES.region] || DEFAULT_REGION,
    // Self-hosted servers (RGW, MinIO) have no wildcard DNS for bucket names; AWS accepts path style too.
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
  };
}

/** The variables that make `s3Target()` return `target`, a server this project started. */
export function harnessTargetVariables(target: S3Target): Record<string, string> {
  return {
    [SERVER_KIND_VARIABLE]: HARNESS_RGW,
    [TARGET_VARIABLES.endpoint]: target.endpoint,
    [TARGET_VARIABLES.accessKeyId]: target.credentials.accessKeyId,
    [TARGET_VARIABLES.secretAccessKey]: target.credentials.secretAccessKey,
    [TARGET_VARIABLES.region]: target.region,
  };
}
