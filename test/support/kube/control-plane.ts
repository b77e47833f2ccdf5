/**
 * A throw-away Kubernetes control plane on loopback, as envtest runs one, plus the controller manager: etcd with a
 * temp data dir, kube-apiserver with its own certificates, static-token authentication and RBAC, and
 * kube-controller-manager running the controllers strata meets on a real cluster (resource quota, namespace, garbage
 * collector, persistent-volume binder and expander, PVC protection, CronJob and Job, service accounts).
 *
 * Everything lives in one directory: certificates, tokens, data, logs and pid files. `stopControlPlane` kills what the
 * pid files name (only processes whose command line names the directory) and removes it; a watchdog does the same as
 * soon as the owning process is gone, however it died.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ensureControlPlaneBinaries, type ControlPlaneBinaries } from './binaries.js';
import { makeCertificates } from './certificates.js';

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const CLUSTER_FILE = 'cluster.json';

/** Users with a static token. Tests bind roles to the spare `tester-*` users to check RBAC. */
export const TEST_USERS = ['tester-1', 'tester-2', 'tester-3', 'tester-4', 'tester-5'] as const;

/** What clients need to reach the control plane; written to `<dir>/cluster.json` for test workers and test-servers. */
export interface ClusterAccess {
  dir: string;
  /** kube-apiserver itself; tests reach it through a fault proxy (see cluster.ts). */
  server: string;
  caCert: string;
  servingCert: string;
  servingKey: string;
  /** Token of `strata-test-admin` in `system:masters`. */
  adminToken: string;
  /** Tokens of the users in TEST_USERS, which belong to no group but `system:authenticated`. */
  userTokens: Record<string, string>;
  kubernetesVersion: string;
}

export interface RunningControlPlane extends ClusterAccess {
  binaries: ControlPlaneBinaries;
}

export async function startControlPlane(options: { dir: string; watchPid?: number }): Promise<RunningControlPlane> {
  const { dir } = options;
  const binaries = await ensureControlPlaneBinaries();
  for (const sub of ['log', 'run', 'etcd']) mkdirSync(join(dir, sub), { recursive: true });
  try {
    const certs = makeCertificates(join(dir, 'pki'));
    const adminToken = token();
    const userTokens = Object.fromEntries(TEST_USERS.map((user) => [user, token()]));
    const controllerManagerToken = token();
    writeFileSync(
      join(dir, 'tokens.csv'),
      [
        `${adminToken},strata-test-admin,strata-test-admin,"system:masters"`,
        `${controllerManagerToken},system:kube-controller-manager,system:kube-controller-manager`,
        ...TEST_USERS.map((user) => `${userTokens[user]},${user},${user}`),
      ].join('\n') + '\n',
      { mode: 0o600 },
    );
    if (options.watchPid !== undefined) startWatchdog(dir, options.watchPid);

    const [etcdClient, etcdPeer, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
    launch(dir, 'etcd', binaries.paths.etcd, [
      `--name=strata-test`,
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=strata-test=http://127.0.0.1:${etcdPeer}`,
      // Thrown away after the run: durability buys nothing and fsync costs seconds.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);

    const server = `https://127.0.0.1:${apiPort}`;
    launch(dir, 'kube-apiserver', binaries.paths['kube-apiserver'], [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'pki')}`,
      `--tls-cert-file=${certs.servingCert}`,
      `--tls-private-key-file=${certs.servingKey}`,
      `--client-ca-file=${certs.caCert}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certs.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${certs.serviceAccountKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      // No node reaches 127.0.0.1, and the kubernetes Service's endpoint may not be a loopback address.
      '--endpoint-reconciler-type=none',
      '--allow-privileged=true',
      '--v=1',
    ]);
    await waitUntil(dir, 'kube-apiserver /readyz', () => readyz(server, certs.caCert, adminToken));

    const controllerManagerConfig = join(dir, 'kube-controller-manager.kubeconfig');
    writeFileSync(
      controllerManagerConfig,
      kubeconfigYaml(server, certs.caCert, 'system:kube-controller-manager', controllerManagerToken),
      { mode: 0o600 },
    );
    launch(dir, 'kube-controller-manager', binaries.paths['kube-controller-manager'], [
      `--kubeconfig=${controllerManagerConfig}`,
      `--authentication-kubeconfig=${controllerManagerConfig}`,
      `--authorization-kubeconfig=${controllerManagerConfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=0`,
      '--leader-elect=false',
      // As kubeadm runs it: each controller acts as its own service account, with the bootstrap RBAC roles.
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${certs.serviceAccountKey}`,
      `--root-ca-file=${certs.caCert}`,
      '--controllers=*',
      '--v=1',
    ]);
    // The service-account controller creating `default` in `default` shows the controllers are running.
    await waitUntil(dir, 'kube-controller-manager (the default service account)', () =>
      getStatus(server, certs.caCert, adminToken, '/api/v1/namespaces/default/serviceaccounts/default').then(
        (status) => status === 200,
      ),
    );

    const access: ClusterAccess = {
      dir,
      server,
      caCert: certs.caCert,
      servingCert: certs.servingCert,
      servingKey: certs.servingKey,
      adminToken,
      userTokens,
      kubernetesVersion: binaries.kubernetesVersion,
    };
    writeFileSync(join(dir, CLUSTER_FILE), `${JSON.stringify(access, null, 2)}\n`, { mode: 0o600 });
    return { ...access, binaries };
  } catch (error) {
    const logs = logTails(dir);
    stopControlPlane(dir);
    throw new Error(`${(error as Error).message}${logs}`);
  }
}

export function readClusterAccess(dir: string): ClusterAccess {
  return JSON.parse(readFileSync(join(dir, CLUSTER_FILE), 'utf8')) as ClusterAccess;
}

/** Synchronous, so it also works from a process 'exit' handler. Safe to call twice. */
export function stopControlPlane(dir: string): void {
  const pids = ourPids(dir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL'); // thrown away: no state worth a graceful shutdown
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (pids.some(alive) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  rmSync(dir, { recursive: true, force: true });
}

export function kubeconfigYaml(
  server: string,
  caCert: string,
  user: string,
  bearerToken: string,
  context = 'strata-test',
): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${context}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(readFileSync(caCert)).toString('base64')}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${bearerToken}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    `    user: ${user}`,
    `current-context: ${context}`,
    '',
  ].join('\n');
}

function launch(dir: string, name: string, binary: string, args: string[]): void {
  const log = openSync(join(dir, 'log', `${name}.log`), 'a');
  const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  writeFileSync(join(dir, 'run', `${name}.pid`), String(child.pid));
}

/** A detached shell that outlives this process and stops the control plane once `owner` is gone. */
function startWatchdog(dir: string, owner: number): void {
  const script = `
    while kill -0 "$0" 2>/dev/null && [ -d "$1/run" ]; do sleep 1; done
    for f in "$1"/run/*.pid; do
      p=$(cat "$f" 2>/dev/null) || continue
      [ "$(basename "$f")" = watchdog.pid ] && continue
      tr '\\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$1" && kill -KILL "$p"
    done
    sleep 1; rm -rf "$1"`;
  const child = spawn('bash', ['-c', script, String(owner), dir], { detached: true, stdio: 'ignore' });
  child.unref();
  writeFileSync(join(dir, 'run', 'watchdog.pid'), String(child.pid));
}

function ourPids(dir: string, names?: string[]): number[] {
  const runDir = join(dir, 'run');
  if (!existsSync(runDir)) return [];
  const files = names
    ? names.map((name) => `${name}.pid`)
    : readdirSync(runDir).filter((file) => file.endsWith('.pid'));
  const pids: number[] = [];
  for (const file of files) {
    const pid = Number(readFileSync(join(runDir, file), { encoding: 'utf8', flag: 'r' }).trim());
    // A stale pid file may name a reused pid: only a process whose command line names the directory is ours.
    if (pid > 0 && pid !== process.pid && alive(pid) && commandLine(pid).includes(dir)) pids.push(pid);
  }
  return pids;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** A zombie counts as gone: it holds no port and no memory. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The daemons of the control plane in `dir` that were started and are gone now. */
export function exitedDaemons(dir: string): string[] {
  return ['etcd', 'kube-apiserver', 'kube-controller-manager'].filter(
    (name) => existsSync(join(dir, 'run', `${name}.pid`)) && ourPids(dir, [name]).length === 0,
  );
}

async function waitUntil(dir: string, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const [exited] = exitedDaemons(dir);
    if (exited) throw new Error(`${exited} exited while waiting for ${what}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function readyz(server: string, caCert: string, bearer: string): Promise<boolean> {
  return getStatus(server, caCert, bearer, '/readyz').then((status) => status === 200);
}

function getStatus(server: string, caCert: string, bearer: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server}${path}`,
      { ca: readFileSync(caCert), headers: { Authorization: `Bearer ${bearer}` }, timeout: 5_000 },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', reject);
    req.end();
  });
}

function logTails(dir: string): string {
  const logDir = join(dir, 'log');
  if (!existsSync(logDir)) return '';
  return readdirSync(logDir)
    .map((file) => {
      const lines = readFileSync(join(logDir, file), 'utf8').trimEnd().split('\n').slice(-15).join('\n');
      return lines ? `\n== ${file} (last 15 lines)\n${lines}` : '';
    })
    .join('');
}

function token(): string {
  return randomBytes(24).toString('hex');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
