/** `strata audit verify` against a log a real apply wrote: intact it passes; edited, cut or reordered it names the line. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyBase } from './support/scenario.js';
import { startWorld, type World } from './support/world.js';

let world: World;
let original: string;
const logPath = () => join(world.auditDir, `${world.env}.jsonl`);
const shown = () => `audit/${world.env}.jsonl`;
const verify = () => world.strata('audit', 'verify', world.env, '--audit-dir', world.auditDir);

beforeAll(async () => {
  world = await startWorld();
  await applyBase(world);
  original = await readFile(logPath(), 'utf8');
}, 60_000);
beforeEach(() => writeFile(logPath(), original));
afterAll(() => world?.cleanup());

async function rewriteLines(edit: (lines: string[]) => string[]): Promise<void> {
  const lines = original.trimEnd().split('\n');
  await writeFile(logPath(), `${edit(lines).join('\n')}\n`);
}

describe('strata audit verify on the log of a real apply', () => {
  it('passes the log as strata wrote it', async () => {
    const { exitCode, stdout } = await verify();
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${shown()}: \\d+ events, chain intact`));
  });

  it('catches one edited line and names it', async () => {
    // Someone rewrites who ran step 1.
    await rewriteLines((lines) => lines.map((line, index) => (index === 2 ? line.replace('"user":"e2e-runner"', '"user":"mallory"') : line)));
    expect((await readFile(logPath(), 'utf8')).split('\n')[2]).toContain('mallory');

    const { exitCode, stdout, stderr } = await verify();

    expect(exitCode).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${shown()}:3: `, 'm'));
    expect(stdout).not.toMatch(new RegExp(`^${shown()}:[12]: `, 'm'));
    expect(stderr).toContain('the log was changed after strata wrote it');
  });

  it('catches a removed line', async () => {
    await rewriteLines((lines) => lines.filter((_, index) => index !== 4));
    const { exitCode, stdout } = await verify();
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${shown()}:5: `, 'm'));
  });

  it('catches two lines swapped', async () => {
    await rewriteLines((lines) => lines.map((line, index) => (index === 3 ? lines[4]! : index === 4 ? lines[3]! : line)));
    const { exitCode, stdout } = await verify();
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${shown()}:4: `, 'm'));
  });
});
