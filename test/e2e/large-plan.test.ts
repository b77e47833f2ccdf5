/**
 * A plan of 2,000 new claims, planned over the wire against a cluster that holds none of them (it is shared with the
 * run's other tests, whose objects the plan leaves alone), rendered as a pull-request comment. Nothing is written to
 * the cluster. Kubernetes only, so no S3 server is involved.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject } from '../support/cli.js';
import { openTestCluster, type TestCluster } from '../support/kube/index.js';
import { seededEnvironment } from './support/seed.js';

const ENVIRONMENT = `bulk-${randomBytes(3).toString('hex')}`;
const PR_COMMENT_LIMIT = 65_536;

/** Observing the whole shared cluster and planning 2,101 creations, on a machine shared with other tests. */
const PLAN_TIMEOUT_MS = 90_000;

let cluster: TestCluster;
let project: Awaited<ReturnType<typeof scratchProject>>;

beforeAll(async () => {
  cluster = await openTestCluster();
  project = await scratchProject();
  const size = { namespaces: 100, claimsPerNamespace: 20 };
  await writeFile(
    join(project.dir, 'environments', `${ENVIRONMENT}.yaml`),
    seededEnvironment(ENVIRONMENT, size, cluster.contextName),
  );
});
afterAll(async () => {
  await cluster?.stop();
  await project?.remove();
});

const plan = (...extra: string[]) =>
  runCli(['plan', ENVIRONMENT, '--kubeconfig', cluster.kubeconfigPath, '--no-out', ...extra], { cwd: project.dir });

describe('a plan of 2,000 new claims', () => {
  it(
    'prints it in full in the terminal',
    async () => {
      const { exitCode, stdout } = await plan();
      expect(exitCode).toBe(0);
      expect(stdout).toContain('Plan: 2101 to create');
    },
    PLAN_TIMEOUT_MS,
  );

  it(
    'keeps the pull-request comment under the 65,536-character limit, summary and risks first',
    async () => {
      const { exitCode, stdout } = await plan('--format', 'markdown');
      expect(exitCode).toBe(0);
      expect(stdout.split('\n')[0]).toMatch(new RegExp(`^### strata plan · ${ENVIRONMENT} · 2101 create`));
      expect(stdout.length).toBeLessThan(PR_COMMENT_LIMIT);
    },
    PLAN_TIMEOUT_MS,
  );
});
