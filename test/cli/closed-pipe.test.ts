/**
 * `strata validate | head -3`: the reader closes the pipe after a few lines, and strata stops there, quietly, with the
 * status of a process ended by SIGPIPE, instead of dying on an unhandled EPIPE with a stack trace.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededEnvironment } from '../e2e/support/seed.js';
import { spawnCli } from '../support/cli.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-pipe-'));
  await mkdir(join(dir, 'environments'));
  // Three files of 200 unbacked claims each: 600 listed warnings with excerpts, far more than a pipe buffers.
  for (const name of ['alpha', 'beta', 'gamma']) {
    const text = seededEnvironment(name, { namespaces: 2, claimsPerNamespace: 100 }, 'kind-strata');
    await writeFile(join(dir, 'environments', `${name}.yaml`), text);
  }
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a reader that closes the pipe early', () => {
  it('ends strata quietly, with the status of SIGPIPE', async () => {
    const child = spawnCli(['validate'], { cwd: dir });
    const stderr: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const firstLines = await new Promise<string>((resolve) => {
      child.stdout!.once('data', (chunk: Buffer) => {
        // As `head -3` does: read a little, then close the read end while strata is still writing.
        child.stdout!.destroy();
        resolve(chunk.toString().split('\n').slice(0, 3).join('\n'));
      });
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));

    expect(firstLines).toContain('environments/alpha.yaml:');
    expect(code).toBe(128 + constants.signals.SIGPIPE);
    expect(stderr.join('')).toBe('');
  });
});
