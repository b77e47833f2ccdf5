/** Starts and stops a throw-away Ceph RGW through start-rgw.sh / stop-rgw.sh beside this file. */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Target } from './target.js';

const START_SCRIPT = fileURLToPath(new URL('./start-rgw.sh', import.meta.url));
const STOP_SCRIPT = fileURLToPath(new URL('./stop-rgw.sh', import.meta.url));
const START_TIMEOUT_MS = 180_000;
const ANSWER_TIMEOUT_MS = 30_000;

export interface RgwOptions {
  /** Holds the whole cluster (config, pid files, logs); created, and removed by `stopRgw`. */
  cephDir: string;
  /** The cluster stops itself as soon as this process is gone, even after SIGKILL. */
  watchPid?: number;
  /** Fixed ports instead of free ones chosen by the script. */
  ports?: { rgw: number; mon: number; mon2: number };
}

export interface RunningRgw {
  target: S3Target;
  cephDir: string;
  cephConf: string;
}

/** Resolves once the server answers authenticated S3 requests; on failure stops what started and says why. */
export async function startRgw(options: RgwOptions): Promise<RunningRgw> {
  const env: NodeJS.ProcessEnv = { ...process.env, CEPH_DIR: options.cephDir };
  if (options.watchPid !== undefined) env.WATCH_PID = String(options.watchPid);
  if (options.ports) {
    env.RGW_PORT = String(options.ports.rgw);
    env.MON_PORT = String(options.ports.mon);
    env.MON_PORT2 = String(options.ports.mon2);
  }
  let stdout: string;
  try {
    stdout = await new Promise<string>((resolve, reject) => {
      execFile('bash', [START_SCRIPT], { env, timeout: START_TIMEOUT_MS, killSignal: 'SIGKILL' }, (error, out, err) => {
        if (error) reject(new Error(`could not start Ceph RGW in ${options.cephDir}:\n${err || error.message}`));
        else resolve(out);
      });
    });
  } catch (error) {
    stopRgw(options.cephDir);
    throw error;
  }
  const vars = parseAssignments(stdout);
  const running: RunningRgw = {
    target: {
      endpoint: required(vars, 'S3_ENDPOINT', stdout),
      region: required(vars, 'S3_REGION', stdout),
      forcePathStyle: true,
      credentials: {
        accessKeyId: required(vars, 'S3_ACCESS_KEY_ID', stdout),
        secretAccessKey: required(vars, 'S3_SECRET_ACCESS_KEY', stdout),
      },
    },
    cephDir: required(vars, 'CEPH_DIR', stdout),
    cephConf: required(vars, 'CEPH_CONF', stdout),
  };
  try {
    await waitUntilAnswering(running.target);
  } catch (error) {
    stopRgw(running.cephDir);
    throw error;
  }
  return running;
}

/** Synchronous, so it also works from a process 'exit' handler. Safe to call twice. */
export function stopRgw(cephDir: string): void {
  execFileSync('bash', [STOP_SCRIPT], { env: { ...process.env, CEPH_DIR: cephDir }, stdio: 'pipe', timeout: 30_000 });
}

/** The daemons of the cluster in `cephDir` (gateway, OSD, monitor) that are gone: no pid file, or not ours any more. */
export function exitedRgwDaemons(cephDir: string): string[] {
  return ['client.rgw.a', 'osd.0', 'mon.a'].filter((name) => {
    try {
      const pid = readFileSync(join(cephDir, 'run', `${name}.pid`), 'utf8').trim();
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return /^\d+ \(.*\) Z/.test(stat) || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(cephDir);
    } catch {
      return true;
    }
  });
}

/** `KEY=value` lines (an optional leading `export ` is allowed). */
export function parseAssignments(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(?:export\s+)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) vars[match[1]!] = match[2]!;
  }
  return vars;
}

function required(vars: Record<string, string>, name: string, output: string): string {
  const value = vars[name];
  if (!value) throw new Error(`start-rgw.sh printed no ${name}; its output was:\n${output}`);
  return value;
}

/** The script saw radosgw answer HTTP; a signed request proves the keys work too before any test runs. */
async function waitUntilAnswering(target: S3Target): Promise<void> {
  const client = new S3Client({ ...target, credentials: { ...target.credentials }, maxAttempts: 1 });
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  try {
    for (;;) {
      try {
        await client.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.timeout(5_000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `Ceph RGW at ${target.endpoint} did not answer ListBuckets within ${ANSWER_TIMEOUT_MS / 1000}s`,
            {
              cause: error,
            },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
}
