import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { s3Target, uniqueBucketName } from '../support/s3/index.js';

const KEY = '0123456789abcdef0123456789abcdef-signing-key';
let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'strata-signed-'));
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

function strata(env: NodeJS.ProcessEnv, ...argv: string[]) {
  const target = s3Target();
  return runCli([...argv, ...(argv[0] === 'plan' ? ['--s3-endpoint', target.endpoint] : [])], {
    cwd: project,
    env: { AWS_ACCESS_KEY_ID: target.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey, ...env },
  });
}

describe('signed plans in the CLI', () => {
  it('shows a signed plan, saying it is signed and whether the signature was checked', async () => {
    expect((await strata({ STRATA_PLAN_KEY: KEY }, 'plan', 'archive')).exitCode).toBe(0);

    const checked = await strata({ STRATA_PLAN_KEY: KEY }, 'show', 'plans/archive.plan.json');
    const unchecked = await strata({}, 'show', 'plans/archive.plan.json');

    expect(checked.stderr).toBe('plans/archive.plan.json is signed; the signature matches STRATA_PLAN_KEY\n');
    expect(unchecked.stderr).toBe('plans/archive.plan.json is signed; the signature is not checked, as STRATA_PLAN_KEY is not set here\n');
    expect([checked.exitCode, unchecked.exitCode]).toEqual([0, 0]);
    expect(unchecked.stdout).toContain('Plan: 3 to create');
  });

  it('refuses to show a plan whose signature does not match the key', async () => {
    expect((await strata({ STRATA_PLAN_KEY: KEY }, 'plan', 'archive')).exitCode).toBe(0);

    const shown = await strata({ STRATA_PLAN_KEY: `${KEY}-of-another-pipeline` }, 'show', 'plans/archive.plan.json');

    expect(shown.exitCode).toBe(1);
    expect(shown.stderr).toContain('error: plans/archive.plan.json has a signature that does not match STRATA_PLAN_KEY');
    expect(shown.stdout).toBe('');
  });

  it('refuses to plan with a STRATA_PLAN_KEY that is set but empty, as a missing CI secret is', async () => {
    const { exitCode, stderr } = await strata({ STRATA_PLAN_KEY: '' }, 'plan', 'archive');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('error: STRATA_PLAN_KEY is set but empty (a CI secret that does not exist expands to nothing)');
    expect(stderr).toContain('hint: unset it to work without signed plans, or make one with `openssl rand -hex 32`');
  });
});
