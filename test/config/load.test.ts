import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverEnvironments, loadEnvironment, validateEnvironments } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { UserError } from '../../src/errors/user-error.js';
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
    const keys = states.map((state) => [...new Set(state.resources.map((resource) => `${resource.address.kind}/${resource.logicalKey}`))].sort());
    expect(keys[1]).toEqual(keys[0]);
    expect(keys[2]).toEqual(keys[0]);
  });

  it('are discovered by name, sorted', async () => {
    expect(await discoverEnvironments(cwd)).toEqual(['dev', 'prod', 'staging']);
  });
});

describe('loadEnvironment', () => {
  it('resolves a name to environments/<name>.yaml and records the file and its sha256', async () => {
    const state = await loadEnvironment('prod', { cwd });
    const bytes = await readFile(path.join(cwd, 'environments', 'prod.yaml'));
    expect(state.environment).toBe('prod');
    expect(state.files).toEqual(['environments/prod.yaml']);
    expect(state.digest).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(state.document.metadata.promotesFrom).toBe('staging');
  });

  it('takes a path as is', async () => {
    const state = await loadEnvironment('environments/dev.yaml', { cwd });
    expect(state.environment).toBe('dev');
  });

  it('names the available environments when the file is missing', async () => {
    const error = await loadEnvironment('qa', { cwd }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('no environment file environments/qa.yaml');
    expect((error as UserError).hint).toBe('available environments: dev, prod, staging');
  });

  it('throws a ConfigError carrying every diagnostic of an invalid file', async () => {
    const error = await loadEnvironment('test/fixtures/config/quota.yaml', { cwd }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics).toHaveLength(4);
    expect((error as ConfigError).message).toContain('test/fixtures/config/quota.yaml:14:31 error /namespaces/codequal/quota/persistentvolumeclaims');
  });

  it('refuses a directory given as a file, located', async () => {
    const error = await loadEnvironment('environments/', { cwd }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^environments:1:1 error \/: is a directory; give an environment file/);
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
      'environments/huge.yaml:1:1 error /: is 50.0 MiB; environment files are limited to 1 MiB, so this is not one',
    ]);
  });

  it('reports a missing file', async () => {
    const { diagnostics } = await validateEnvironments(['environments/qa.yaml'], { cwd });
    expect(diagnostics.map(formatDiagnostic)).toEqual(['environments/qa.yaml:1:1 error /: file not found']);
  });

  it('reports a directory without environment files', async () => {
    const directory = await scratch();
    const { diagnostics } = await validateEnvironments([], { cwd: directory });
    expect(diagnostics.map(formatDiagnostic)).toEqual(['environments:1:1 error /: holds no environment files (*.yaml)']);
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
