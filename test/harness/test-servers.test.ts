/**
 * `npm run test-servers` when a daemon dies under it: `status` says which and fails, and `up` stops the rest of that
 * cluster (no monitor or etcd left holding ports) and starts a whole new one, saying what it did. Its output holds
 * nothing else: no notice of the AWS SDK's about Node 20, which strata supports.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAssignments } from '../support/s3/rgw.js';
import { waitFor } from '../support/kube/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const SCRIPT = join(ROOT, 'test/support/test-servers.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let stateDir: string;
/** The first `up`, which starts both servers. */
let started: Run;

/** The script as a person runs it, with its own state directory and none of the suite's server variables. */
function testServers(command: 'up' | 'down' | 'status'): Promise<Run> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, STRATA_TEST_SERVERS_DIR: stateDir };
  return new Promise((resolve) => {
    execFile(TSX, [SCRIPT, command], { cwd: ROOT, env, timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

interface State {
  kube: { dir: string };
  rgw: { cephDir: string };
}

const state = () => JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as State;
const pidIn = (dir: string, name: string) => Number(readFileSync(join(dir, 'run', `${name}.pid`), 'utf8').trim());
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'strata-test-servers-state-'));
  started = await testServers('up');
  if (started.code !== 0) throw new Error(`test-servers up failed:\n${started.stderr}`);
}, 300_000);

afterAll(async () => {
  await testServers('down');
  rmSync(stateDir, { recursive: true, force: true });
}, 60_000);

describe('test-servers up', () => {
  it('prints no notice of the AWS SDK about Node 20, which strata supports', () => {
    expect(started.stderr).not.toContain('NodeVersionSupportWarning');
  });
});

describe('test-servers after a daemon died', () => {
  it('replaces a Ceph cluster whose gateway died, stopping its monitor and OSD', { timeout: 300_000 }, async () => {
    const { cephDir } = state().rgw;
    const [mon, osd] = [pidIn(cephDir, 'mon.a'), pidIn(cephDir, 'osd.0')];
    process.kill(pidIn(cephDir, 'client.rgw.a'), 'SIGKILL');
    await waitFor('radosgw to die', () => !alive(pidIn(cephDir, 'client.rgw.a')), { timeoutMs: 10_000 });

    const status = await testServers('status');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(
      'ceph rgw:      broken: client.rgw.a exited; `npm run test-servers -- up` replaces it',
    );

    const replaced = await testServers('up');

    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stderr).toContain(
      `ceph rgw:      broken: client.rgw.a exited: stopped the rest of it and removed ${cephDir}`,
    );
    expect([alive(mon), alive(osd)]).toEqual([false, false]);
    expect(state().rgw.cephDir).not.toBe(cephDir);
    expect(parseAssignments(replaced.stdout).AWS_ENDPOINT_URL_S3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await testServers('status')).code).toBe(0);
  });

  it('replaces a control plane whose API server died, stopping its etcd', { timeout: 300_000 }, async () => {
    const { dir } = state().kube;
    const etcd = pidIn(dir, 'etcd');
    process.kill(pidIn(dir, 'kube-apiserver'), 'SIGKILL');
    await waitFor('kube-apiserver to die', () => !alive(pidIn(dir, 'kube-apiserver')), { timeoutMs: 10_000 });

    const replaced = await testServers('up');

    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stderr).toContain(
      `kubernetes:    broken: kube-apiserver exited: stopped the rest of it and removed ${dir}`,
    );
    expect(alive(etcd)).toBe(false);
    expect(state().kube.dir).not.toBe(dir);
    expect((await testServers('status')).code).toBe(0);
  });
});
