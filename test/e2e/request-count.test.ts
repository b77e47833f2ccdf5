/**
 * What observing costs the API server: 50 namespaces with 1,000 claims are read with a handful of paginated LISTs,
 * never one GET per object. Kubernetes only, so no S3 server is involved.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBERNETES_KINDS } from '../../src/model/address.js';
import { runCli, scratchProject } from '../support/cli.js';
import { startKubeEmulator, type KubeEmulator } from '../support/kube-emulator/index.js';
import { seedCluster, seededEnvironment } from './support/seed.js';

const ENVIRONMENT = 'bulk';
const SIZE = { namespaces: 50, claimsPerNamespace: 20 };
/** The provider's LIST page size: 1,000 claims take two pages. */
const PAGE_SIZE = 500;

let emulator: KubeEmulator;
let project: Awaited<ReturnType<typeof scratchProject>>;

beforeAll(async () => {
  emulator = await startKubeEmulator();
  project = await scratchProject();
  await seedCluster(emulator, ENVIRONMENT, SIZE);
  await writeFile(join(project.dir, 'environments', `${ENVIRONMENT}.yaml`), seededEnvironment(ENVIRONMENT, SIZE, emulator.contextName));
}, 60_000);
afterAll(async () => {
  await emulator?.stop();
  await project?.remove();
});

describe('observing 50 namespaces with 1,000 claims', () => {
  it('costs a handful of LIST requests and no GET of any object', async () => {
    emulator.counters.reset();

    const { exitCode, stdout, stderr } = await runCli(
      ['plan', ENVIRONMENT, '--kubeconfig', emulator.kubeconfigPath, '--no-out', '--detailed-exitcode'],
      { cwd: project.dir },
    );

    expect(stderr).toBe('');
    expect(stdout).toContain('No changes.');
    expect(exitCode).toBe(0);
    const requests = emulator.counters.byVerbAndResource();
    const lists = Object.entries(requests).filter(([key]) => key.startsWith('list '));
    const totalLists = lists.reduce((sum, [, count]) => sum + count, 0);
    const claims = SIZE.namespaces * SIZE.claimsPerNamespace;
    expect(totalLists).toBeLessThanOrEqual(KUBERNETES_KINDS.length * Math.ceil(claims / PAGE_SIZE));
    expect(requests['list persistentvolumeclaims']).toBe(Math.ceil(claims / PAGE_SIZE));
    // The client may read API discovery to learn plural names; objects are never read one by one.
    expect(Object.keys(requests).filter((key) => !key.startsWith('list ') && key !== 'get discovery')).toEqual([]);
    expect(emulator.counters.total()).toBeLessThan(20);
  });
});
