/**
 * The RGW harness itself: a second, private cluster is started and stopped here, so these cases need Ceph installed
 * locally even when the suite's S3 target is another server.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cephInstalled, uniqueBucketName } from '../support/s3/index.js';
import { startRgw, stopRgw } from '../support/s3/rgw.js';

const DAEMONS = ['mon.a', 'osd.0', 'client.rgw.a'];
const cephDirs: string[] = [];

afterEach(() => {
  for (const dir of cephDirs.splice(0)) stopRgw(dir);
});

function newCephDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-harness-rgw-'));
  cephDirs.push(dir);
  return dir;
}

function pidsOf(cephDir: string, names: string[]): number[] {
  return names.map((name) => Number(readFileSync(join(cephDir, 'run', `${name}.pid`), 'utf8').trim()));
}

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every process whose command line mentions the directory: the daemons and the watchdog all do. */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) && running(Number(pid));
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

describe.skipIf(!cephInstalled())('the Ceph RGW harness (needs radosgw installed)', () => {
  it('leaves no daemon and no directory behind after stop-rgw.sh', async () => {
    const cephDir = newCephDir();
    const rgw = await startRgw({ cephDir });
    const pids = pidsOf(rgw.cephDir, DAEMONS);
    expect(pids.every(running)).toBe(true);

    stopRgw(cephDir);

    expect(pids.filter(running)).toEqual([]);
    expect(processesMentioning(rgw.cephDir)).toEqual([]);
    expect(existsSync(cephDir)).toBe(false);
  }, 60_000);

  it('stops the cluster by itself when the watched owner process is killed outright', async () => {
    const owner = spawn('sleep', ['120'], { stdio: 'ignore' });
    const cephDir = newCephDir();
    const rgw = await startRgw({ cephDir, watchPid: owner.pid! });
    const pids = pidsOf(rgw.cephDir, [...DAEMONS, 'watchdog']);
    expect(pids.every(running)).toBe(true);

    owner.kill('SIGKILL');

    expect(await waitUntil(() => !pids.some(running) && !existsSync(cephDir), 10_000)).toBe(true);
  }, 60_000);

  it('starts nothing twice: a second start on a live cluster prints the same endpoint', async () => {
    const cephDir = newCephDir();
    const first = await startRgw({ cephDir });
    const pids = pidsOf(first.cephDir, DAEMONS);

    const second = await startRgw({ cephDir });

    expect(second.target.endpoint).toBe(first.target.endpoint);
    expect(pidsOf(second.cephDir, DAEMONS)).toEqual(pids);
  }, 60_000);

  it('refuses a port that is already taken, naming it, and leaves nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const cephDir = newCephDir();
    try {
      await expect(startRgw({ cephDir, ports: { rgw: taken, mon: taken + 1, mon2: taken + 2 } })).rejects.toThrow(
        `127.0.0.1:${taken} is already in use`,
      );
      expect(processesMentioning(cephDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 30_000);
});

describe('uniqueBucketName', () => {
  it('makes a valid S3 bucket name from any prefix, different on every call', () => {
    const names = ['Lifecycle Rules!', 'x', 'a'.repeat(80), '--'].flatMap((prefix) => [
      uniqueBucketName(prefix),
      uniqueBucketName(prefix),
    ]);
    for (const name of names) expect(name).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    expect(new Set(names).size).toBe(names.length);
  });
});
