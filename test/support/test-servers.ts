/**
 * `npm run test-servers -- up|down|status`: the tests' real Kubernetes control plane (with the test storage driver)
 * and a Ceph RGW in the background, for trying strata and kubectl by hand. `up` prints export lines for `eval`; state
 * lives in .strata/test-servers/ (or $STRATA_TEST_SERVERS_DIR). A cluster one of whose daemons died is stopped whole
 * and replaced, and `up` and `status` say so: half a cluster left running holds ports and memory and answers oddly.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { exitedDaemons, stopControlPlane } from './kube/control-plane.js';
import { CLUSTER_DIR_VARIABLE } from './kube/index.js';
import { ensureCephInstalled } from './s3/install.js';
import { exitedRgwDaemons, parseAssignments, startRgw, stopRgw } from './s3/rgw.js';
import { harnessTargetVariables, type S3Target } from './s3/target.js';

// As in the CLI: the SDK release strata pins supports Node 20, so its notice about later releases is only noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STATE_DIR = process.env.STRATA_TEST_SERVERS_DIR ?? join(REPO_ROOT, '.strata', 'test-servers');
const STATE_FILE = join(STATE_DIR, 'state.json');
const KUBE_LOG = join(STATE_DIR, 'control-plane.log');
const KUBE_CLI = fileURLToPath(new URL('./kube/serve.ts', import.meta.url));
// A first start builds the binaries (see test/support/kube/binaries.ts).
const KUBE_START_TIMEOUT_MS = 60 * 60_000;

interface KubeState {
  pid: number;
  dir: string;
  server: string;
  kubeconfig: string;
  context: string;
}
interface RgwState {
  cephDir: string;
  target: S3Target;
}
interface State {
  kube?: KubeState;
  rgw?: RgwState;
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up':
      return up();
    case 'down':
      return down();
    case 'status':
      return status();
    default:
      process.stderr.write('usage: npm run test-servers -- up|down|status\n');
      return 2;
  }
}

/** Starts whichever server is not running, replacing a broken one whole; prints the export lines for both. */
async function up(): Promise<number> {
  const state = readState();
  const kubeTrouble = state.kube && kubeBroken(state.kube);
  if (state.kube && kubeTrouble) {
    await stopKube(state.kube);
    process.stderr.write(
      `kubernetes:    ${kubeTrouble}: stopped the rest of it and removed ${state.kube.dir}; starting a new one (its objects are gone)\n`,
    );
    delete state.kube;
  }
  if (!state.kube) {
    state.kube = await startKube();
    writeState(state);
  }
  const rgwTrouble = state.rgw && rgwBroken(state.rgw);
  if (state.rgw && rgwTrouble) {
    stopRgw(state.rgw.cephDir);
    process.stderr.write(
      `ceph rgw:      ${rgwTrouble}: stopped the rest of it and removed ${state.rgw.cephDir}; starting a new one (its buckets are gone)\n`,
    );
    delete state.rgw;
  }
  if (!state.rgw) {
    ensureCephInstalled();
    const cephDir = mkdtempSync(join(tmpdir(), 'strata-test-servers-rgw-'));
    state.rgw = { cephDir, target: (await startRgw({ cephDir })).target };
    writeState(state);
  }
  describe(state);
  process.stdout.write(exportLines(state.kube, state.rgw));
  process.stderr.write(
    '# load them with: eval "$(npm run -s test-servers -- up)"; stop with: npm run test-servers -- down\n',
  );
  return 0;
}

async function down(): Promise<number> {
  const state = readState();
  if (state.kube) await stopKube(state.kube);
  if (state.rgw) stopRgw(state.rgw.cephDir);
  rmSync(STATE_FILE, { force: true });
  process.stderr.write('test servers stopped\n');
  return 0;
}

function status(): number {
  const state = readState();
  describe(state);
  return state.kube && !kubeBroken(state.kube) && state.rgw && !rgwBroken(state.rgw) ? 0 : 1;
}

function describe(state: State): void {
  const kube = state.kube;
  const rgw = state.rgw;
  const replace = '; `npm run test-servers -- up` replaces it';
  const kubeLine = !kube
    ? 'not running'
    : kubeBroken(kube)
      ? `${kubeBroken(kube)}${replace}`
      : `running, pid ${kube.pid}, ${kube.server}, context ${kube.context}, state in ${kube.dir}`;
  const rgwLine = !rgw
    ? 'not running'
    : rgwBroken(rgw)
      ? `${rgwBroken(rgw)}${replace}`
      : `running, ${rgw.target.endpoint}, state in ${rgw.cephDir}`;
  process.stderr.write(`kubernetes:    ${kubeLine}\nceph rgw:      ${rgwLine}\n`);
}

function exportLines(kube: KubeState, rgw: RgwState): string {
  const variables: Record<string, string> = {
    KUBECONFIG: kube.kubeconfig,
    AWS_ENDPOINT_URL_S3: rgw.target.endpoint,
    AWS_ACCESS_KEY_ID: rgw.target.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: rgw.target.credentials.secretAccessKey,
    AWS_REGION: rgw.target.region,
    // The test suite then reuses this RGW and this control plane instead of starting its own.
    ...harnessTargetVariables(rgw.target),
    [CLUSTER_DIR_VARIABLE]: kube.dir,
  };
  const lines = Object.entries(variables).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  return `${lines.join('\n')}\n# kube context: ${kube.context}\n`;
}

async function startKube(): Promise<KubeState> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-test-servers-kube-'));
  mkdirSync(STATE_DIR, { recursive: true });
  const log = openSync(KUBE_LOG, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', KUBE_CLI, dir], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));

  const deadline = Date.now() + KUBE_START_TIMEOUT_MS;
  for (;;) {
    const kubeconfig = parseAssignments(readFileSync(KUBE_LOG, 'utf8')).KUBECONFIG;
    if (kubeconfig) {
      const path = unquote(kubeconfig);
      const { context, server } = currentContext(path);
      return { pid: child.pid!, dir, server, kubeconfig: path, context };
    }
    if (exitCode !== undefined || Date.now() > deadline) {
      if (exitCode === undefined) child.kill('SIGKILL');
      const why =
        exitCode === undefined
          ? `printed no KUBECONFIG within ${KUBE_START_TIMEOUT_MS / 1000}s`
          : `exited (${exitCode})`;
      throw new Error(`the control plane ${why}; its log ${KUBE_LOG} ends:\n${tail(KUBE_LOG)}`);
    }
    await sleep(100);
  }
}

/** The supervisor first (it stops its daemons), then whatever daemons outlived it. */
async function stopKube(kube: KubeState): Promise<void> {
  if (kubeRunning(kube)) {
    process.kill(kube.pid, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (kubeRunning(kube) && Date.now() < deadline) await sleep(100);
    if (kubeRunning(kube)) process.kill(kube.pid, 'SIGKILL');
  }
  stopControlPlane(kube.dir);
}

/** Alive, not a zombie, and still our control plane's owner (a stale state file may name a reused pid). */
function kubeRunning(kube: KubeState): boolean {
  try {
    const stat = readFileSync(`/proc/${kube.pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat) && readFileSync(`/proc/${kube.pid}/cmdline`, 'utf8').includes(KUBE_CLI);
  } catch {
    return false;
  }
}

/** What is wrong with a started control plane: its supervisor or one of its daemons is gone. Undefined when whole. */
function kubeBroken(kube: KubeState): string | undefined {
  const exited = exitedDaemons(kube.dir);
  if (!kubeRunning(kube)) return `broken: its supervisor (pid ${kube.pid}) is gone`;
  return exited.length > 0 ? `broken: ${exited.join(', ')} exited` : undefined;
}

function rgwBroken(rgw: RgwState): string | undefined {
  const exited = exitedRgwDaemons(rgw.cephDir);
  return exited.length > 0 ? `broken: ${exited.join(', ')} exited` : undefined;
}

function currentContext(kubeconfig: string): { context: string; server: string } {
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    'current-context'?: string;
    clusters?: { cluster?: { server?: string } }[];
  } | null;
  return {
    context: config?.['current-context'] ?? '(none)',
    server: config?.clusters?.[0]?.cluster?.server ?? '(unknown)',
  };
}

function readState(): State {
  return existsSync(STATE_FILE) ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as State) : {};
}

function writeState(state: State): void {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

function tail(file: string): string {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function unquote(value: string): string {
  return value.replace(/^(['"])(.*)\1$/, '$2');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test-servers: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.argv[2] === 'up') process.stderr.write('whatever did start stops with: npm run test-servers -- down\n');
    process.exit(1);
  },
);
