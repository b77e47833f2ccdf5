/**
 * The control plane harness itself: where its binaries come from, and that its daemons never outlive their owner.
 * The lifecycle case starts a second, private control plane, so it takes about ten seconds.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BINARIES, cacheDirectory, ensureControlPlaneBinaries, KUBERNETES_VERSION } from '../support/kube/binaries.js';
import { stopControlPlane } from '../support/kube/control-plane.js';
import { waitFor } from '../support/kube/wait.js';

const SERVE = fileURLToPath(new URL('../support/kube/serve.ts', import.meta.url));
const scratch: string[] = [];

afterEach(() => {
  delete process.env.KUBEBUILDER_ASSETS;
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

describe('binaries', () => {
  // The run's global setup has built or found them already; these cases only resolve paths.
  beforeAll(async () => {
    await ensureControlPlaneBinaries();
  });

  it('are reused from the cache folder keyed by the pinned versions', async () => {
    const { paths, kubernetesVersion } = await ensureControlPlaneBinaries();
    expect(kubernetesVersion).toBe(KUBERNETES_VERSION);
    for (const binary of BINARIES) expect(paths[binary]).toBe(join(cacheDirectory(), binary));
    expect(cacheDirectory()).toContain(`kubernetes-${KUBERNETES_VERSION}-etcd-`);
  });

  it('come from KUBEBUILDER_ASSETS when it holds them, as envtest users keep them', async () => {
    const assets = scratchDir('strata-assets-');
    for (const binary of BINARIES) symlinkSync(join(cacheDirectory(), binary), join(assets, binary));
    process.env.KUBEBUILDER_ASSETS = assets;

    const { paths } = await ensureControlPlaneBinaries();

    for (const binary of BINARIES) expect(paths[binary]).toBe(join(assets, binary));
  });

  it('take kube-controller-manager from the cache when KUBEBUILDER_ASSETS has only what envtest ships', async () => {
    const assets = scratchDir('strata-assets-');
    for (const binary of ['etcd', 'kube-apiserver']) symlinkSync(join(cacheDirectory(), binary), join(assets, binary));
    process.env.KUBEBUILDER_ASSETS = assets;

    const { paths } = await ensureControlPlaneBinaries();

    expect(paths['kube-apiserver']).toBe(join(assets, 'kube-apiserver'));
    expect(paths['kube-controller-manager']).toBe(join(cacheDirectory(), 'kube-controller-manager'));
  });

  it('are refused, naming what is missing, when KUBEBUILDER_ASSETS points at a folder without them', async () => {
    process.env.KUBEBUILDER_ASSETS = scratchDir('strata-assets-');

    await expect(ensureControlPlaneBinaries()).rejects.toThrow(
      /holds no etcd or kube-apiserver; point it at a folder with envtest's etcd and kube-apiserver/,
    );
  });
});

describe('lifecycle', () => {
  it(
    'stops every daemon and removes its folder when the process that started it is killed outright',
    { timeout: 90_000 },
    async () => {
      const dir = join(scratchDir('strata-lifecycle-'), 'cluster');
      const owner = spawn(process.execPath, ['--import', 'tsx', SERVE, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      owner.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      owner.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        await waitFor('the private control plane to start', () => output.includes('KUBECONFIG='), {
          timeoutMs: 60_000,
        });
        const daemons = readdirSync(join(dir, 'run')).map((file) =>
          Number(readFileSync(join(dir, 'run', file), 'utf8')),
        );
        expect(daemons).toHaveLength(4); // etcd, kube-apiserver, kube-controller-manager and the watchdog

        owner.kill('SIGKILL');

        await waitFor(
          'the watchdog to stop the daemons',
          () => daemons.every((pid) => !alive(pid)) && !existsSync(dir),
          { timeoutMs: 20_000 },
        );
      } finally {
        owner.kill('SIGKILL');
        stopControlPlane(dir);
      }
    },
  );
});

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
