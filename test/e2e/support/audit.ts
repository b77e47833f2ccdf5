/** Reading a world's audit log back, to check it tells what happened. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readAuditLog } from '../../../src/apply/audit/index.js';
import { addressKey } from '../../../src/model/address.js';
import type { AuditEvent } from '../../../src/model/audit.js';
import type { SavedPlan } from '../../../src/model/plan.js';
import { parsePlanFile } from '../../../src/plan/index.js';
import type { World } from './world.js';

export async function auditEvents(world: World): Promise<AuditEvent[]> {
  return readAuditLog(join(world.auditDir, `${world.env}.jsonl`));
}

export async function savedPlan(world: World): Promise<SavedPlan> {
  return parsePlanFile(await readFile(join(world.dir, world.planfile), 'utf8'), world.planfile);
}

/** The runs of one plan, in order, each as its events. */
export function runsOf(events: AuditEvent[], planHash: string): AuditEvent[][] {
  const runs = new Map<string, AuditEvent[]>();
  for (const event of events.filter((e) => e.planHash === planHash && e.runId)) {
    runs.set(event.runId!, [...(runs.get(event.runId!) ?? []), event]);
  }
  return [...runs.values()];
}

/** `type step address` lines, for readable expectations. */
export function trail(run: AuditEvent[]): string[] {
  return run.map((event) =>
    [event.type, event.step, event.address ? addressKey(event.address) : undefined]
      .filter((part) => part !== undefined)
      .join(' '),
  );
}

/** Every step the run started ended, one way or the other: the log never leaves a step dangling. */
export function unfinishedSteps(run: AuditEvent[]): number[] {
  const started = run.filter((e) => e.type === 'step-started').map((e) => e.step!);
  const ended = new Set(run.filter((e) => e.type === 'step-succeeded' || e.type === 'step-failed').map((e) => e.step!));
  return started.filter((step) => !ended.has(step));
}

export function succeededSteps(runs: AuditEvent[][]): number[] {
  return runs
    .flat()
    .filter((e) => e.type === 'step-succeeded')
    .map((e) => e.step!)
    .sort((a, b) => a - b);
}
