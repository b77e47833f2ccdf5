/**
 * A plan against a snapshot (`--observed`, as `npm start` runs) touches no cluster and no cloud, so it does not load
 * their client libraries: loading them takes longer than the whole offline plan.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchProject } from '../support/cli.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let project: Awaited<ReturnType<typeof scratchProject>>;

beforeAll(async () => {
  project = await scratchProject();
});

afterAll(() => project.remove());

function strataRefusingClientLibraries(argv: string[]): Promise<{ code: number | null; output: string }> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const refuse = pathToFileURL(join(ROOT, 'test/support/refuse-client-libraries.ts')).href;
  const child = spawn(process.execPath, ['--import', tsx, '--import', refuse, join(ROOT, 'src/cli/main.ts'), ...argv], {
    cwd: project.dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output: output.join('') })));
}

describe('an offline plan', () => {
  it('runs without loading the Kubernetes or S3 client library', async () => {
    const { code, output } = await strataRefusingClientLibraries([
      'plan',
      'dev',
      '--observed',
      'examples/snapshots/dev.observed.json',
      '--no-out',
    ]);

    expect(output).not.toContain('refused to load');
    expect(output).toContain('Plan:');
    expect(code).toBe(0);
  });
});
