/**
 * Real RBAC: the drift CronJob example's read-only ClusterRole is applied with kubectl, and `strata drift` runs with
 * a token of its ServiceAccount issued by the real TokenRequest API. With the role it passes; with one permission
 * taken away, strata says which verb on which resource it lacked; a static-token user with no role hears the same.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject } from '../support/cli.js';
import { openTestCluster, type TestCluster } from '../support/kube/index.js';
import { KUBECTL, hasKubectl, kubectlWith, type KubectlRun } from '../support/kube/kubectl.js';

const EXAMPLE = new URL('../../examples/ci/kubernetes/drift-cronjob.yaml', import.meta.url);
if (!hasKubectl) console.warn(`RBAC tests skipped: ${KUBECTL} is not installed`);

describe.skipIf(!hasKubectl)('strata drift with the example read-only ClusterRole', () => {
  const run = randomBytes(3).toString('hex');
  const env = `rbac-${run}`;
  let cluster: TestCluster;
  let project: Awaited<ReturnType<typeof scratchProject>>;
  let scratch: string;
  let readerKubeconfig: string;

  const kubectl = (...args: string[]): Promise<KubectlRun> =>
    kubectlWith(cluster.kubeconfigPath, scratch, { timeoutMs: 30_000 })(...args);

  /** The example's RBAC objects, named for this run so the shared cluster keeps them apart; the CronJob is left out. */
  function exampleRbac(edit: (text: string) => string = (text) => text): string {
    const documents = readFileSync(EXAMPLE, 'utf8')
      .split(/^---$/m)
      .filter((document) => !/^kind: CronJob$/m.test(document));
    const path = join(scratch, `rbac-${randomBytes(2).toString('hex')}.yaml`);
    writeFileSync(
      path,
      edit(
        documents
          .join('---')
          .replaceAll('strata-drift-reader', `strata-drift-reader-${run}`)
          .replaceAll('strata-system', `strata-system-${run}`),
      ),
    );
    return path;
  }

  const drift = () =>
    runCli(['drift', env, '--kubeconfig', readerKubeconfig, '--context', cluster.contextName], {
      cwd: project.dir,
      env: { STRATA_ACTOR: 'rbac-test' },
    });

  beforeAll(async () => {
    cluster = await openTestCluster();
    project = await scratchProject();
    scratch = mkdtempSync(join(tmpdir(), 'strata-rbac-'));
    await kubectl('create', 'namespace', `strata-system-${run}`);
    const applied = await kubectl('apply', '-f', exampleRbac());
    expect(applied.stderr).toBe('');
    const token = await kubectl('create', 'token', 'strata-drift', '-n', `strata-system-${run}`, '--duration=1h');
    expect(token.code).toBe(0);
    readerKubeconfig = cluster.kubeconfigAs(`strata-drift-${run}`, token.stdout.trim()).kubeconfigPath;
    writeFileSync(
      join(project.dir, 'environments', `${env}.yaml`),
      [
        'apiVersion: strata.dev/v1alpha1',
        'kind: Environment',
        `metadata: { name: ${env} }`,
        `targets: { kubernetes: { context: ${cluster.contextName} } }`,
        'storageClasses:',
        `  fast-ssd-${run}: { provisioner: ebs.csi.aws.com, allowVolumeExpansion: true }`,
        'namespaces:',
        '  codequal:',
        `    name: codequal-${run}`,
        '    volumes:',
        `      deepwiki-data: { storageClass: fast-ssd-${run}, size: 20Gi, maxSize: 100Gi }`,
        '',
      ].join('\n'),
    );
  }, 60_000);

  afterAll(async () => {
    await kubectl('delete', '-f', exampleRbac(), '--ignore-not-found', '--wait=false');
    await kubectl('delete', 'namespace', `strata-system-${run}`, '--wait=false');
    await cluster?.stop();
    await project?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reads everything it needs with the example role and reports the drift', async () => {
    const result = await drift();
    expect(result.stderr).not.toMatch(/error|forbidden/i);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`codequal-${run}`);
  });

  it('tells a user with no role at all what to grant first, from the very first read', async () => {
    const nobody = cluster.kubeconfigAs('tester-1', cluster.userToken('tester-1')).kubeconfigPath;

    const result = await runCli(['drift', env, '--kubeconfig', nobody, '--context', cluster.contextName], {
      cwd: project.dir,
      env: { STRATA_ACTOR: 'rbac-test' },
    });

    expect(result.exitCode).toBe(1);
    // Which of the five LISTs is refused first depends on which answers first.
    expect(result.stderr).toMatch(
      /User "tester-1" cannot list resource "[a-z]+" in API group "[a-z0-9.]*" at the cluster scope/,
    );
    expect(result.stderr).toMatch(/grant the kubeconfig's user `list` on [a-z0-9.]+ cluster-wide/);
  });

  it('names the verb and resource it lacks when the role no longer grants them', async () => {
    const withoutCronJobs = exampleRbac((text) =>
      text.replace('  - apiGroups: [batch]\n    resources: [cronjobs]\n    verbs: [get, list]\n', ''),
    );
    expect(readFileSync(withoutCronJobs, 'utf8')).not.toContain('cronjobs');
    expect((await kubectl('apply', '-f', withoutCronJobs)).code).toBe(0);

    const result = await drift();

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`cannot list resource "cronjobs" in API group "batch" at the cluster scope`);
    expect(result.stderr).toContain("grant the kubeconfig's user `list` on cronjobs.batch cluster-wide");
    expect(result.stderr).toContain('check with: kubectl auth can-i list cronjobs.batch --all-namespaces');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
