/**
 * Growth bounds on the real control plane: `growth: { at: 80%, step: 20Gi }` becomes the annotations pvc-autoresizer
 * reads, written with server-side apply as strata's own, read back with the real kubectl, and planned empty once
 * applied. A `kubectl annotate --overwrite` of the threshold (or of the class's enabled annotation) is drift that
 * names kubectl-annotate, and apply takes the annotation back; an autoresizer annotation strata never wrote is another
 * writer's and stays.
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
  scratch = mkdtempSync(join(tmpdir(), 'strata-growth-'));
  kubectl = kubectlWith(world.cluster.kubeconfigPath, scratch);
}, 60_000);
afterEach(async () => {
  await world?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const namespace = () => `codequal-${world.env}`;
const storageClass = () => `fast-ssd-${world.run}`;

async function writeEnvironment(growth: string | undefined): Promise<void> {
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${world.env} }`,
    `targets: { kubernetes: { context: ${world.cluster.contextName} } }`,
    'storageClasses:',
    `  fast-ssd: { name: ${storageClass()}, provisioner: ebs.csi.aws.com, allowVolumeExpansion: true }`,
    'namespaces:',
    '  codequal:',
    `    name: ${namespace()}`,
    '    volumes:',
    `      deepwiki-data: { storageClass: fast-ssd, size: 20Gi, maxSize: 500Gi${growth ? `, growth: ${growth}` : ''} }`,
  ];
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), `${lines.join('\n')}\n`);
}

interface Annotated {
  metadata: { annotations?: Record<string, string>; managedFields?: { manager: string; fieldsV1: unknown }[] };
}
const read = async (...resource: string[]): Promise<Annotated> =>
  JSON.parse((await kubectl('get', ...resource, '-o', 'json', '--show-managed-fields')).stdout) as Annotated;
const claimAnnotations = async () => (await read('pvc', 'deepwiki-data', '-n', namespace())).metadata.annotations ?? {};
const classAnnotations = async () => (await read('storageclass', storageClass())).metadata.annotations ?? {};
const autoresizerAnnotations = (annotations: Record<string, string>) =>
  Object.fromEntries(Object.entries(annotations).filter(([key]) => key.startsWith('resize.topolvm.io/')));
const flat = (text: string) => text.replace(/\s+/g, ' ');
const planAgain = () => world.strata('plan', world.env, '--no-out', '--detailed-exitcode', ...world.targetFlags);

describe.skipIf(!hasKubectl)('growth bounds as pvc-autoresizer annotations on a real cluster', () => {
  it('plans them readably, writes them as strata, plans empty after, and takes back a threshold kubectl overwrote', async () => {
    await writeEnvironment('{ at: 80%, step: 20Gi }');

    const planned = await world.plan();
    expect(planned.exitCode, planned.stderr).toBe(0);
    expect(flat(planned.stdout)).toContain('growth: at 80% full, +20Gi, up to 500Gi');
    expect(flat(planned.stdout)).toContain('autoresize: true');
    const applied = await world.apply();
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);

    expect(autoresizerAnnotations(await claimAnnotations())).toEqual({
      'resize.topolvm.io/threshold': '20%',
      'resize.topolvm.io/increase': '20Gi',
      'resize.topolvm.io/storage_limit': '500Gi',
    });
    expect(autoresizerAnnotations(await classAnnotations())).toEqual({ 'resize.topolvm.io/enabled': 'true' });
    const strataFields = JSON.stringify(
      (await read('pvc', 'deepwiki-data', '-n', namespace())).metadata.managedFields?.find(
        (entry) => entry.manager === 'strata',
      )?.fieldsV1,
    );
    expect(strataFields).toContain('"f:resize.topolvm.io/threshold"');
    expect((await planAgain()).exitCode).toBe(0);

    const annotated = await kubectl(
      'annotate',
      'pvc',
      'deepwiki-data',
      '-n',
      namespace(),
      '--overwrite',
      'resize.topolvm.io/threshold=5%',
    );
    expect(annotated.code, annotated.stderr).toBe(0);
    const disabled = await kubectl(
      'annotate',
      'storageclass',
      storageClass(),
      '--overwrite',
      'resize.topolvm.io/enabled=false',
    );
    expect(disabled.code, disabled.stderr).toBe(0);

    const drift = await world.strata('drift', world.env, '--detailed-exitcode', ...world.targetFlags);
    expect(drift.exitCode, drift.stdout + drift.stderr).toBe(2);
    expect(flat(drift.stdout)).toContain(
      'growth: declared at 80% full, +20Gi, up to 500Gi, live at 95% full, +20Gi, up to 500Gi changed by kubectl-annotate',
    );
    const replanned = await world.plan();
    expect(flat(replanned.stdout)).toContain(
      'growth: at 95% full, +20Gi, up to 500Gi → at 80% full, +20Gi, up to 500Gi (takes the field from kubectl-annotate)',
    );
    const reapplied = await world.apply();
    expect(reapplied.exitCode, reapplied.stdout + reapplied.stderr).toBe(0);
    expect((await claimAnnotations())['resize.topolvm.io/threshold']).toBe('20%');
    expect((await classAnnotations())['resize.topolvm.io/enabled']).toBe('true');
    expect((await planAgain()).exitCode).toBe(0);
  });

  it('removes its annotations when growth is no longer declared, and keeps those another writer set', async () => {
    await writeEnvironment('{ at: 80%, step: 20Gi }');
    expect((await world.plan()).exitCode).toBe(0);
    expect((await world.apply()).exitCode).toBe(0);

    await writeEnvironment(undefined);
    const planned = await world.plan();
    expect(flat(planned.stdout)).toContain('growth: at 80% full, +20Gi, up to 500Gi (removed)');
    const applied = await world.apply();
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    expect(autoresizerAnnotations(await claimAnnotations())).toEqual({});
    expect(autoresizerAnnotations(await classAnnotations())).toEqual({});

    expect((await kubectl('annotate', 'storageclass', storageClass(), 'resize.topolvm.io/enabled=true')).code).toBe(0);
    expect(
      (await kubectl('annotate', 'pvc', 'deepwiki-data', '-n', namespace(), 'resize.topolvm.io/storage_limit=1Ti'))
        .code,
    ).toBe(0);
    const unchanged = await planAgain();
    expect(unchanged.exitCode, unchanged.stdout).toBe(0);
    expect(flat(unchanged.stdout)).not.toContain('resize.topolvm.io');
    expect(autoresizerAnnotations(await claimAnnotations())).toEqual({ 'resize.topolvm.io/storage_limit': '1Ti' });
  });
});
