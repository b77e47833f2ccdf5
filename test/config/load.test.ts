import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverEnvironments, loadEnvironment, validateEnvironments } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { UserError } from '../../src/errors/user-error.js';
import { canonicalJson } from '../../src/model/canonical.js';
import { formatDiagnostic } from '../../src/model/diagnostic.js';

const cwd = fileURLToPath(new URL('../..', import.meta.url));

async function scratch(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'strata-config-'));
  await mkdir(path.join(directory, 'environments'));
  return directory;
}

describe('the shipped environments', () => {
  it('validate clean: no errors, no warnings', async () => {
    const { diagnostics, states } = await validateEnvironments([], { cwd });
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(states.map((state) => state.environment)).toEqual(['dev', 'prod', 'staging']);
  });

  it('use the same logical keys in every environment', async () => {
    const { states } = await validateEnvironments([], { cwd });
    const keys = states.map((state) =>
      [...new Set(state.resources.map((resource) => `${resource.address.kind}/${resource.logicalKey}`))].sort(),
    );
    expect(keys[1]).toEqual(keys[0]);
    expect(keys[2]).toEqual(keys[0]);
  });

  it('are discovered by name, sorted', async () => {
    expect(await discoverEnvironments(cwd)).toEqual(['dev', 'prod', 'staging']);
  });
});

describe('loadEnvironment', () => {
  it('resolves a name to environments/<name>.yaml and records the file and the sha256 of what it says', async () => {
    const state = await loadEnvironment('prod', { cwd });
    expect(state.environment).toBe('prod');
    expect(state.files).toEqual(['environments/prod.yaml']);
    expect(state.digest).toBe(createHash('sha256').update(canonicalJson(state.document)).digest('hex'));
    expect(state.document.metadata.promotesFrom).toBe('staging');
  });

  describe('the digest a plan records', () => {
    async function digestAfter(edit: (text: string) => string): Promise<string> {
      const directory = await scratch();
      const text = await readFile(path.join(cwd, 'environments', 'prod.yaml'), 'utf8');
      await writeFile(path.join(directory, 'environments', 'prod.yaml'), edit(text));
      return (await loadEnvironment('prod', { cwd: directory })).digest;
    }
    const shipped = () => digestAfter((text) => text);

    it('stays the same through comments, blank lines, quoting and flow or block style', async () => {
      const reworded = await digestAfter((text) =>
        text
          .replace('# The chat product', '# Reviewed in INC-4211.\n\n  # The chat product')
          .replace('tags: { team: chat }', 'tags:\n      team: "chat"'),
      );
      expect(reworded).toBe(await shipped());
    });

    it('changes with any value', async () => {
      expect(await digestAfter((text) => text.replace('tags: { team: chat }', 'tags: { team: chats }'))).not.toBe(
        await shipped(),
      );
    });
  });

  it('takes a path as is', async () => {
    const state = await loadEnvironment('environments/dev.yaml', { cwd });
    expect(state.environment).toBe('dev');
  });

  it('names the available environments when there is no environment of that name', async () => {
    const error = await loadEnvironment('qa', { cwd }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('no environment qa: environments/qa.yaml does not exist');
    expect((error as UserError).hint).toBe('available environments: dev, prod, staging');
  });

  it('resolves a name to environments/<name>.yml when that is the file there', async () => {
    const directory = await scratch();
    const dev = await readFile(path.join(cwd, 'environments', 'dev.yaml'), 'utf8');
    await writeFile(path.join(directory, 'environments', 'qa.yml'), dev.replace('name: dev', 'name: qa'));
    expect((await loadEnvironment('qa', { cwd: directory })).files).toEqual(['environments/qa.yml']);
  });

  it('refuses a path that is not a .yaml file without reading it, listing the environments', async () => {
    const error = await loadEnvironment('../../etc/passwd', { cwd }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      '`../../etc/passwd` is neither an environment name nor an environment file: give a name from environments/, or the path of a .yaml file',
    );
    expect((error as UserError).hint).toBe('available environments: dev, prod, staging');
  });

  it('refuses a name that is not an environment name, such as one in capitals', async () => {
    const error = await loadEnvironment('Prod', { cwd }).catch((caught: unknown) => caught);
    expect((error as UserError).message).toMatch(/^`Prod` is neither an environment name nor an environment file/);
  });

  it('refuses a directory, even one named like an environment file', async () => {
    const directory = await scratch();
    await mkdir(path.join(directory, 'environments', 'qa.yaml'));
    for (const given of ['environments/', 'environments/qa.yaml', 'qa']) {
      expect(await loadEnvironment(given, { cwd: directory }).catch((caught: unknown) => caught)).toBeInstanceOf(
        UserError,
      );
    }
  });

  it('quotes at most the start of a long argument', async () => {
    const error = await loadEnvironment('x/'.repeat(20_000), { cwd }).catch((caught: unknown) => caught);
    expect((error as UserError).message.length).toBeLessThan(200);
  });

  it('throws a ConfigError carrying every diagnostic of an invalid file', async () => {
    const error = await loadEnvironment('test/fixtures/config/quota.yaml', { cwd }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics).toHaveLength(4);
    expect((error as ConfigError).message).toContain(
      'test/fixtures/config/quota.yaml:14:31 error /namespaces/codequal/quota/persistentvolumeclaims',
    );
  });
});

describe('files that are not environment files', () => {
  it('reports a 50 MB file without reading it', async () => {
    const directory = await scratch();
    const file = path.join(directory, 'environments', 'huge.yaml');
    await writeFile(file, '');
    await truncate(file, 50 * 1024 * 1024);
    const { diagnostics } = await validateEnvironments([], { cwd: directory });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'environments/huge.yaml:1:1 error /: is 50.0 MiB; environment files are limited to 8 MiB, so this is not one',
    ]);
  });

  it('reports a named pipe without reading from it, which could wait forever', async () => {
    const directory = await scratch();
    execFileSync('mkfifo', [path.join(directory, 'environments', 'dev.yaml')]);
    const { diagnostics } = await validateEnvironments(['environments/dev.yaml'], { cwd: directory });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'environments/dev.yaml:1:1 error /: is not a regular file (a pipe, socket or device); give an environment file such as environments/dev.yaml',
    ]);
  });

  it('reports a missing file, and how to name one', async () => {
    const { diagnostics } = await validateEnvironments(['environments/qa.yaml'], { cwd });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'environments/qa.yaml:1:1 error /: does not exist; name an environment file, e.g. environments/dev.yaml, or a directory of them',
    ]);
  });

  it('suggests the environment file a bare name most likely means', async () => {
    const { diagnostics } = await validateEnvironments(['prod', 'staging.yaml', 'qa'], { cwd });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'prod:1:1 error /: does not exist; did you mean environments/prod.yaml?',
      'qa:1:1 error /: does not exist; name an environment file, e.g. environments/dev.yaml, or a directory of them',
      'staging.yaml:1:1 error /: does not exist; did you mean environments/staging.yaml?',
    ]);
  });

  it('reports a directory without environment files', async () => {
    const directory = await scratch();
    const { diagnostics } = await validateEnvironments([], { cwd: directory });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'environments:1:1 error /: holds no environment files (*.yaml)',
    ]);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file', async () => {
    const directory = await scratch();
    const file = path.join(directory, 'environments', 'dev.yaml');
    await writeFile(file, 'apiVersion: strata.dev/v1alpha1\n');
    await chmod(file, 0o000);
    const { diagnostics } = await validateEnvironments([], { cwd: directory });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'environments/dev.yaml:1:1 error /: cannot be read: permission denied; check the file mode (chmod u+r)',
    ]);
  });
});
