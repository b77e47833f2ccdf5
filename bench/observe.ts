/**
 * observe + plan against a real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager on loopback,
 * started here and stopped at the end, however the run ends): N namespaces × M claims seeded straight through the
 * Kubernetes client, then strata's own observe (paginated LISTs) and planner, timed over several runs, with the API
 * requests each plan cost, counted by the tests' fault proxy. The claims are WaitForFirstConsumer and no consumer
 * comes, so they stay Pending and no storage driver is needed: this measures planning, not binding.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observeLive } from '../src/cli/observe-state.js';
import { loadEnvironment } from '../src/config/index.js';
import { createPlan } from '../src/plan/index.js';
import { createKubernetesProvider } from '../src/providers/kubernetes/provider.js';
import { seedCluster, seededEnvironment, type SeedSize } from '../test/e2e/support/seed.js';
import { startControlPlane, stopControlPlane } from '../test/support/kube/control-plane.js';
import { CLUSTER_DIR_VARIABLE, openTestCluster, type TestCluster } from '../test/support/kube/index.js';
import { claimsPerNamespace } from './scale/world.js';
import { count, timeRuns, timing } from './stats.js';
import { stopOnExitOrSignal } from './stop.js';

/** Unique per run, as every environment seeded into a control plane is (the StorageClass name carries it). */
const ENVIRONMENT = `bench-${randomBytes(3).toString('hex')}`;

export async function benchObserve(options: { namespaces: number; pvcs: number; runs: number }): Promise<string[]> {
  const size: SeedSize = {
    namespaces: options.namespaces,
    claimsPerNamespace: claimsPerNamespace(options.pvcs, options.namespaces),
  };
  const claims = size.namespaces * size.claimsPerNamespace;
  const clusterDir = mkdtempSync(join(tmpdir(), 'strata-bench-kube-'));
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-'));
  const release = stopOnExitOrSignal(() => {
    stopControlPlane(clusterDir);
    rmSync(dir, { recursive: true, force: true });
  });
  let cluster: TestCluster | undefined;
  try {
    const starting = performance.now();
    const controlPlane = await startControlPlane({ dir: clusterDir, watchPid: process.pid });
    const startedMs = performance.now() - starting;
    process.env[CLUSTER_DIR_VARIABLE] = clusterDir;
    cluster = await openTestCluster({ contextName: 'strata-bench' });
    const seeding = performance.now();
    await seedCluster(cluster, ENVIRONMENT, size);
    const seededMs = performance.now() - seeding;
    await mkdir(join(dir, 'environments'));
    await writeFile(
      join(dir, 'environments', `${ENVIRONMENT}.yaml`),
      seededEnvironment(ENVIRONMENT, size, cluster.contextName),
    );
    const desired = await loadEnvironment(ENVIRONMENT, { cwd: dir });
    const provider = createKubernetesProvider({
      environment: ENVIRONMENT,
      kubeconfigPath: cluster.kubeconfigPath,
      env: {},
    });

    const requests: Record<string, number>[] = [];
    let observedObjects = 0;
    let steps = 0;
    const counters = cluster.counters;
    const observeAndPlan = async () => {
      counters.reset();
      const observed = await observeLive(desired, { kubernetes: provider }, AbortSignal.timeout(120_000));
      return { plan: createPlan({ desired, observed, now: new Date() }), objects: observed.resources.length };
    };
    const timed = await timeRuns(options.runs, observeAndPlan, ({ plan, objects }) => {
      requests.push(counters.byVerbAndResource());
      observedObjects = objects;
      steps = plan.steps.length;
    });

    const last = requests.at(-1) ?? {};
    const lists = Object.entries(last)
      .filter(([key]) => key.startsWith('list '))
      .reduce((sum, [, n]) => sum + n, 0);
    const total = Object.values(last).reduce((sum, n) => sum + n, 0);
    const objectGets = Object.entries(last)
      .filter(([key]) => key.startsWith('get ') && key !== 'get discovery')
      .reduce((sum, [, n]) => sum + n, 0);
    return [
      `observe + plan · Kubernetes ${controlPlane.kubernetesVersion} control plane (started in ${Math.round(startedMs)} ms, not timed)`,
      `  cluster       ${count(size.namespaces)} namespaces × ${count(size.claimsPerNamespace)} claims = ${count(claims)} claims (${count(observedObjects)} objects observed), ${options.runs} runs`,
      `  time          ${timing(timed)}`,
      `  requests      ${total} per plan: ${lists} LIST, ${objectGets} GET of an object, ${total - lists - objectGets} other (${describe(last)})`,
      `  per object    ${(total / Math.max(1, observedObjects)).toFixed(4)} requests`,
      `  plan          ${steps === 0 ? 'no changes' : `${count(steps)} steps`} (seeding took ${Math.round(seededMs)} ms, not timed)`,
    ];
  } finally {
    await cluster?.stop();
    delete process.env[CLUSTER_DIR_VARIABLE];
    release();
  }
}

function describe(requests: Record<string, number>): string {
  return Object.entries(requests)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
}
