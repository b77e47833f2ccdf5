import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/config/index.js';
import { runCli, scratchProject } from '../support/cli.js';
import { checkedReport, DRIFTED_SNAPSHOT, FIXTURE_DIR, parseDriftRun } from '../fixtures/drift/runs.js';

let project: Awaited<ReturnType<typeof scratchProject>>;

beforeEach(async () => {
  project = await scratchProject();
  // The drift fixtures' copy of dev.yaml (with ignore rules), so these tests do not move when the shipped file does.
  await copyFile(join(FIXTURE_DIR, 'dev.yaml'), join(project.dir, 'environments/dev.yaml'));
  await copyFile(DRIFTED_SNAPSHOT, join(project.dir, 'drifted.json'));
});
afterEach(() => project.remove());

const strata = (...argv: string[]) => runCli(['drift', ...argv], { cwd: project.dir });

/** A snapshot of dev exactly as declared. */
async function writeCleanSnapshot(): Promise<string> {
  const desired = await loadEnvironment('dev', { cwd: project.dir });
  const snapshot = {
    formatVersion: 1,
    kind: 'ObservedSnapshot',
    environment: 'dev',
    observedAt: '2026-11-23T06:00:00.000Z',
    sources: {},
    capabilities: [],
    resources: desired.resources.map(({ address, spec }) => ({ address, spec, fingerprint: '1', owned: true })),
  };
  await writeFile(join(project.dir, 'clean.json'), JSON.stringify(snapshot));
  return 'clean.json';
}

describe('strata drift (offline, against a snapshot)', () => {
  it('reports drift by class with who changed it, and exits 0 without --detailed-exitcode', async () => {
    const { exitCode, stdout } = await strata('dev', '--observed', 'drifted.json');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Drift: 6 effective, 7 missing, 2 unmanaged.');
    expect(stdout).toContain('size:  declared 20Gi, live 150Gi   changed by kubectl-edit');
    expect(stdout).toContain('rules[messages-retention].expirationDays:  declared 2555d, live 3650d');
    expect(stdout).toContain('? kubernetes pvc codequal-dev/deepwiki-data-copy');
  });

  it('exits 2 with --detailed-exitcode when there is drift, 0 when there is none', async () => {
    expect((await strata('dev', '--observed', 'drifted.json', '--detailed-exitcode')).exitCode).toBe(2);
    const clean = await strata('dev', '--observed', await writeCleanSnapshot(), '--detailed-exitcode');
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain('No drift.');
  });

  it('lists cosmetic differences only with --verbose', async () => {
    expect((await strata('dev', '--observed', 'drifted.json')).stdout).not.toContain('COSMETIC');
    expect((await strata('dev', '--observed', 'drifted.json', '--verbose')).stdout).toContain(
      'hard["requests.storage"]:  declared 200Gi, live 204800Mi',
    );
  });

  it('says which ignore rule expired and what it no longer hides', async () => {
    const { stdout } = await strata('dev', '--observed', 'drifted.json');
    expect(stdout).toContain('kubernetes/PersistentVolumeClaim/*/deepwiki-data, expired after 2026-11-20');
    expect(stdout).toContain('! kubernetes pvc codequal-dev/deepwiki-data');
  });

  it('writes every format', async () => {
    const json = parseDriftRun((await strata('dev', '--observed', 'drifted.json', '--format', 'json')).stdout);
    expect(checkedReport(json, 0).counts.effective).toBe(6);
    expect((await strata('dev', '--observed', 'drifted.json', '--format', 'markdown')).stdout).toMatch(
      /^### strata drift · dev · 6 effective/,
    );
    expect((await strata('dev', '--observed', 'drifted.json', '--format', 'junit')).stdout).toContain(
      '<failure type="effective" message="effective: size (changed by kubectl-edit)">',
    );
    expect((await strata('dev', '--observed', 'drifted.json', '--format', 'prometheus')).stdout).toContain(
      'strata_drift_resources{environment="dev",kind="PersistentVolumeClaim",class="effective"} 2',
    );
  });

  it('writes several formats from one check, each chosen by its file extension', async () => {
    const { exitCode, stdout } = await strata(
      'dev',
      '--observed',
      'drifted.json',
      '--out',
      'drift.xml',
      '--out',
      'drift.md',
      '--out',
      'drift.json',
    );
    expect(exitCode).toBe(0);
    expect(stdout).toBe('');
    expect(await readFile(join(project.dir, 'drift.xml'), 'utf8')).toContain('<testsuite');
    expect(await readFile(join(project.dir, 'drift.md'), 'utf8')).toMatch(/^### strata drift · dev/);
    expect(JSON.parse(await readFile(join(project.dir, 'drift.json'), 'utf8'))).toBeTypeOf('object');
  });

  it('refuses, before checking anything, several --out files whose format it cannot tell', async () => {
    const { exitCode, stderr } = await strata(
      'dev',
      '--observed',
      'drifted.json',
      '--out',
      'drift.xml',
      '--out',
      'drift.log',
    );
    expect(exitCode).toBe(1);
    expect(stderr).toContain('cannot tell the format of drift.log from its extension');
    expect(stderr).toContain('.txt, .md, .json, .xml, .prom');
  });

  it('writes the report to --out and nothing to stdout', async () => {
    const { exitCode, stdout, stderr } = await strata(
      'dev',
      '--observed',
      'drifted.json',
      '--format',
      'prometheus',
      '--out',
      'metrics/drift.prom',
    );
    expect(exitCode).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('Wrote the drift report to metrics/drift.prom.');
    expect(await readFile(join(project.dir, 'metrics/drift.prom'), 'utf8')).toContain(
      'strata_drift_check_error{environment="dev"} 0',
    );
  });

  it('refuses a snapshot for several environments, and names and --all together', async () => {
    const snapshot = await strata('dev', 'prod', '--observed', 'drifted.json');
    expect(snapshot.exitCode).toBe(1);
    expect(snapshot.stderr).toContain('--observed is a snapshot of one environment; 2 were asked for');
    expect((await strata('dev', '--all')).stderr).toContain('give environment names or --all, not both');
  });

  it('asks for environments when given none, naming the available ones', async () => {
    const { exitCode, stderr } = await strata();
    expect(exitCode).toBe(1);
    expect(stderr).toContain('name the environments to check, or pass --all');
    expect(stderr).toContain('hint: available environments: dev, prod, staging');
  });

  it('reports each environment that cannot be checked, in the report and on stderr, and exits 1', async () => {
    const { exitCode, stdout, stderr } = await strata(
      '--all',
      '--kubeconfig',
      'no-such-kubeconfig',
      '--format',
      'json',
    );
    expect(exitCode).toBe(1);
    const run = parseDriftRun(stdout);
    expect(run.environments.map((entry) => `${entry.environment} ${entry.status}`)).toEqual([
      'dev failed',
      'prod failed',
      'staging failed',
    ]);
    expect(stderr).toMatch(/error: drift dev: .*no-such-kubeconfig/);
    expect(stderr).toMatch(/error: drift prod: /);
  });

  it('shows examples in its help', async () => {
    const { stdout } = await strata('--help');
    expect(stdout).toContain('strata drift --all --format junit --out drift.xml --detailed-exitcode');
    expect(stdout).toContain('Never takes the apply lock');
  });
});
