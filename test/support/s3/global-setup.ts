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
import { ensureCephInstalled } from './install.js';
import { anyFileNeedsS3 } from './needs-s3.js';
import { startRgw, stopRgw } from './rgw.js';
import { s3Target, TARGET_VARIABLES, harnessTargetVariables } from './target.js';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env[TARGET_VARIABLES.endpoint]) {
    s3Target(); // fails early, with the fix, when the keys are missing
    return undefined;
  }
  if (!runNeedsS3(project)) return undefined;

  ensureCephInstalled();
  const cephDir = mkdtempSync(join(tmpdir(), 'strata-test-rgw-'));
  const release = stopOnExit(cephDir);
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

/**
 * Which files run is only known through vitest's experimental state API; when it is unavailable, or in watch mode
 * (a later rerun may pick S3 tests), start the server anyway.
 */
function runNeedsS3(project: TestProject): boolean {
  if (project.vitest.config.watch) return true;
  const paths = project.vitest.state?.getPaths?.();
  if (!paths || paths.length === 0) return true;
  return anyFileNeedsS3(paths);
}

/** Stops the cluster on exit or a stop signal; the returned function stops it now and removes the handlers. */
function stopOnExit(cephDir: string): () => void {
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    stopRgw(cephDir);
  };
  function onSignal(signal: NodeJS.Signals): void {
    stop();
    // Our handler replaced Node's default one; without other listeners, die of the signal as expected.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
  process.on('exit', stop);
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return stop;
}
