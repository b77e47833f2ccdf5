import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/apply/audit/index.js';
import { runCli } from '../support/cli.js';
import type { AuditRecord } from '../../src/model/audit.js';

let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'strata-cli-audit-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** Runs `strata <argv>` in-process, as the strata command does. */
async function strata(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await runCli(argv, { cwd: cwd, env });
  return { code: result.exitCode, out: result.stdout.replace(/\n$/, ''), err: result.stderr.replace(/\n$/, '') };
}

const actor = { user: 'alice', host: 'ci-runner-7' };
const claim = {
  system: 'kubernetes',
  kind: 'PersistentVolumeClaim',
  namespace: 'codequal-prod',
  name: 'deepwiki-data',
} as const;

async function writeRun(path: string): Promise<void> {
  const base = {
    time: '2026-11-23T10:00:00.000Z',
    environment: 'prod',
    actor,
    runId: 'run-1',
    planHash: 'sha256:4be1',
  };
  const records: AuditRecord[] = [
    { ...base, type: 'run-started' },
    { ...base, type: 'step-started', time: '2026-11-23T10:00:01.250Z', step: 1, address: claim, action: 'update' },
    { ...base, type: 'step-succeeded', time: '2026-11-23T10:00:02.000Z', step: 1, address: claim, action: 'update' },
    {
      ...base,
      type: 'step-failed',
      time: '2026-11-23T10:00:03.000Z',
      step: 2,
      address: { system: 's3', kind: 'BucketLifecycle', name: 'akosha-backups-prod' },
      action: 'update',
      error: 'HTTP 503 SlowDown',
    },
    { ...base, type: 'run-finished', time: '2026-11-23T10:00:04.000Z', outcome: 'failed' },
  ];
  const log = await openAuditLog(path);
  for (const record of records) await log.append(record);
}

describe('strata audit verify', () => {
  it('says an intact log is intact and exits 0, and that an unkeyed chain proves order, not authorship', async () => {
    await writeRun(join(cwd, 'audit', 'prod.jsonl'));
    expect(await strata(['audit', 'verify', 'prod'])).toEqual({
      code: 0,
      out: 'audit/prod.jsonl: 5 events, chain intact',
      err: 'note: the log is not keyed, so the chain proves the order of events, not who wrote them: anyone who can write the file can add an event and recompute the chain; set STRATA_AUDIT_KEY (a CI secret) where strata writes the log to key it',
    });
  });

  it('names each tampered line as file:line and exits 1', async () => {
    const path = join(cwd, 'audit', 'prod.jsonl');
    await writeRun(path);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    lines[1] = lines[1]!.replace('alice', 'mallory');
    lines.splice(3, 1);
    await writeFile(path, `${lines.join('\n')}\n`);
    const result = await strata(['audit', 'verify', 'prod']);
    expect(result.code).toBe(1);
    expect(result.out).toBe(
      [
        'audit/prod.jsonl:2: event was edited (hash does not match its content)',
        'audit/prod.jsonl:4: an event is missing before this one (expected seq 4, found 5)',
      ].join('\n'),
    );
    expect(result.err).toContain('2 problems');
  });

  it('verifies a log given by path', async () => {
    await writeRun(join(cwd, 'backups', 'prod.jsonl'));
    expect((await strata(['audit', 'verify', 'backups/prod.jsonl'])).out).toBe(
      'backups/prod.jsonl: 5 events, chain intact',
    );
  });

  it('looks in --audit-dir before STRATA_AUDIT_DIR', async () => {
    await writeRun(join(cwd, 'elsewhere', 'prod.jsonl'));
    const result = await strata(['audit', 'verify', 'prod', '--audit-dir', 'elsewhere'], {
      STRATA_AUDIT_DIR: join(cwd, 'nowhere'),
    });
    expect(result.out).toBe('elsewhere/prod.jsonl: 5 events, chain intact');
  });

  it('says where it looked when there is no log, with the flag that moves it', async () => {
    const result = await strata(['audit', 'verify', 'staging']);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'error: no audit log at audit/staging.jsonl\nhint: nothing has been applied to staging from here yet, or its log is elsewhere: pass --audit-dir or set STRATA_AUDIT_DIR',
    );
  });
});

describe('strata audit show', () => {
  beforeEach(async () => {
    await writeRun(join(cwd, 'audit', 'prod.jsonl'));
  });

  it('lists events as a table of time, actor, type, step, address and outcome', async () => {
    const result = await strata(['audit', 'show', 'prod']);
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      [
        'TIME                  ACTOR              TYPE            STEP  ADDRESS                                                       OUTCOME',
        '2026-11-23T10:00:00Z  alice@ci-runner-7  run-started',
        '2026-11-23T10:00:01Z  alice@ci-runner-7  step-started    1     kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data',
        '2026-11-23T10:00:02Z  alice@ci-runner-7  step-succeeded  1     kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data  succeeded',
        '2026-11-23T10:00:03Z  alice@ci-runner-7  step-failed     2     s3/BucketLifecycle/akosha-backups-prod                        HTTP 503 SlowDown',
        '2026-11-23T10:00:04Z  alice@ci-runner-7  run-finished                                                                        failed',
      ].join('\n'),
    );
  });

  it('shows only the last n events with --last', async () => {
    const result = await strata(['audit', 'show', 'prod', '--last', '2']);
    expect(result.out.split('\n')).toHaveLength(3);
    expect(result.out).toContain('run-finished');
    expect(result.out).not.toContain('run-started');
  });

  it('prints the events as JSON with --json', async () => {
    const events = JSON.parse((await strata(['audit', 'show', 'prod', '--json', '--last', '1'])).out) as unknown[];
    expect(events).toEqual([expect.objectContaining({ type: 'run-finished', seq: 5, outcome: 'failed' })]);
  });

  it('still shows a tampered log, with a warning not to trust it', async () => {
    const path = join(cwd, 'audit', 'prod.jsonl');
    await writeFile(path, (await readFile(path, 'utf8')).replace('HTTP 503 SlowDown', 'fine'));
    const result = await strata(['audit', 'show', 'prod']);
    expect(result.out).toContain('fine');
    expect(result.err).toBe(
      'warning: audit/prod.jsonl fails verification (1 problem); do not trust it: run `strata audit verify prod`',
    );
  });

  it('refuses a --last that is not a positive whole number', async () => {
    const result = await strata(['audit', 'show', 'prod', '--last', '0']);
    expect(result.err).toContain("option '--last <n>' argument '0' is invalid. must be a whole number from 1");
  });
});
