/**
 * observe + plan against the Kubernetes emulator, in-process: N namespaces × M claims seeded straight through the
 * Kubernetes client, then strata's own observe (paginated LISTs) and planner, timed over several runs, with the API
 * requests each plan cost.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observeLive } from '../src/cli/observe-state.js';
import { loadEnvironment } from '../src/config/index.js';
import { createPlan } from '../src/plan/index.js';
import { createKubernetesProvider } from '../src/providers/kubernetes/provider.js';
import { seedCluster, seededEnvironment, type SeedSize } from '../test/e2e/support/seed.js';
import { startKubeEmulator } from '../test/support/kube-emulator/index.js';
import { count, timeRuns, timing } from './stats.js';

const ENVIRONMENT = 'bench';

export async function benchObserve(options: { namespaces: number; pvcs: number; runs: number }): Promise<string[]> {
  const size: SeedSize = { namespaces: options.namespaces, claimsPerNamespace: Math.max(1, Math.round(options.pvcs / options.namespaces)) };
  const claims = size.namespaces * size.claimsPerNamespace;
  const emulator = await startKubeEmulator();
  const dir = await mkdtemp(join(tmpdir(), 'strata-bench-'));
  try {
    const seeding = performance.now();
    await seedCluster(emulator, ENVIRONMENT, size);
    const seededMs = performance.now() - seeding;
    await mkdir(join(dir, 'environments'));
    await writeFile(join(dir, 'environments', `${ENVIRONMENT}.yaml`), seededEnvironment(ENVIRONMENT, size, emulator.contextName));
    const desired = await loadEnvironment(ENVIRONMENT, { cwd: dir });
    const provider = createKubernetesProvider({ environment: ENVIRONMENT, kubeconfigPath: emulator.kubeconfigPath, env: {} });

    const requests: Record<string, number>[] = [];
    let observedObjects = 0;
    let steps = 0;
    const observeAndPlan = async () => {
      emulator.counters.reset();
      const observed = await observeLive(desired, { kubernetes: provider }, AbortSignal.timeout(120_000));
      return { plan: createPlan({ desired, observed, now: new Date() }), objects: observed.resources.length };
    };
    const timed = await timeRuns(options.runs, observeAndPlan, ({ plan, objects }) => {
      requests.push(emulator.counters.byVerbAndResource());
      observedObjects = objects;
      steps = plan.steps.length;
    });

    const last = requests.at(-1) ?? {};
    const lists = Object.entries(last).filter(([key]) => key.startsWith('list ')).reduce((sum, [, n]) => sum + n, 0);
    const total = Object.values(last).reduce((sum, n) => sum + n, 0);
    const objectGets = Object.entries(last).filter(([key]) => key.startsWith('get ') && key !== 'get discovery').reduce((sum, [, n]) => sum + n, 0);
    return [
      `observe + plan · ${count(size.namespaces)} namespaces × ${count(size.claimsPerNamespace)} claims = ${count(claims)} claims (${count(observedObjects)} objects observed), ${options.runs} runs`,
      `  time          ${timing(timed)}`,
      `  requests      ${total} per plan: ${lists} LIST, ${objectGets} GET of an object, ${total - lists - objectGets} other (${describe(last)})`,
      `  per object    ${(total / Math.max(1, observedObjects)).toFixed(4)} requests`,
      `  plan          ${steps === 0 ? 'no changes' : `${count(steps)} steps`} (seeding took ${Math.round(seededMs)} ms, not timed)`,
    ];
  } finally {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function describe(requests: Record<string, number>): string {
  return Object.entries(requests)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
}
