import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { runCli, scratchProject } from '../support/cli.js';

const SNAPSHOT = 'examples/snapshots/dev.observed.json';
let project: Awaited<ReturnType<typeof scratchProject>>;

beforeEach(async () => {
  project = await scratchProject();
});
afterEach(() => project.remove());

const strata = (...argv: string[]) => runCli(argv, { cwd: project.dir });

/** A saved plan file, or the output of `--json`: the plan's fields and its hash. */
type PlanJson = Plan & { planHash: string };

describe('strata plan (offline, against a snapshot)', () => {
  it('prints the summary and the risks before the changes', async () => {
    const { exitCode, stdout } = await strata('plan', 'dev', '--observed', SNAPSHOT);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Plan: 8 to create, 6 to update, 1 to replace, 1 to delete.');
    expect(stdout.indexOf('! RISKS')).toBeLessThan(stdout.indexOf('+ kubernetes cronjob analytics-dev/warm-db-daily'));
  });

  it('saves the plan under plans/ and says how to apply it', async () => {
    const { stdout } = await strata('plan', 'dev', '--observed', SNAPSHOT);
    expect(stdout).toMatch(
      /Saved to plans\/dev\.plan\.json \(sha256 [0-9a-f]{4}…[0-9a-f]{4}\)\. Apply with: strata apply plans\/dev\.plan\.json/,
    );
    const saved = JSON.parse(await readFile(join(project.dir, 'plans/dev.plan.json'), 'utf8')) as PlanJson;
    expect(saved.environment).toBe('dev');
  });

  it('exits 2 with --detailed-exitcode when there are changes', async () => {
    expect((await strata('plan', 'dev', '--observed', SNAPSHOT, '--detailed-exitcode', '--no-out')).exitCode).toBe(2);
  });

  it('writes Markdown for a pull-request comment', async () => {
    const { stdout } = await strata('plan', 'dev', '--observed', SNAPSHOT, '--format', 'markdown', '--no-out');
    expect(stdout.split('\n')[0]).toMatch(
      /^### strata plan · dev · 8 create · 6 update · 1 replace · 1 delete · ⚠️ 5 risks/,
    );
  });

  it('writes JSON for CI with the plan hash', async () => {
    const { stdout } = await strata('plan', 'dev', '--observed', SNAPSHOT, '--json');
    const printed = JSON.parse(stdout) as PlanJson;
    const saved = JSON.parse(await readFile(join(project.dir, 'plans/dev.plan.json'), 'utf8')) as PlanJson;
    expect(printed.planHash).toBe(saved.planHash);
    expect(printed.formatVersion).toBe(2);
  });

  it('refuses a snapshot of another environment', async () => {
    const { exitCode, stderr } = await strata('plan', 'staging', '--observed', SNAPSHOT, '--no-out');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('was observed from environment "dev", not "staging"');
    expect(stderr).toContain('hint: observe the right one with: strata observe staging');
  });

  it('names the available environments when asked for an unknown one', async () => {
    const { exitCode, stderr } = await strata('plan', 'qa', '--observed', SNAPSHOT);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/dev, prod, staging/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a missing snapshot file with the command that writes one', async () => {
    const { exitCode, stderr } = await strata('plan', 'dev', '--observed', 'nope.json');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('cannot read observed snapshot');
    expect(stderr).toContain('strata observe');
  });
});

describe('strata show', () => {
  it('prints a saved plan', async () => {
    await strata('plan', 'dev', '--observed', SNAPSHOT);
    const { exitCode, stdout } = await strata('show', 'plans/dev.plan.json');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Plan: 8 to create, 6 to update, 1 to replace, 1 to delete.');
  });

  it('refuses a plan file edited after it was saved', async () => {
    await strata('plan', 'dev', '--observed', SNAPSHOT);
    const path = join(project.dir, 'plans/dev.plan.json');
    await writeFile(path, (await readFile(path, 'utf8')).replace('"3650', '"9999').replace('3650', '9999'));
    const { exitCode, stderr } = await strata('show', 'plans/dev.plan.json');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('edited after it was saved');
  });
});

describe('an invalid environment file', () => {
  /** dev.yaml with a claim size no server takes, at line 78, column 48. */
  async function breakDevFile(): Promise<void> {
    const path = join(project.dir, 'environments/dev.yaml');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('{ storageClass: standard, size: 20Gi', '{ storageClass: standard, size: lots'));
  }

  it('stops plan with the place to fix and the command that checks the fix', async () => {
    await breakDevFile();
    const { exitCode, stderr } = await strata('plan', 'dev', '--observed', SNAPSHOT);
    expect(exitCode).toBe(1);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(
      'hint: fix environments/dev.yaml:78:48, then check the file with: strata validate environments/dev.yaml',
    );
  });

  it('stops apply the same way, before it plans or connects to anything', async () => {
    await breakDevFile();
    const { exitCode, stderr } = await strata('apply', 'dev');
    expect(exitCode).toBe(1);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(
      'hint: fix environments/dev.yaml:78:48, then check the file with: strata validate environments/dev.yaml',
    );
  });

  it('counts the errors when there are several, starting at the first', async () => {
    await breakDevFile();
    const path = join(project.dir, 'environments/dev.yaml');
    await writeFile(path, (await readFile(path, 'utf8')).replace('  name: dev', '  name: dev\n  bogus: 1'));
    const { stderr } = await strata('plan', 'dev', '--observed', SNAPSHOT);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(
      'hint: fix the 2 errors, starting at environments/dev.yaml:10:3, then check the file with: strata validate environments/dev.yaml',
    );
  });
});
