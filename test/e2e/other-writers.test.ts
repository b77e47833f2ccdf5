/**
 * strata among the other writers of a real cluster: a person with `kubectl edit`, `kubectl patch` and `kubectl label`.
 * strata takes back the declared fields they changed (and says from whom), keeps what they added that the file does
 * not declare, and with --no-force-conflicts leaves their fields to them and says so up front.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasKubectl, kubectlWith, type KubectlRun } from '../support/kube/kubectl.js';
import { startWorld, type World } from './support/world.js';

let world: World;
let scratch: string;
let kubectl: (...args: string[]) => Promise<KubectlRun>;

beforeEach(async () => {
  world = await startWorld({ withoutS3: true });
  scratch = mkdtempSync(join(tmpdir(), 'strata-writers-'));
  kubectl = kubectlWith(world.cluster.kubeconfigPath, scratch);
}, 60_000);
afterEach(async () => {
  await world?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const namespace = () => `codequal-${world.env}`;

async function writeEnvironment(labels = '{ team: codequal }'): Promise<void> {
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${world.env} }`,
    `targets: { kubernetes: { context: ${world.cluster.contextName} } }`,
    'namespaces:',
    '  codequal:',
    `    name: ${namespace()}`,
    `    labels: ${labels}`,
    '    quota: { requests.storage: 200Gi, persistentvolumeclaims: 10 }',
  ];
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), `${lines.join('\n')}\n`);
}

/** `kubectl edit` as a person runs it: the editor changes the file kubectl hands it. */
async function kubectlEdit(resource: string, from: string, to: string): Promise<KubectlRun> {
  const editor = join(scratch, 'editor.sh');
  await writeFile(editor, `#!/bin/sh\nsed -i 's|${from}|${to}|' "$1"\n`, { mode: 0o755 });
  return kubectlWith(world.cluster.kubeconfigPath, scratch, { env: { KUBE_EDITOR: editor } })(
    'edit',
    resource,
    '-n',
    namespace(),
  );
}

const quotaHard = async () =>
  (
    JSON.parse((await kubectl('get', 'resourcequota', 'strata-storage', '-n', namespace(), '-o', 'json')).stdout) as {
      spec: { hard: Record<string, string> };
    }
  ).spec.hard;
const flat = (text: string) => text.replace(/\s+/g, ' ');
const planAgain = () => world.strata('plan', world.env, '--no-out', '--detailed-exitcode', ...world.targetFlags);

describe.skipIf(!hasKubectl)('strata beside kubectl', () => {
  beforeEach(async () => {
    await writeEnvironment();
    expect((await world.plan()).exitCode).toBe(0);
    expect((await world.apply()).exitCode).toBe(0);
  });

  it('takes back a quota limit changed with kubectl edit, naming kubectl-edit in drift and plan', async () => {
    const edited = await kubectlEdit(
      'resourcequota/strata-storage',
      'requests.storage: 200Gi',
      'requests.storage: 800Gi',
    );
    expect(edited.code, edited.stderr).toBe(0);

    const drift = await world.strata('drift', world.env, ...world.targetFlags);
    expect(flat(drift.stdout)).toContain('kubectl-edit');
    const planned = await world.plan();
    expect(flat(planned.stdout)).toContain('(takes the field from kubectl-edit)');
    const applied = await world.apply();

    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    expect((await quotaHard())['requests.storage']).toBe('200Gi');
    expect((await planAgain()).exitCode).toBe(0);
    expect((await planAgain()).exitCode).toBe(0);
  });

  it('with --no-force-conflicts blocks that change up front and leaves the field to kubectl-edit', async () => {
    expect(
      (await kubectlEdit('resourcequota/strata-storage', 'requests.storage: 200Gi', 'requests.storage: 800Gi')).code,
    ).toBe(0);

    const planned = await world.plan('--no-force-conflicts');

    expect(flat(planned.stdout)).toContain(
      'blocked: another writer owns hard["requests.storage"] (kubectl-edit) and --no-force-conflicts keeps strata from taking it',
    );
    expect((await world.apply()).exitCode).toBe(0);
    expect((await quotaHard())['requests.storage']).toBe('800Gi');
  });

  it('keeps a label another tool added to the namespace, through plans and an apply that changes its own labels', async () => {
    expect((await kubectl('label', 'namespace', namespace(), 'pod-security.kubernetes.io/enforce=baseline')).code).toBe(
      0,
    );
    expect((await planAgain()).exitCode).toBe(0);
    await writeEnvironment('{ team: codequal, tier: gold }');

    const planned = await world.plan();
    expect(flat(planned.stdout)).toContain(
      'kept as found (not managed by strata): label pod-security.kubernetes.io/enforce=baseline',
    );
    const applied = await world.apply();

    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    const labels = JSON.parse(
      (await kubectl('get', 'namespace', namespace(), '-o', 'jsonpath={.metadata.labels}')).stdout,
    ) as Record<string, string>;
    expect(labels).toMatchObject({ tier: 'gold', team: 'codequal', 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect((await planAgain()).exitCode).toBe(0);
  });

  it('takes back a declared label someone overwrote with kubectl label, and keeps theirs', async () => {
    expect(
      (await kubectl('label', 'namespace', namespace(), '--overwrite', 'team=platform', 'cost-center=a1')).code,
    ).toBe(0);

    const planned = await world.plan();
    expect(flat(planned.stdout)).toContain('(takes the field from kubectl-label)');
    expect((await world.apply()).exitCode).toBe(0);

    const labels = JSON.parse(
      (await kubectl('get', 'namespace', namespace(), '-o', 'jsonpath={.metadata.labels}')).stdout,
    ) as Record<string, string>;
    expect(labels).toMatchObject({ team: 'codequal', 'cost-center': 'a1' });
    expect((await planAgain()).exitCode).toBe(0);
  });
});
