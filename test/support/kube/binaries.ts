/**
 * The test control plane's binaries: etcd, kube-apiserver and kube-controller-manager of the release pinned in
 * build/. Taken from KUBEBUILDER_ASSETS where a user has envtest's binaries, otherwise built once from the Go module
 * proxy into the user's cache directory, keyed by version and by the build modules' contents, so later runs and fresh
 * clones on the same machine reuse them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_DIR = fileURLToPath(new URL('./build/', import.meta.url));
const BUILD_SCRIPT = join(BUILD_DIR, 'build.sh');
const BUILD_INPUTS = [
  'build.sh',
  'kubernetes/go.mod',
  'kubernetes/go.sum',
  'etcd/go.mod',
  'etcd/go.sum',
  'etcd/main.go',
];
const BUILD_TIMEOUT_MS = 60 * 60_000;
/** Where `go` lives when the shell's PATH lacks it (the official tarball's place). */
const GO_FALLBACK = '/usr/local/go/bin';

export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const;
export type Binary = (typeof BINARIES)[number];

export interface ControlPlaneBinaries {
  paths: Record<Binary, string>;
  /** The Kubernetes release they are, e.g. `v1.34.4`. */
  kubernetesVersion: string;
}

export const KUBERNETES_VERSION = pinnedVersion('kubernetes/go.mod', 'k8s.io/kubernetes');
export const ETCD_VERSION = pinnedVersion('etcd/go.mod', 'go.etcd.io/etcd/server/v3');

/** Resolves every binary, building what is missing; says on stderr when it builds and how long that took. */
export async function ensureControlPlaneBinaries(): Promise<ControlPlaneBinaries> {
  const paths = {} as Record<Binary, string>;
  const assets = process.env.KUBEBUILDER_ASSETS;
  const missing: Binary[] = [];
  for (const binary of BINARIES) {
    const fromAssets = assets ? join(assets, binary) : undefined;
    if (fromAssets && existsSync(fromAssets)) paths[binary] = fromAssets;
    else missing.push(binary);
  }
  if (assets && (!paths.etcd || !paths['kube-apiserver'])) {
    throw new Error(
      `KUBEBUILDER_ASSETS is ${assets}, but it holds no ${missing.filter((b) => b !== 'kube-controller-manager').join(' or ')}; ` +
        `point it at a folder with envtest's etcd and kube-apiserver (setup-envtest use -p path), or unset it to build them.`,
    );
  }
  if (missing.length > 0) {
    const cache = cacheDirectory();
    const absent = missing.filter((binary) => !existsSync(join(cache, binary)));
    if (absent.length > 0) await build(cache, absent, Boolean(assets));
    for (const binary of missing) paths[binary] = join(cache, binary);
  }
  return { paths, kubernetesVersion: KUBERNETES_VERSION };
}

/** `$XDG_CACHE_HOME/strata/control-plane/kubernetes-v1.34.4-etcd-v3.6.4-<inputs hash>` (or under ~/.cache). */
export function cacheDirectory(): string {
  const root = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) hash.update(readFileSync(join(BUILD_DIR, input)));
  const key = `kubernetes-${KUBERNETES_VERSION}-etcd-${ETCD_VERSION}-${hash.digest('hex').slice(0, 12)}`;
  return join(root, 'strata', 'control-plane', key);
}

async function build(cache: string, binaries: Binary[], besideAssets: boolean): Promise<void> {
  const env = { ...process.env, PATH: `${process.env.PATH ?? ''}:${GO_FALLBACK}` };
  if (spawnSync('go', ['version'], { env, stdio: 'ignore' }).status !== 0) {
    throw new Error(
      `the tests need ${binaries.join(', ')} (Kubernetes ${KUBERNETES_VERSION}, etcd ${ETCD_VERSION}) and cannot build ` +
        `them: Go is not installed. Install Go 1.24 or later (https://go.dev/doc/install), or point KUBEBUILDER_ASSETS ` +
        `at a folder holding all three of that release (envtest's setup-envtest use ${KUBERNETES_VERSION.slice(1)} -p path ` +
        `gives etcd and kube-apiserver; kube-controller-manager is not among envtest's binaries).`,
    );
  }
  const why = besideAssets ? ' (KUBEBUILDER_ASSETS has no such binaries)' : '';
  process.stderr.write(
    `strata tests: building ${binaries.join(', ')} from the Go module proxy into ${cache}${why}; ` +
      `the first time only, about 5 minutes on 2 cores\n`,
  );
  const started = Date.now();
  mkdirSync(join(cache, '..'), { recursive: true });
  // One build at a time per machine: flock waits for another test run's build, which then leaves nothing to do.
  const staging = `${cache}.building-${process.pid}`;
  const script = `${binaries.map((b) => `[ -x "$1/${b}" ]`).join(' && ')} && exit 0; "$0" "$2" ${binaries.join(' ')}`;
  const result = await run('flock', [`${cache}.lock`, 'bash', '-c', script, BUILD_SCRIPT, cache, staging], env);
  try {
    if (result.code !== 0) {
      throw new Error(
        `building ${binaries.join(', ')} failed (exit ${result.code}); the build printed:\n${result.tail}`,
      );
    }
    if (existsSync(staging)) {
      mkdirSync(cache, { recursive: true });
      for (const binary of binaries) renameSync(join(staging, binary), join(cache, binary));
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  process.stderr.write(`strata tests: built in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: BUILD_TIMEOUT_MS });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code: code ?? 1, tail: output.trimEnd().split('\n').slice(-30).join('\n') }),
    );
  });
}

function pinnedVersion(goMod: string, module: string): string {
  const text = readFileSync(join(BUILD_DIR, goMod), 'utf8');
  const match = new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[./]/g, '\\$&')}\\s+(v\\S+)`, 'm').exec(text);
  if (!match) throw new Error(`${goMod} pins no version of ${module}`);
  return match[1]!;
}
