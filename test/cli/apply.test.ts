import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { s3Target, uniqueBucketName } from '../support/s3/index.js';

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'strata-apply-'));
  await mkdir(join(project, 'environments'));
  await writeFile(
    join(project, 'environments/archive.yaml'),
    `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: archive }
targets:
  s3: { region: us-east-1 }
buckets:
  chat-archives:
    name: ${uniqueBucketName('akosha-chat-archives')}
    versioning: true
`,
  );
});
afterAll(() => rm(project, { recursive: true, force: true }));

function strata(...argv: string[]) {
  const target = s3Target();
  return runCli([...argv, '--s3-endpoint', target.endpoint], {
    cwd: project,
    env: { AWS_ACCESS_KEY_ID: target.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey },
  });
}

describe('strata apply', () => {
  it('asks for --auto-approve when it plans an environment with no terminal to ask in, after printing the plan', async () => {
    const { exitCode, stdout, stderr } = await strata('apply', 'archive');
    expect(exitCode).toBe(1);
    expect(stdout).toContain('Plan: 3 to create');
    expect(stderr).toContain('there is no terminal to ask in');
    expect(stderr).toContain('hint: review the plan above, then run strata apply plans/archive.plan.json (or pass --auto-approve)');
  });

  it('refuses --include-skipped without --resume, saying what it goes with', async () => {
    const { exitCode, stderr } = await strata('apply', 'plans/archive.plan.json', '--include-skipped');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('error: --include-skipped goes with --resume: it applies what an earlier run of the plan skipped');
    expect(stderr).toContain('hint: strata apply --resume --include-skipped plans/archive.plan.json');
  });

  it('refuses, before any write, an environment with no Kubernetes target to hold its lock', async () => {
    const { exitCode, stderr } = await strata('apply', 'archive', '--auto-approve');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('environment archive has no Kubernetes target to hold its apply lock (a Lease)');
    const { stdout } = await strata('plan', 'archive', '--no-out');
    expect(stdout).toContain('Plan: 3 to create');
  });
});
