/**
 * strata at platform scale, side by side with a Terraform-style per-resource refresh and with the floor, in one run
 * against the same real servers: a Kubernetes control plane and Ceph RGW, each behind a counting proxy that can add
 * latency to every request. Each contender is its own process, timed with /usr/bin/time (wall, CPU, peak RSS):
 * - `strata plan` of the world's environment file (the built CLI, as users run it);
 * - the refresh (bench/scale/refresh.ts): one GET per object and per bucket setting, 10 in flight;
 * - the floor (bench/scale/floor.ts): the very requests strata sent, by a minimal client at strata's concurrency;
 * - `kubectl diff --server-side` of one namespace's claims, a size it finishes in reasonable time;
 * - the planner alone: createPlan in-process on a `strata observe` snapshot of the world, its CPU time.
 * The world is seeded with `strata apply` through the proxies (its steps per second are the apply figures); with the
 * test servers of `npm run test-servers -- up` it is kept, and a later run reuses it. Figures are printed, never
 * asserted on.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadEnvironment } from '../src/config/index.js';
import { createPlan } from '../src/plan/index.js';
import { DEFAULT_CONCURRENCY } from '../src/providers/s3/connect.js';
import { readSnapshotFile } from '../src/providers/snapshot/snapshot.js';
import { readClusterAccess, startControlPlane, stopControlPlane } from '../test/support/kube/control-plane.js';
import { CLUSTER_DIR_VARIABLE, openTestCluster, type TestCluster } from '../test/support/kube/index.js';
import { ensureCephInstalled } from '../test/support/s3/install.js';
import { startS3Proxy, type S3Proxy } from '../test/support/s3/proxy.js';
import { startRgw, stopRgw } from '../test/support/s3/rgw.js';
import { s3Target, TARGET_VARIABLES, type S3Target } from '../test/support/s3/target.js';
import type { FloorRequests } from './scale/floor.js';
import {
  claimManifests,
  claimsPerNamespace,
  worldEnvironment,
  worldName,
  worldObjects,
  type WorldSize,
} from './scale/world.js';
import { count, summarize } from './stats.js';
import { stopOnExitOrSignal } from './stop.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(REPO, 'dist', 'cli', 'main.js');
const KEPT_WORLDS = join(REPO, '.strata', 'bench');
const LATENCIES_MS = [0, 10] as const;
/** Steps at once while seeding: as many as the dependency order allows without swamping a 2-core machine. */
const APPLY_CONCURRENCY = 16;
const KUBECTL_DIFF_NAMESPACES = 1;

interface Usage {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  exitCode: number;
  output: string;
}

interface Servers {
  clusterDir: string;
  s3: S3Target;
  /** Started by `npm run test-servers -- up`: seeded worlds outlive this run. */
  kept: boolean;
  stop(): void;
}

export async function benchScale(options: {
  namespaces: number;
  pvcs: number;
  buckets: number;
  runs: number;
}): Promise<string[]> {
  const full: WorldSize = {
    namespaces: options.namespaces,
    claimsPerNamespace: claimsPerNamespace(options.pvcs, options.namespaces),
    buckets: options.buckets,
  };
  const tenth: WorldSize = {
    namespaces: Math.max(1, Math.round(full.namespaces / 10)),
    claimsPerNamespace: full.claimsPerNamespace,
    buckets: Math.max(1, Math.round(full.buckets / 10)),
  };
  await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO });
  const servers = await acquireServers();
  const release = stopOnExitOrSignal(() => servers.stop());
  let cluster: TestCluster | undefined;
  let proxy: S3Proxy | undefined;
  try {
    process.env[CLUSTER_DIR_VARIABLE] = servers.clusterDir;
    cluster = await openTestCluster({ contextName: 'strata-bench' });
    proxy = await startS3Proxy(servers.s3.endpoint);
    const bench = new ScaleBench(cluster, proxy, servers, options.runs);
    const small = await bench.world(tenth);
    const large = await bench.world(full);
    return [...large.lines, '', ...growth(small, large), '', ...(await bench.kubectlDiff(full))];
  } finally {
    await proxy?.close();
    await cluster?.stop();
    delete process.env[CLUSTER_DIR_VARIABLE];
    release();
  }
}

interface WorldResult {
  size: WorldSize;
  strataAt10Ms: number;
  lines: string[];
}

class ScaleBench {
  constructor(
    private readonly cluster: TestCluster,
    private readonly proxy: S3Proxy,
    private readonly servers: Servers,
    private readonly runs: number,
  ) {}

  private get childEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      KUBECONFIG: this.cluster.kubeconfigPath,
      AWS_ENDPOINT_URL_S3: this.proxy.endpoint,
      AWS_ACCESS_KEY_ID: this.servers.s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.servers.s3.credentials.secretAccessKey,
      AWS_REGION: this.servers.s3.region,
    };
  }

  private latency(ms: number): void {
    this.cluster.faults.clear();
    if (ms > 0) this.cluster.faults.add({ latencyMs: ms });
    this.proxy.delayMs = ms;
  }

  private resetCounts(): void {
    this.cluster.counters.reset();
    this.proxy.reset();
  }

  /** Measures one world; the files of a world on servers this run started go with them. */
  async world(size: WorldSize): Promise<WorldResult> {
    const environment = worldName(size);
    const dir = this.servers.kept ? join(KEPT_WORLDS, environment) : mkdtempSync(join(tmpdir(), 'strata-scale-'));
    try {
      return await this.measure(environment, size, dir);
    } finally {
      if (!this.servers.kept) rmSync(dir, { recursive: true, force: true });
    }
  }

  private async measure(environment: string, size: WorldSize, dir: string): Promise<WorldResult> {
    mkdirSync(join(dir, 'environments'), { recursive: true });
    const file = join(dir, 'environments', `${environment}.yaml`);
    writeFileSync(file, worldEnvironment(environment, size, this.cluster.contextName));
    const objects = join(dir, 'objects.json');
    writeFileSync(objects, JSON.stringify(worldObjects(environment, size)));
    const lines = await this.seeded(environment, dir);

    const plan = ['node', CLI, 'plan', environment, '--no-out', '--detailed-exitcode'];
    const contenders: Record<string, { samples: Usage[]; requests: Record<string, number> }> = {};
    const floorFile = join(dir, 'floor.json');
    for (const latencyMs of LATENCIES_MS) {
      this.latency(latencyMs);
      const strata = await this.timed('strata', plan, dir, contenders, latencyMs);
      if (strata.exitCode !== 0)
        throw new Error(`strata plan of ${environment} did not find it in sync:\n${strata.output}`);
      // The floor replays what strata sent at 0 ms; the proxies' delay is theirs to add.
      if (latencyMs === LATENCIES_MS[0]) writeFileSync(floorFile, JSON.stringify(this.floorRequests()));
      await this.timed('refresh', contender('refresh', objects), dir, contenders, latencyMs);
      await this.timed('floor', contender('floor', floorFile), dir, contenders, latencyMs);
    }
    this.latency(0);
    const planning = await this.planningCpu(environment, dir);

    const median = (name: string, latencyMs: number, pick: (usage: Usage) => number) =>
      summarize(contenders[`${name} ${latencyMs}`]!.samples.map(pick)).median;
    const row = (label: string, name: string) =>
      `  ${label.padEnd(38)}${seconds(median(name, 0, (u) => u.wallMs)).padStart(8)}${seconds(median(name, 10, (u) => u.wallMs)).padStart(9)}` +
      `${seconds(median(name, 10, (u) => u.cpuMs)).padStart(9)}${`${Math.round(median(name, 10, (u) => u.rssMb))} MB`.padStart(10)}   ${describeRequests(contenders[`${name} 10`]!.requests)}`;
    const strataAt10Ms = median('strata', 10, (u) => u.wallMs);
    const refreshAt10Ms = median('refresh', 10, (u) => u.wallMs);
    const floorAt10Ms = median('floor', 10, (u) => u.wallMs);
    const claims = size.namespaces * size.claimsPerNamespace;
    return {
      size,
      strataAt10Ms,
      lines: [
        `scale · ${count(size.namespaces)} namespaces × ${count(size.claimsPerNamespace)} claims = ${count(claims)} claims, ${count(size.buckets)} buckets (versioning, 2 lifecycle rules, tags, public access blocked) · median of ${this.runs}`,
        ...lines,
        `  ${''.padEnd(38)}${'0 ms'.padStart(8)}${'10 ms'.padStart(9)}${'CPU'.padStart(9)}${'RSS'.padStart(10)}   requests (at 10 ms)`,
        row('strata plan (no changes)', 'strata'),
        row('per-resource refresh, 10 in flight', 'refresh'),
        row(`floor: strata's requests, minimal client`, 'floor'),
        `  at 10 ms per request: strata ${ratio(refreshAt10Ms, strataAt10Ms)} faster than the refresh, ${ratio(strataAt10Ms, floorAt10Ms)} the floor's time`,
        `  planning      ${count(planning.resources)} resources: ${Math.round(planning.cpuMs)} ms of CPU (createPlan in-process, from a snapshot of the world, median of ${this.runs})`,
      ],
    };
  }

  /** The planner's own CPU, apart from start-up and the network: `strata observe` once, then createPlan in-process. */
  private async planningCpu(environment: string, dir: string): Promise<{ resources: number; cpuMs: number }> {
    const snapshot = join(dir, 'observed.json');
    const observedRun = await usage(['node', CLI, 'observe', environment, '--out', snapshot], dir, this.childEnv);
    if (observedRun.exitCode !== 0) throw new Error(`strata observe of ${environment} failed:\n${observedRun.output}`);
    const desired = await loadEnvironment(environment, { cwd: dir });
    const observed = readSnapshotFile(snapshot);
    const samples: number[] = [];
    for (let run = 0; run < this.runs; run += 1) {
      const started = process.cpuUsage();
      createPlan({ desired, observed, now: new Date() });
      const spent = process.cpuUsage(started);
      samples.push((spent.user + spent.system) / 1000);
    }
    return { resources: observed.resources.length, cpuMs: summarize(samples).median };
  }

  /** Plans the world; when it is not in sync yet, applies it through the proxies at 10 ms and reports the apply. */
  private async seeded(environment: string, dir: string): Promise<string[]> {
    const figures = join(dir, 'apply.txt');
    this.latency(0);
    const check = await usage(
      ['node', CLI, 'plan', environment, '--no-out', '--detailed-exitcode'],
      dir,
      this.childEnv,
    );
    if (check.exitCode === 0 && existsSync(figures))
      return [`${readFileSync(figures, 'utf8').trimEnd()} (when this world was seeded)`];
    if (check.exitCode !== 0 && check.exitCode !== 2)
      throw new Error(`strata plan of ${environment} failed:\n${check.output}`);
    this.latency(10);
    this.resetCounts();
    const applied = await usage(
      ['node', CLI, 'apply', environment, '--auto-approve', '--concurrency', String(APPLY_CONCURRENCY)],
      dir,
      this.childEnv,
    );
    this.latency(0);
    if (applied.exitCode !== 0)
      throw new Error(`strata apply of ${environment} failed:\n${applied.output.slice(-4000)}`);
    const steps = Number(/Apply complete: (\d+) steps? succeeded/.exec(applied.output)?.[1] ?? 0);
    const requests = this.cluster.counters.total() + this.proxy.requests;
    const line =
      `  apply         ${count(steps)} creates in ${seconds(applied.wallMs)} at 10 ms per request, --concurrency ${APPLY_CONCURRENCY}: ` +
      `${(steps / (applied.wallMs / 1000)).toFixed(1)} steps/s, ${(requests / Math.max(1, steps)).toFixed(2)} requests per step, CPU ${seconds(applied.cpuMs)}, RSS ${Math.round(applied.rssMb)} MB`;
    writeFileSync(figures, `${line}\n`);
    return [line];
  }

  private async timed(
    name: string,
    command: string[],
    dir: string,
    into: Record<string, { samples: Usage[]; requests: Record<string, number> }>,
    latencyMs: number,
  ): Promise<Usage> {
    const samples: Usage[] = [];
    let last: Usage | undefined;
    for (let run = 0; run < this.runs; run += 1) {
      this.resetCounts();
      last = await usage(command, dir, this.childEnv);
      // strata plan's exit code says whether the world is in sync: its caller reads it.
      if (name !== 'strata' && last.exitCode !== 0) throw new Error(`the ${name} failed:\n${last.output}`);
      samples.push(last);
    }
    into[`${name} ${latencyMs}`] = {
      samples,
      requests: {
        ...prefixed('k8s', this.cluster.counters.byVerbAndResource()),
        ...prefixed('s3', this.proxy.byOperation()),
      },
    };
    return last!;
  }

  /** What strata's last plan sent, for the floor: LISTs by their first page (the floor follows continue itself). */
  private floorRequests(): FloorRequests {
    const access = readClusterAccess(this.servers.clusterDir);
    const kubernetes = this.cluster.counters.requests().map(({ path }) => path);
    return {
      kubernetes: {
        server: this.cluster.url,
        token: access.adminToken,
        ca: readFileSync(access.caCert, 'utf8'),
        lists: kubernetes.filter((path) => path.includes('limit=') && !path.includes('continue=')),
        others: kubernetes.filter((path) => !path.includes('limit=')),
      },
      s3: {
        endpoint: this.proxy.endpoint,
        region: this.servers.s3.region,
        accessKeyId: this.servers.s3.credentials.accessKeyId,
        secretAccessKey: this.servers.s3.credentials.secretAccessKey,
        concurrency: DEFAULT_CONCURRENCY,
        requests: this.proxy.sent(),
      },
    };
  }

  async kubectlDiff(size: WorldSize): Promise<string[]> {
    const environment = worldName(size);
    const dir = mkdtempSync(join(tmpdir(), 'strata-scale-kubectl-'));
    try {
      const manifests = join(dir, 'claims.yaml');
      writeFileSync(manifests, claimManifests(environment, size, KUBECTL_DIFF_NAMESPACES));
      const claims = KUBECTL_DIFF_NAMESPACES * size.claimsPerNamespace;
      const walls: string[] = [];
      let requests = 0;
      for (const latencyMs of LATENCIES_MS) {
        this.latency(latencyMs);
        this.resetCounts();
        const diffed = await usage(['kubectl', 'diff', '--server-side', '-f', manifests], dir, {
          ...this.childEnv,
          KUBECTL_EXTERNAL_DIFF: 'true',
        });
        if (diffed.exitCode > 1) throw new Error(`kubectl diff failed:\n${diffed.output}`);
        walls.push(`${seconds(diffed.wallMs)} at ${latencyMs} ms (${(diffed.wallMs / claims).toFixed(1)} ms a claim)`);
        requests = this.cluster.counters.total();
      }
      this.latency(0);
      return [
        `kubectl diff --server-side · ${count(claims)} claims of one namespace (a dry-run apply per object)`,
        `  wall          ${walls.join(', ')}; ${count(requests)} requests`,
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Wall time at 10 ms per request, small world against the large one: linear growth is a ratio near the input's. */
function growth(small: WorldResult, large: WorldResult): string[] {
  const resources = (size: WorldSize) => size.namespaces * size.claimsPerNamespace + size.buckets;
  const describe = (size: WorldSize) =>
    `${count(size.namespaces * size.claimsPerNamespace)} claims + ${count(size.buckets)} buckets`;
  return [
    'growth · strata plan at 10 ms per request',
    `  ${describe(small.size).padEnd(32)}${seconds(small.strataAt10Ms)}`,
    `  ${describe(large.size).padEnd(32)}${seconds(large.strataAt10Ms)}   (${ratio(resources(large.size), resources(small.size))} the resources, ${ratio(large.strataAt10Ms, small.strataAt10Ms)} the time)`,
  ];
}

async function acquireServers(): Promise<Servers> {
  const keptCluster = process.env[CLUSTER_DIR_VARIABLE];
  if (keptCluster && process.env[TARGET_VARIABLES.endpoint]) {
    return { clusterDir: keptCluster, s3: s3Target(), kept: true, stop: () => undefined };
  }
  ensureCephInstalled();
  const clusterDir = mkdtempSync(join(tmpdir(), 'strata-bench-kube-'));
  const cephDir = mkdtempSync(join(tmpdir(), 'strata-bench-rgw-'));
  const stop = () => {
    stopControlPlane(clusterDir);
    stopRgw(cephDir);
  };
  try {
    const [rgw] = await Promise.all([
      startRgw({ cephDir, watchPid: process.pid }),
      startControlPlane({ dir: clusterDir, watchPid: process.pid }),
    ]);
    return { clusterDir, s3: rgw.target, kept: false, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

/** Runs a command under /usr/bin/time: wall, user + system CPU and peak RSS of the process (its largest child's). */
async function usage(command: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Usage> {
  const timeFile = join(mkdtempSync(join(tmpdir(), 'strata-time-')), 'time');
  const started = performance.now();
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', ...command], { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ code: exitCode ?? 1, output }));
  });
  const wallMs = performance.now() - started;
  const measured = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  rmSync(join(timeFile, '..'), { recursive: true, force: true });
  const [user = 0, system = 0, rssKb = 0] = measured;
  return { wallMs, cpuMs: (user + system) * 1000, rssMb: rssKb / 1024, exitCode: code, output };
}

/**
 * A contender in bench/scale/, run as its own process: TypeScript through tsx's loader, named by its own location,
 * as the process runs in the world's directory.
 */
function contender(name: 'refresh' | 'floor', input: string): string[] {
  return ['node', '--import', import.meta.resolve('tsx'), join(REPO, 'bench', 'scale', `${name}.ts`), input];
}

async function run(command: string, args: string[], options: { cwd: string }): Promise<void> {
  await promisify(execFile)(command, args, options);
}

function prefixed(system: string, requests: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(requests).map(([key, n]) => [`${system} ${key}`, n]));
}

/** `k8s 12 (list 11, get 1), s3 6,001 (GET versioning 1,000, …)`: totals per system, then per verb or operation. */
function describeRequests(requests: Record<string, number>): string {
  const systems = new Map<string, Map<string, number>>();
  for (const [key, n] of Object.entries(requests)) {
    const [system = '', verb = '', ...rest] = key.split(' ');
    const label = system === 'k8s' ? verb : `${verb} ${rest.join(' ')}`;
    const bySystem = systems.get(system) ?? new Map<string, number>();
    bySystem.set(label, (bySystem.get(label) ?? 0) + n);
    systems.set(system, bySystem);
  }
  return [...systems]
    .map(([system, labels]) => {
      const total = [...labels.values()].reduce((sum, n) => sum + n, 0);
      return `${system} ${count(total)} (${[...labels].map(([label, n]) => `${label} ${count(n)}`).join(', ')})`;
    })
    .join(', ');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
