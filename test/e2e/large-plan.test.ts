/**
 * A plan of 2,000 new claims, planned over the wire against an empty cluster, rendered as a pull-request comment.
 * Kubernetes only, so no S3 server is involved.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject } from '../support/cli.js';
import { startKubeEmulator, type KubeEmulator } from '../support/kube-emulator/index.js';
import { seededEnvironment } from './support/seed.js';

const ENVIRONMENT = 'bulk';
const PR_COMMENT_LIMIT = 65_536;

let emulator: KubeEmulator;
let project: Awaited<ReturnType<typeof scratchProject>>;

beforeAll(async () => {
  emulator = await startKubeEmulator();
  project = await scratchProject();
  const size = { namespaces: 100, claimsPerNamespace: 20 };
  await writeFile(join(project.dir, 'environments', `${ENVIRONMENT}.yaml`), seededEnvironment(ENVIRONMENT, size, emulator.contextName));
});
afterAll(async () => {
  await emulator?.stop();
  await project?.remove();
});

const plan = (...extra: string[]) => runCli(['plan', ENVIRONMENT, '--kubeconfig', emulator.kubeconfigPath, '--no-out', ...extra], { cwd: project.dir });

describe('a plan of 2,000 new claims', () => {
  it('prints it in full in the terminal', async () => {
    const { exitCode, stdout } = await plan();
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Plan: 2101 to create');
  });

  it('keeps the pull-request comment under the 65,536-character limit, summary and risks first', async () => {
    const { exitCode, stdout } = await plan('--format', 'markdown');
    expect(exitCode).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^### strata plan · bulk · 2101 create/);
    expect(stdout.length).toBeLessThan(PR_COMMENT_LIMIT);
  });
});
