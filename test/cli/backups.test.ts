import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
const strata = (argv: string[]) => runCli(argv, { cwd });
const fixture = (name: string) => `test/fixtures/config/${name}.yaml`;

describe('strata backups', () => {
  it('exits 0 when every volume is covered, still printing the warnings about backups', async () => {
    const { exitCode, stdout, stderr } = await strata(['backups', fixture('object-lock-longer-than-keep')]);
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(stdout).toContain('1 volume: 1 backed up, 0 marked none, 0 not covered');
    expect(stdout).toContain(
      'test/fixtures/config/object-lock-longer-than-keep.yaml:19:15 warning /namespaces/codequal/backups/deepwiki-nightly/keep: copies are kept 30 days',
    );
    // With the excerpt under it, as strata validate prints it.
    expect(stdout).toContain('  19 |         keep: 30d\n');
  });

  it('exits 2 when a volume is neither backed up nor marked none, and names it', async () => {
    const { exitCode, stdout } = await strata(['backups', fixture('volume-without-backup')]);
    expect(exitCode).toBe(2);
    expect(stdout).toContain(
      'codequal-dev/repo-cache\n  NOT COVERED: no backup names this volume and it is not marked `backup: none`\n',
    );
  });

  it('exits 1 on an inconsistency, printing it at its file:line:column with the fix', async () => {
    const { exitCode, stdout, stderr } = await strata(['backups', fixture('lifecycle-expires-backups-early')]);
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'test/fixtures/config/lifecycle-expires-backups-early.yaml:36:22 error /buckets/backups/lifecycle/1/expireAfter: rule `old-db` expires objects under `db/` after 3 days, so it deletes every copy of backup `warm-db-daily` (s3://akosha-backups-dev/db/) before its keep of 7 days; raise expireAfter to at least 7d or narrow its prefix so it leaves `db/` out\n',
    );
  });

  it('prints the same report as Markdown and as JSON', async () => {
    const markdown = await strata(['backups', fixture('volume-without-backup'), '--format', 'markdown']);
    expect(markdown.stdout).toMatch(/^### strata backups · volume-without-backup\n/);
    expect(markdown.exitCode).toBe(2);
    const json = await strata(['backups', fixture('volume-without-backup'), '--format', 'json']);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      formatVersion: 1,
      environment: 'volume-without-backup',
      counts: { volumes: 2, covered: 1, none: 0, uncovered: 1 },
    });
  });

  it('refuses an environment that does not exist, naming the ones that do', async () => {
    const { exitCode, stderr } = await strata(['backups', 'nowhere']);
    expect(exitCode).toBe(1);
    expect(stderr).toContain('error: no environment nowhere: environments/nowhere.yaml does not exist');
  });
});
