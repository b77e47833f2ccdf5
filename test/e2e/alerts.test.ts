/**
 * Capacity alerts on a real control plane: the project's own PrometheusRule CRD is installed (idempotently: test files
 * share the cluster), strata writes the rules, the real kubectl reads them back, and a threshold changed with
 * `kubectl patch` is taken back. A cluster that does not serve the CRD at all is the fault proxy answering 404 for the
 * monitoring.coreos.com group, as kube-apiserver does where it is not installed, so the test holds whichever file of
 * the run installed the CRD first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installCrd } from '../support/kube/crds.js';
import { hasKubectl, kubectlWith, type KubectlRun } from '../support/kube/kubectl.js';
import { startWorld, type World } from './support/world.js';

let world: World;
let scratch: string;
let kubectl: (...args: string[]) => Promise<KubectlRun>;

beforeEach(async () => {
  world = await startWorld({ withoutS3: true });
  scratch = mkdtempSync(join(tmpdir(), 'strata-alerts-'));
  kubectl = kubectlWith(world.cluster.kubeconfigPath, scratch);
}, 60_000);
afterEach(async () => {
  await world?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const namespace = () => `codequal-${world.env}`;
const flat = (text: string) => text.replace(/\s+/g, ' ');
const planAgain = () => world.strata('plan', world.env, '--no-out', '--detailed-exitcode', ...world.targetFlags);

async function writeEnvironment({ alerts }: { alerts: boolean }): Promise<void> {
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${world.env} }`,
    `targets: { kubernetes: { context: ${world.cluster.contextName} } }`,
    'storageClasses:',
    `  standard: { name: standard-${world.run}, provisioner: ebs.csi.aws.com }`,
    'namespaces:',
    '  codequal:',
    `    name: ${namespace()}`,
    '    quota: { requests.storage: 200Gi }',
    ...(alerts ? ['    alerts: { warning: 80%, critical: 95% }'] : []),
    '    volumes:',
    '      deepwiki-data:',
    '        storageClass: standard',
    '        size: 20Gi',
    ...(alerts ? ['        alerts: { warning: 75%, critical: 90%, for: { warning: 30m } }'] : []),
  ];
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), `${lines.join('\n')}\n`);
}

interface LiveRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

async function liveGroups(): Promise<{ name: string; rules: LiveRule[] }[]> {
  const read = await kubectl('get', 'prometheusrule', 'strata-storage-alerts', '-n', namespace(), '-o', 'json');
  expect(read.code, read.stderr).toBe(0);
  return (JSON.parse(read.stdout) as { spec: { groups: { name: string; rules: LiveRule[] }[] } }).spec.groups;
}

describe.skipIf(!hasKubectl)('capacity alerts on a cluster that serves PrometheusRule', () => {
  beforeEach(async () => {
    await installCrd(world.cluster.kubeconfig, 'prometheusrule');
  }, 60_000);

  it('plans, applies and reads back the rules with kubectl, then plans nothing', async () => {
    await writeEnvironment({ alerts: true });

    const planned = await world.plan();
    expect(planned.exitCode, planned.stderr).toBe(0);
    expect(planned.stdout).toContain(`+ kubernetes prometheusrule ${namespace()}/strata-storage-alerts`);
    expect(planned.stdout).toContain(
      `expr:   "100 * kubelet_volume_stats_used_bytes{namespace='${namespace()}', persistentvolumeclaim='deepwiki-data'}`,
    );
    const applied = await world.apply();
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);

    const groups = await liveGroups();
    expect(groups.map((group) => group.name)).toEqual(['quota/strata-storage', 'volume/deepwiki-data']);
    const volume = groups[1]!.rules;
    expect(volume.map((rule) => [rule.alert, rule.labels.severity, rule.for])).toEqual([
      ['StorageVolumeFillingUp', 'critical', '5m'],
      ['StorageVolumeFillingUp', 'warning', '30m'],
    ]);
    expect(volume[1]!.expr).toBe(
      `100 * kubelet_volume_stats_used_bytes{namespace='${namespace()}', persistentvolumeclaim='deepwiki-data'} / kubelet_volume_stats_capacity_bytes{namespace='${namespace()}', persistentvolumeclaim='deepwiki-data'} > 75`,
    );
    expect(
      groups[0]!.rules.map((rule) => rule.expr.endsWith(rule.labels.severity === 'warning' ? '> 80' : '> 95')),
    ).toEqual([true, true]);
    expect(volume[1]!.annotations.summary).toBe(`Volume ${namespace()}/deepwiki-data is over 75% full`);
    expect((await planAgain()).exitCode).toBe(0);
    expect((await planAgain()).exitCode).toBe(0);
  });

  it('takes back a threshold changed with kubectl patch, naming kubectl-patch, and reads 1800s as the declared 30m', async () => {
    await writeEnvironment({ alerts: true });
    expect((await world.plan()).exitCode).toBe(0);
    expect((await world.apply()).exitCode).toBe(0);
    const warning = (await liveGroups())[1]!.rules[1]!;
    const patch = [
      { op: 'replace', path: '/spec/groups/1/rules/1/expr', value: warning.expr.replace(/> 75$/, '> 85') },
      // 1800s is the declared 30m: equal in meaning, so not drift.
      { op: 'replace', path: '/spec/groups/1/rules/1/for', value: '1800s' },
    ];
    const patched = await kubectl(
      'patch',
      'prometheusrule',
      'strata-storage-alerts',
      '-n',
      namespace(),
      '--type=json',
      '-p',
      JSON.stringify(patch),
    );
    expect(patched.code, patched.stderr).toBe(0);

    const drift = await world.strata('drift', world.env, ...world.targetFlags);
    expect(flat(drift.stdout)).toContain(
      'groups["volume/deepwiki-data"].warning.expr: (- declared, + live) changed by kubectl-patch',
    );
    expect(drift.stdout).not.toContain('.for');
    const planned = await world.plan();
    expect(flat(planned.stdout)).toContain(
      'groups["volume/deepwiki-data"].warning.expr: (takes the field from kubectl-patch)',
    );
    expect(planned.stdout).toMatch(/^ +-100 \* kubelet_volume_stats_used_bytes.* > 85$/m);
    expect(planned.stdout).toMatch(/^ +\+100 \* kubelet_volume_stats_used_bytes.* > 75$/m);
    const applied = await world.apply();

    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    expect((await liveGroups())[1]!.rules[1]!.expr).toBe(warning.expr);
    expect((await planAgain()).exitCode).toBe(0);
  });
});

describe('a cluster that does not serve monitoring.coreos.com/v1 PrometheusRule', () => {
  beforeEach(() => {
    world.cluster.faults.add({ group: 'monitoring.coreos.com', status: 404 });
  });

  it('blocks the alerts with the reason and what to do, and plans and applies everything else', async () => {
    await writeEnvironment({ alerts: true });

    const planned = await world.strata('plan', world.env, '--no-out', '--detailed-exitcode', ...world.targetFlags);

    expect(planned.stderr).toBe('');
    expect(planned.exitCode).toBe(2);
    expect(flat(planned.stdout)).toContain(
      `! kubernetes prometheusrule ${namespace()}/strata-storage-alerts blocked: the cluster does not serve monitoring.coreos.com/v1 PrometheusRule`,
    );
    expect(flat(planned.stdout)).toContain(
      'install the Prometheus Operator (or at least its monitoring.coreos.com CRDs) on the cluster, or remove alerts from the environment file',
    );
    expect(planned.stdout).toContain(`+ kubernetes pvc ${namespace()}/deepwiki-data`);
    expect((await world.plan()).exitCode).toBe(0);
    const applied = await world.apply();
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    expect((await kubectl('get', 'pvc', 'deepwiki-data', '-n', namespace())).code).toBe(0);
  });

  it('plans an environment without alerts as if the kind did not exist: no note, and no changes once applied', async () => {
    await writeEnvironment({ alerts: false });
    expect((await world.plan()).exitCode).toBe(0);
    expect((await world.apply()).exitCode).toBe(0);

    world.cluster.counters.reset();
    const planned = await planAgain();

    expect(planned.stderr).toBe('');
    expect(planned.stdout).toContain('No changes.');
    expect(planned.stdout).not.toContain('PrometheusRule');
    expect(planned.exitCode).toBe(0);
    // Learning that the kind is not served costs its one LIST, answered 404, and nothing more.
    expect(world.cluster.counters.byVerbAndResource()['list prometheusrules']).toBe(1);
  });
});
