/**
 * `strata promote`: reads both environment files, computes the promoted target text and its diff, and checks the
 * guardrails (the result validates, the invariants between the environments hold, the source's desired state was
 * applied there). It writes nothing: the CLI shows the result and writes the file; a forced promotion is recorded
 * through recordForcedPromotion first.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { auditLogPath, openAuditLog, readCheckedAuditLog } from '../apply/audit/index.js';
import { loadEnvironment, loadSchema, validateEnvironmentSource } from '../config/index.js';
import { UserError } from '../errors/user-error.js';
import type { Actor } from '../model/actor.js';
import { addressKey } from '../model/address.js';
import type { DesiredState } from '../model/desired.js';
import { formatDiagnostic } from '../model/diagnostic.js';
import type { Change } from '../model/plan.js';
import { plural } from '../model/words.js';
import { changesOfEdit, risksAsking } from '../plan/index.js';
import { checkInvariants } from './invariants.js';
import type { SettingChange } from './merge.js';
import { mergeYamlText } from './yaml-merge.js';
import { readSchemaShape } from './schema-shape.js';
import { checkSourceApplied } from './source-applied.js';

export interface PromotionRequest {
  /** Where environments/ and audit/ are. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The source environment; the target's `metadata.promotesFrom` when absent. */
  from?: string;
  to: string;
  /** Top-level logical keys to promote (`--only`); every logical resource when absent or empty. */
  only?: readonly string[];
  /** `--force --reason`: promote although the source's desired state was never applied successfully there. */
  forceReason?: string;
  /** `--allow-destroy`: promote although the target's next plan would then lose data, as apply asks. */
  allowDestroy?: boolean;
  /** `--audit-dir`. */
  auditDir?: string;
  /** STRATA_AUDIT_KEY: the source's log is checked with it. */
  auditKey?: string;
}

export interface PromotionFile {
  environment: string;
  /** As shown to people: relative to the working directory. */
  file: string;
  absolutePath: string;
  /** The desired state's digest (`DesiredState.digest`), as `strata plan` records it. */
  digest: string;
}

export interface Refusal {
  guardrail: 'validation' | 'invariant' | 'destroy' | 'not-applied';
  message: string;
}

export interface Promotion {
  source: PromotionFile;
  target: PromotionFile;
  before: string;
  after: string;
  /** Unified diff of the target file; empty when nothing changes. */
  diff: string;
  changes: SettingChange[];
  /**
   * What the edit would make the target's next plan do that replaces a resource or can lose data, judged by the
   * planner as if the target's live state were its file before the edit.
   */
  consequences: Change[];
  /** `buckets.scratch`: declared only in the source, so not promoted. */
  sourceOnly: string[];
  /** Declared only in the target: left alone. */
  targetOnly: string[];
  /** Reasons the result must not be written; none when it may be. */
  refusals: Refusal[];
  /** Set when `--force` let an unapplied source through: what recordForcedPromotion records. */
  forced?: { reason: string; why: string };
  /** What the source's record of the apply does not prove (it is not keyed, or not checked), for people. */
  auditNote?: string;
}

export async function preparePromotion(request: PromotionRequest): Promise<Promotion> {
  if (request.forceReason !== undefined && request.forceReason.trim() === '') {
    throw new UserError('--reason is empty', {
      hint: 'say why the promotion cannot wait for an apply, e.g. --reason "incident INC-4211: retention fix"',
    });
  }
  const target = await readEnvironment(request.to, request.cwd);
  const from = request.from ?? target.state.document.metadata.promotesFrom;
  if (from === undefined) {
    throw new UserError(`${target.file.file} names no environment it promotes from`, {
      hint: `pass --from <environment>, or add \`promotesFrom: <environment>\` under metadata in ${target.file.file}`,
    });
  }
  if (from === request.to)
    throw new UserError(`cannot promote ${from} into itself`, {
      hint: 'give two different environments: --from staging --to prod',
    });
  const promotesFrom = target.state.document.metadata.promotesFrom;
  if (promotesFrom !== undefined && promotesFrom !== from) {
    throw new UserError(
      `${request.to} promotes from ${promotesFrom}, not ${from} (metadata.promotesFrom in ${target.file.file})`,
      {
        hint: `promote ${from} into ${promotesFrom} first, or change promotesFrom if the chain has changed`,
      },
    );
  }
  const source = await readEnvironment(from, request.cwd);
  const only = onlyKeys(request.only, source.state, target.state);

  const promoted = mergeYamlText(source.text, target.text, readSchemaShape(loadSchema()), only ? { only } : {});
  const promotion: Promotion = {
    source: source.file,
    target: target.file,
    before: target.text,
    after: promoted.text,
    diff: promoted.changes.length === 0 ? '' : unifiedDiff(target.file.file, target.text, promoted.text),
    changes: promoted.changes,
    consequences: [],
    sourceOnly: promoted.sourceOnly,
    targetOnly: promoted.targetOnly,
    refusals: [],
  };
  if (promoted.changes.length === 0) return promotion;

  const validated = await validateEnvironmentSource(target.file.absolutePath, promoted.text, { cwd: request.cwd });
  if (!validated.state) {
    const errors = validated.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    promotion.refusals.push({
      guardrail: 'validation',
      message: [
        `the promoted ${target.file.file} would not validate:`,
        ...errors.map((error) => `  ${formatDiagnostic(error)}`),
      ].join('\n'),
    });
  } else {
    for (const violation of checkInvariants({
      source: { name: from, document: source.state.document },
      target: { name: request.to, document: validated.state.document },
      ...(only ? { only } : {}),
    })) {
      promotion.refusals.push({ guardrail: 'invariant', message: violation.message });
    }
    promotion.consequences = changesOfEdit(target.state, validated.state).filter(
      (change) => change.action === 'replace' || risksAsking(change, 'destroy').length > 0,
    );
    const destroying = promotion.consequences.filter((change) => risksAsking(change, 'destroy').length > 0);
    if (destroying.length > 0 && !request.allowDestroy) {
      promotion.refusals.push({ guardrail: 'destroy', message: destroyRefusal(destroying, request.to) });
    }
  }

  const log = auditLogPath({
    cwd: request.cwd,
    environment: from,
    env: request.env,
    ...(request.auditDir ? { auditDir: request.auditDir } : {}),
  });
  const shownLog = shown(request.cwd, log);
  const applied = checkSourceApplied(await readCheckedAuditLog(log, { key: request.auditKey }), source.file.digest, {
    environment: from,
    log: shownLog,
  });
  if (applied.applied) {
    if (applied.note) promotion.auditNote = applied.note;
  } else if (request.forceReason !== undefined) {
    promotion.forced = { reason: request.forceReason, why: applied.why };
  } else {
    promotion.refusals.push({
      guardrail: 'not-applied',
      message: `${applied.why}: promote only what ${from} runs. Apply it first (strata plan ${from}, then strata apply ${from}), or promote anyway with --force --reason "<why>", which is recorded in ${request.to}'s audit log`,
    });
  }
  return promotion;
}

/**
 * Records a forced promotion in the TARGET environment's audit log (where the change lands and where its reviewers
 * look), before the file is written: a promotion that cannot be recorded does not happen.
 */
export async function recordForcedPromotion(
  promotion: Promotion,
  context: { cwd: string; env: NodeJS.ProcessEnv; auditDir?: string; auditKey?: string; actor: Actor; now: Date },
): Promise<string> {
  if (!promotion.forced) throw new Error('recordForcedPromotion: the promotion was not forced');
  const path = auditLogPath({
    cwd: context.cwd,
    environment: promotion.target.environment,
    env: context.env,
    ...(context.auditDir ? { auditDir: context.auditDir } : {}),
  });
  const log = await openAuditLog(path, { key: context.auditKey });
  await log.append({
    type: 'promotion-forced',
    time: context.now.toISOString(),
    environment: promotion.target.environment,
    actor: context.actor,
    desiredDigest: promotion.source.digest,
    reason: `promoted from ${promotion.source.environment} although ${promotion.forced.why}: ${promotion.forced.reason}`,
  });
  return shown(context.cwd, path);
}

/** As apply says it: the changes by address, then the flag that lets them through. */
function destroyRefusal(changes: readonly Change[], target: string): string {
  const addresses = changes.map((change) => addressKey(change.address)).join(', ');
  return `${plural(changes.length, 'change')} in ${target}'s next plan would lose data (${addresses}): review the consequences above, then promote with --allow-destroy if that is meant`;
}

async function readEnvironment(
  name: string,
  cwd: string,
): Promise<{ state: DesiredState; text: string; file: PromotionFile }> {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new UserError(`\`${name}\` is not an environment name`, {
      hint: 'promote between environments by name, e.g. --from staging --to prod (environments/<name>.yaml)',
    });
  }
  // Validated first: an invalid file is reported with its own positions, not as a failed promotion.
  const state = await loadEnvironment(name, { cwd });
  const relative = state.files[0]!;
  const absolutePath = path.resolve(cwd, relative);
  // Read again for its text: the merge edits that text, so it must say what was validated.
  const text = await readFile(absolutePath, 'utf8');
  const reread = await validateEnvironmentSource(absolutePath, text, { cwd });
  if (reread.state?.digest !== state.digest)
    throw new UserError(`${relative} changed while strata was reading it`, { hint: 'run the promotion again' });
  return { state, text, file: { environment: name, file: relative, absolutePath, digest: state.digest } };
}

function onlyKeys(
  only: readonly string[] | undefined,
  source: DesiredState,
  target: DesiredState,
): ReadonlySet<string> | undefined {
  if (!only || only.length === 0) return undefined;
  const known = new Set([source, target].flatMap((state) => logicalKeys(state)));
  const unknown = only.filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new UserError(
      `--only ${unknown.join(', ')}: no such logical resource in ${source.files[0]} or ${target.files[0]}`,
      {
        hint: `logical keys: ${[...known].sort().join(', ')}`,
      },
    );
  }
  return new Set(only);
}

function logicalKeys(state: DesiredState): string[] {
  const { storageClasses, namespaces, buckets } = state.document;
  return [storageClasses, namespaces, buckets].flatMap((collection) => Object.keys(collection ?? {}));
}

function unifiedDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(file, file, before, after, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
}

function shown(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
