/** A scratch project for promotion tests: copies of the shipped environment files and an audit log writer. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openAuditLog } from '../../src/apply/audit/index.js';
import { loadEnvironment } from '../../src/config/index.js';
import type { RunOutcome } from '../../src/model/audit.js';
import { scratchProject } from '../support/cli.js';

export interface PromotionWorld {
  dir: string;
  read(environment: string): Promise<string>;
  /** Rewrites an environment file through `edit`. */
  edit(environment: string, edit: (text: string) => string): Promise<void>;
  /** The digest of the environment file as it is now: the desired digest `strata plan` records. */
  digest(environment: string): Promise<string>;
  /** Appends a whole apply run of `digest` to the environment's audit log, as the applier writes it (keyed with `key`). */
  recordApply(environment: string, digest: string, outcome?: RunOutcome, key?: string): Promise<void>;
  remove(): Promise<void>;
}

const alice = { user: 'alice', host: 'ci-runner-7', ciRun: 'https://github.com/acme/storage/actions/runs/42' };

export async function promotionWorld(): Promise<PromotionWorld> {
  const project = await scratchProject();
  const file = (environment: string) => join(project.dir, 'environments', `${environment}.yaml`);
  let runs = 0;
  return {
    dir: project.dir,
    read: (environment) => readFile(file(environment), 'utf8'),
    async edit(environment, edit) {
      const before = await readFile(file(environment), 'utf8');
      const after = edit(before);
      if (after === before) throw new Error(`test edit changed nothing in ${environment}.yaml`);
      await writeFile(file(environment), after);
    },
    async digest(environment) {
      return (await loadEnvironment(environment, { cwd: project.dir })).digest;
    },
    async recordApply(environment, digest, outcome = 'succeeded', key) {
      runs += 1;
      const runId = `run-${runs}`;
      const common = { environment, actor: alice, runId, planHash: `sha256:plan-${runs}` };
      const log = await openAuditLog(join(project.dir, 'audit', `${environment}.jsonl`), { key });
      await log.append({
        ...common,
        type: 'run-started',
        time: `2026-11-23T10:0${runs}:00.000Z`,
        desiredDigest: digest,
      });
      await log.append({
        ...common,
        type: 'run-finished',
        time: `2026-11-23T10:0${runs}:30.000Z`,
        outcome,
        counts:
          outcome === 'succeeded'
            ? { succeeded: 2, failed: 0, skipped: 0, notAttempted: 0 }
            : { succeeded: 1, failed: 1, skipped: 0, notAttempted: 0 },
      });
    },
    remove: project.remove,
  };
}

/** The one policy change the golden tests promote: monthly database backups kept two years instead of one. */
export function keepMonthlyBackupsTwoYears(text: string): string {
  return text.replace(
    'prefix: db-backups/monthly/\n        transitions: [ { after: 0d, storageClass: GLACIER } ]\n        expireAfter: 365d',
    'prefix: db-backups/monthly/\n        transitions: [ { after: 0d, storageClass: GLACIER } ]\n        expireAfter: 730d',
  );
}
