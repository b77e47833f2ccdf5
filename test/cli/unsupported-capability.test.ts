/**
 * `--detailed-exitcode` on a server that lacks default encryption (Ceph RGW 16): blocked settings count as changes
 * until the environment file accepts the limitation with `targets.s3.unsupported`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeSnapshot, snapshotOf } from '../../src/providers/snapshot/snapshot.js';
import { NOW } from '../fixtures/plan/builders.js';
import { devOnRgw } from '../fixtures/render/rgw.js';
import { runCli, scratchProject } from '../support/cli.js';

const SNAPSHOT = 'rgw.observed.json';
let project: Awaited<ReturnType<typeof scratchProject>>;

beforeEach(async () => {
  project = await scratchProject();
  const { observed } = await devOnRgw(project.dir);
  await writeFile(join(project.dir, SNAPSHOT), serializeSnapshot(snapshotOf('dev', observed, NOW)));
});
afterEach(() => project.remove());

const strata = (...argv: string[]) => runCli(argv, { cwd: project.dir });
const plan = () => strata('plan', 'dev', '--observed', SNAPSHOT, '--detailed-exitcode');

async function editDev(edit: (text: string) => string): Promise<void> {
  const file = join(project.dir, 'environments/dev.yaml');
  await writeFile(file, edit(await readFile(file, 'utf8')));
}

const acceptMissingEncryption = (text: string) =>
  text.replace('  s3: { region: us-east-1 }', '  s3: { region: us-east-1, unsupported: [encryption] }');

describe('a plan whose only entries wait for a capability the server lacks', () => {
  it('exits 2 as for any blocked change, and says how to accept the limitation', async () => {
    const { exitCode, stdout } = await plan();
    expect(exitCode).toBe(2);
    expect(stdout).toContain('Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 3 blocked.');
    expect(stdout).toContain('list encryption under\n      targets.s3.unsupported in environments/dev.yaml');
  });

  it('exits 0 once dev.yaml accepts it, still listing what is blocked', async () => {
    await editDev(acceptMissingEncryption);
    const { exitCode, stdout } = await plan();
    expect(exitCode).toBe(0);
    expect(stdout).toContain(
      '  ! s3 bucket akosha-backups-dev · encryption   blocked: unavailable on this S3 server\n',
    );
    expect(stdout.replace(/\n {6}/g, ' ')).toContain('environments/dev.yaml accepts that (targets.s3.unsupported)');
    expect((await strata('show', 'plans/dev.plan.json', '--detailed-exitcode')).exitCode).toBe(0);
  });

  it('still exits 2 for any other difference beside it', async () => {
    await editDev((text) => acceptMissingEncryption(text).replace('tags: { team: chat }', 'tags: { team: chats }'));
    expect((await plan()).exitCode).toBe(2);
  });

  it('refuses a capability strata does not know, naming the ones it does', async () => {
    await editDev((text) =>
      text.replace('  s3: { region: us-east-1 }', '  s3: { region: us-east-1, unsupported: [versioning] }'),
    );
    const { exitCode, stderr } = await plan();
    expect(exitCode).toBe(1);
    expect(stderr).toContain('/targets/s3/unsupported/0: `versioning` is not allowed here; write one of encryption');
  });
});
