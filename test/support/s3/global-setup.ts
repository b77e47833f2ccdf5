/**
 * vitest global setup: provides the S3 server for the whole run. With STRATA_TEST_S3_ENDPOINT set it uses that
 * server and starts nothing; otherwise, when a selected test file needs S3, it installs Ceph if it may, starts a
 * throw-away RGW, and hands its address to the test workers through STRATA_TEST_S3_* (workers are forked after
 * global setup and inherit the environment). The daemons are stopped on teardown, on SIGINT/SIGTERM and on exit;
 * a watchdog started with them stops them even if this process is killed outright.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runNeeds, stopOnExit } from '../run-needs.js';
import { ensureCephInstalled } from './install.js';
import { startRgw, stopRgw } from './rgw.js';
import { s3Target, TARGET_VARIABLES, harnessTargetVariables } from './target.js';

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env[TARGET_VARIABLES.endpoint]) {
    s3Target(); // fails early, with the fix, when the keys are missing
    return undefined;
  }
  if (!runNeeds(project, new URL('./', import.meta.url))) return undefined;

  ensureCephInstalled();
  const cephDir = mkdtempSync(join(tmpdir(), 'strata-test-rgw-'));
  const release = stopOnExit(() => stopRgw(cephDir));
  const started = Date.now();
  const rgw = await startRgw({ cephDir, watchPid: process.pid }).catch((error: unknown) => {
    release();
    throw error;
  });
  const variables = harnessTargetVariables(rgw.target);
  Object.assign(process.env, variables);
  process.stderr.write(`strata tests: Ceph RGW at ${rgw.target.endpoint} (started in ${Date.now() - started} ms)\n`);

  return () => {
    for (const name of Object.keys(variables)) delete process.env[name];
    release();
  };
}
