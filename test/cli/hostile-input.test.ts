import { chmod, mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { runCli, scratchProject, type CliResult } from '../support/cli.js';

const SNAPSHOT = 'examples/snapshots/dev.observed.json';
let project: Awaited<ReturnType<typeof scratchProject>>;

beforeEach(async () => {
  project = await scratchProject();
});
afterEach(() => project.remove());

const strata = (...argv: string[]) => runCli(argv, { cwd: project.dir });

/** A user error: `error:` then `hint:`, exit 1, no stack trace, no bug report, and short. */
function expectUserError(result: CliResult, error: string | RegExp): void {
  expect(result.exitCode).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(
    typeof error === 'string' ? new RegExp(`^error: ${error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : error,
  );
  expect(lines.at(-1)).toMatch(/^hint: /);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at |Maximum call stack/);
  expect(result.stderr.length).toBeLessThan(1_000);
}

async function snapshotWith(edit: (text: string) => string): Promise<string> {
  const file = join(project.dir, 'edited.observed.json');
  await writeFile(file, edit(await readFile(join(project.dir, SNAPSHOT), 'utf8')));
  return 'edited.observed.json';
}

describe('strata plan with an argument that is not an environment', () => {
  it('refuses a path to a file that is not an environment file without reading it', async () => {
    const result = await strata('plan', '../../../../../../etc/passwd', '--observed', SNAPSHOT);
    expectUserError(result, '`../../../../../../etc/passwd` is neither an environment name nor an environment file');
    expect(result.stderr).toContain('hint: available environments: dev, prod, staging');
    expect(result.stderr).not.toContain('root:');
  });

  it('shows an argument with terminal escapes escaped', async () => {
    const result = await strata('plan', 'dev\u001b[2J', '--observed', SNAPSHOT);
    expectUserError(result, /^error: `dev\\u001b\[2J` is neither/);
    expect(result.stderr).not.toContain('\u001b');
  });
});

describe('strata plan with an environment file no one writes by hand', () => {
  it('reports a 40 KB line nested 10,000 deep in one short error, with the fix', async () => {
    await writeFile(join(project.dir, 'environments', 'deep.yaml'), `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    const result = await strata('plan', 'deep', '--observed', SNAPSHOT);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^environments\/deep\.yaml:1:\d+ error \/: nests more than 32 levels deep/);
    expect(result.stderr).toMatch(
      /\nhint: fix environments\/deep\.yaml:1:\d+, then check the file with: strata validate environments\/deep\.yaml\n/,
    );
    expect(result.stderr.length).toBeLessThan(1_000);
  });

  it('lists at most 20 errors of a file, and counts the rest', async () => {
    const keys = Array.from({ length: 500 }, (_, index) => `unknown${index}: 1`).join('\n');
    await writeFile(join(project.dir, 'environments', 'wide.yaml'), `${keys}\n`);
    const result = await strata('plan', 'wide', '--observed', SNAPSHOT);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(22);
    expect(lines[20]).toMatch(/^… and \d+ more errors$/);
  });

  it('shows terminal escapes in a value escaped', async () => {
    const dev = await readFile(join(project.dir, 'environments', 'dev.yaml'), 'utf8');
    await writeFile(
      join(project.dir, 'environments', 'dev.yaml'),
      dev.replace('  name: dev', '  name: "dev\\e]0;pwned\\a"'),
    );
    const result = await strata('plan', 'dev', '--observed', SNAPSHOT);
    expect(result.stderr).toContain('\\u001b]0;pwned\\u0007');
    expect(result.stderr).not.toContain('\u001b');
  });
});

describe('strata plan --observed with a damaged snapshot', () => {
  it('names the resource listed twice', async () => {
    const file = await snapshotWith((text) => {
      const snapshot = JSON.parse(text) as { resources: unknown[] };
      snapshot.resources.push(snapshot.resources[0]);
      return JSON.stringify(snapshot);
    });
    expectUserError(
      await strata('plan', 'dev', '--observed', file, '--no-out'),
      /is kubernetes\/StorageClass\/fast-ssd again \(first at resources\[0\]\)/,
    );
  });

  it('locates a file cut short', async () => {
    const file = await snapshotWith((text) => text.slice(0, text.length / 2));
    expectUserError(
      await strata('plan', 'dev', '--observed', file, '--no-out'),
      /edited\.observed\.json:\d+:\d+: .*\(was the file cut short\?\)/,
    );
  });

  it('names a value of the wrong type by its path', async () => {
    const file = await snapshotWith((text) => text.replace('"owned": true', '"owned": "yes"'));
    expectUserError(
      await strata('plan', 'dev', '--observed', file, '--no-out'),
      /resources\[0\]\.owned: expected true or false, found the string "yes"/,
    );
  });
});

describe('strata plan --out where it cannot write', () => {
  it('names a directory given as the file, and leaves nothing behind in it', async () => {
    await mkdir(join(project.dir, 'plans'));
    expectUserError(
      await strata('plan', 'dev', '--observed', SNAPSHOT, '--out', 'plans'),
      'cannot write plans: it is a directory',
    );
    expect(await readdir(join(project.dir, 'plans'))).toEqual([]);
  });

  it('names a path that runs through a file', async () => {
    const result = await strata('plan', 'dev', '--observed', SNAPSHOT, '--out', 'environments/dev.yaml/plan.json');
    expectUserError(
      result,
      'cannot write environments/dev.yaml/plan.json: a part of the path is a file, not a directory',
    );
  });

  it('creates a directory that does not exist yet', async () => {
    const result = await strata('plan', 'dev', '--observed', SNAPSHOT, '--out', 'reviews/pr-12/dev.plan.json');
    expect(result.exitCode).toBe(0);
    const saved = JSON.parse(await readFile(join(project.dir, 'reviews/pr-12/dev.plan.json'), 'utf8')) as Plan;
    expect(saved.environment).toBe('dev');
  });

  it.skipIf(process.getuid?.() === 0)('names a directory it may not write to, and leaves nothing behind', async () => {
    const locked = join(project.dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o500);
    expectUserError(
      await strata('plan', 'dev', '--observed', SNAPSHOT, '--out', 'locked/dev.plan.json'),
      'cannot write locked/dev.plan.json: permission denied',
    );
    expect(await readdir(locked)).toEqual([]);
  });
});

describe('strata validate with a 40 KB line', () => {
  it('shows 120 columns of it around the caret', async () => {
    const classes = Array.from({ length: 2_000 }, (_, index) => `c${index}: {provisioner: x}`).join(', ');
    const line = `{apiVersion: strata.dev/v1alpha1, kind: Environment, metadata: {name: dev}, targets: {}, storageClasses: {${classes}}}`;
    await writeFile(join(project.dir, 'environments', 'dev.yaml'), `${line}\n`);
    const result = await strata('validate', 'environments/dev.yaml');
    expect(result.exitCode).toBe(1);
    expect(result.stdout.length).toBeLessThan(1_000);
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThan(200);
  });
});

describe('strata show and apply with a damaged plan file', () => {
  it('locates a file cut short', async () => {
    await strata('plan', 'dev', '--observed', SNAPSHOT);
    const path = join(project.dir, 'plans/dev.plan.json');
    await writeFile(path, (await readFile(path, 'utf8')).slice(0, 500));
    expectUserError(
      await strata('show', 'plans/dev.plan.json'),
      /^error: plans\/dev\.plan\.json is not a strata plan file: line \d+, column \d+: /,
    );
    expectUserError(
      await strata('apply', 'plans/dev.plan.json'),
      /^error: plans\/dev\.plan\.json is not a strata plan file: line \d+, column \d+: /,
    );
  });

  it('refuses a file larger than any plan without reading it', async () => {
    const path = join(project.dir, 'huge.plan.json');
    await writeFile(path, '');
    await truncate(path, 65 * 1024 * 1024);
    expectUserError(
      await strata('show', 'huge.plan.json'),
      'cannot read plan huge.plan.json: it is larger than 64 MiB, so it is not a plan file',
    );
  });

  it('refuses a directory', async () => {
    expectUserError(await strata('show', 'environments'), 'cannot read plan environments: it is a directory');
  });

  it('refuses a file that is not JSON, quoting none of it', async () => {
    const result = await strata('show', 'environments/dev.yaml');
    expectUserError(
      result,
      /^error: environments\/dev\.yaml is not a strata plan file: line 1, column 1: unexpected `#` where a value should be$/,
    );
  });
});
