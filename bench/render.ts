/**
 * plan + render of a large plan: 2,000 claims of which half are new and half grow (each growth a cost risk), planned
 * against an observed state built in memory, then rendered as terminal text and as a pull-request comment.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../src/config/index.js';
import type { DesiredState } from '../src/model/desired.js';
import type { Plan } from '../src/model/plan.js';
import { isKind, type Observed, type ObservedResource } from '../src/model/resources.js';
import { createPlan } from '../src/plan/index.js';
import { renderPlanMarkdown } from '../src/render/plan-markdown.js';
import { renderPlanText } from '../src/render/plan-text.js';
import { seededEnvironment } from '../test/e2e/support/seed.js';
import { count, timeRuns, timing } from './stats.js';

const ENVIRONMENT = 'bench';
const CLAIMS_PER_NAMESPACE = 20;

export async function benchRender(options: { changes: number; runs: number }): Promise<string[]> {
  const namespaces = Math.max(1, Math.round(options.changes / CLAIMS_PER_NAMESPACE));
  const dir = await mkdtemp(join(tmpdir(), 'strata-bench-'));
  try {
    await mkdir(join(dir, 'environments'));
    const size = { namespaces, claimsPerNamespace: CLAIMS_PER_NAMESPACE };
    await writeFile(join(dir, 'environments', `${ENVIRONMENT}.yaml`), seededEnvironment(ENVIRONMENT, size, 'bench'));
    const desired = await loadEnvironment(ENVIRONMENT, { cwd: dir });
    const observed = halfThere(desired);
    const now = new Date();

    let plan: Plan = createPlan({ desired, observed, now });
    const planning = await timeRuns(options.runs, () => (plan = createPlan({ desired, observed, now })));
    let text = '';
    const textTiming = await timeRuns(options.runs, () => (text = renderPlanText(plan, { color: false })));
    let markdown = '';
    const markdownTiming = await timeRuns(options.runs, () => (markdown = renderPlanMarkdown(plan)));

    const { create, update, risks } = plan.summary;
    return [
      `plan + render · ${count(plan.steps.length)} changes (${count(create)} create, ${count(update)} update, ${count(risks)} risks), ${options.runs} runs`,
      `  plan          ${timing(planning)}`,
      `  text          ${timing(textTiming)}, ${count(text.length)} characters`,
      `  markdown      ${timing(markdownTiming)}, ${count(markdown.length)} characters${markdown.length < 65_536 ? ' (fits a pull-request comment)' : ''}`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The namespaces and every other claim exist, at a smaller size: half the claims are created, half grow. */
function halfThere(desired: DesiredState): Observed {
  const resources: ObservedResource[] = [];
  let claim = 0;
  for (const resource of desired.resources) {
    const base = { address: resource.address, fingerprint: '1', owned: true };
    if (isKind(resource, 'Namespace')) resources.push({ ...base, spec: resource.spec });
    if (isKind(resource, 'PersistentVolumeClaim') && claim++ % 2 === 0) {
      resources.push({
        ...base,
        spec: { ...resource.spec, size: '10Gi', maxSize: undefined },
        status: { phase: 'Bound', capacity: '10Gi' },
      });
    }
  }
  return { resources, capabilities: [], sources: { kubernetes: 'bench (in memory)' } };
}
