/**
 * Loading and validating a platform-scale environment file in-process, as `strata validate`, `plan` and `apply` do
 * before anything else: read, parse, schema, semantic checks, expansion into desired resources. Twice: once with claims
 * that have no backups (so the file carries one located warning per claim), and once with a nightly Velero backup of
 * every claim, whose checks look at every backup's bucket, lifecycle and schedule.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironment } from '../src/config/index.js';
import { claimsPerNamespace, worldEnvironment, type WorldSize } from './scale/world.js';
import { count, timeRuns, timing } from './stats.js';

const ENVIRONMENT = 'scale';

export async function benchValidate(options: {
  namespaces: number;
  pvcs: number;
  buckets: number;
  runs: number;
}): Promise<string[]> {
  const size: WorldSize = {
    namespaces: options.namespaces,
    claimsPerNamespace: claimsPerNamespace(options.pvcs, options.namespaces),
    buckets: options.buckets,
  };
  const claims = size.namespaces * size.claimsPerNamespace;
  return [
    `validate · ${count(size.namespaces)} namespaces × ${count(size.claimsPerNamespace)} claims = ${count(claims)} claims, ${count(size.buckets)} buckets, ${options.runs} runs`,
    ...(await measure('no backups', size, options.runs)),
    ...(await measure('a backup per claim', { ...size, backups: true }, options.runs)),
  ];
}

async function measure(label: string, size: WorldSize, runs: number): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-bench-'));
  try {
    const text = worldEnvironment(ENVIRONMENT, size, 'strata-bench');
    await mkdir(join(dir, 'environments'));
    await writeFile(join(dir, 'environments', `${ENVIRONMENT}.yaml`), text);
    let diagnostics = 0;
    let resources = 0;
    const validating = await timeRuns(
      runs,
      () => validateEnvironment(ENVIRONMENT, { cwd: dir }),
      (result) => {
        diagnostics = result.diagnostics.length;
        resources = result.state?.resources.length ?? 0;
      },
    );
    const lines = text.split('\n').length - 1;
    return [
      `  ${label}`,
      `    file        ${count(lines)} lines, ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(2)} MiB`,
      `    load        ${timing(validating)}`,
      `    result      ${count(resources)} desired resources, ${count(diagnostics)} diagnostics`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
