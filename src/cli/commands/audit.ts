/** `strata audit verify|show <env-or-path>`: check the chain and the runs of an audit log, or read it as a table. */
import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { auditLogPath, scanAuditLog, verifyAuditLog } from '../../apply/audit/index.js';
import { UserError } from '../../errors/user-error.js';
import { addressKey } from '../../model/address.js';
import type { AuditEvent } from '../../model/audit.js';
import { terminalText } from '../../render/escape/terminal.js';
import { plural } from '../../model/words.js';
import { auditKeyFrom } from '../audit-key.js';
import { shortTime, verifyReport } from '../audit-report.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { shownPath } from '../files.js';

interface LogLocation {
  path: string;
  /** The path as the user should read it: relative to the working directory when inside it. */
  shown: string;
}

export function registerAudit(program: Command, context: CommandContext): void {
  const audit = program
    .command('audit')
    .description('check and read the audit log of applies (audit/<env>.jsonl)')
    .addHelpText('after', '\nExamples:\n  strata audit verify prod\n  strata audit show prod --last 20');

  audit
    .command('verify')
    .description('check the chain (every edited, removed or reordered line) and the runs (started and never finished)')
    .argument('<env-or-path>', 'an environment name, or the path of a .jsonl audit log')
    .option('--audit-dir <dir>', 'where the audit logs are (default: $STRATA_AUDIT_DIR or audit/)')
    .option('--strict', 'also exit 1 when the latest run never finished, or when keyed events cannot be checked here')
    .addHelpText(
      'after',
      [
        '',
        'Exits 1 when the log was changed after strata wrote it; a run that never finished is a warning (exit 0) unless --strict.',
        '',
        'Examples:',
        '  strata audit verify prod',
        '  strata audit verify prod --strict',
        '  strata audit verify backups/audit/prod.jsonl',
        '',
        'Environment:',
        '  STRATA_AUDIT_KEY  the key the log is written with: keyed events are checked with it (HMAC-SHA256)',
      ].join('\n'),
    )
    .action(async (target: string, options: { auditDir?: string; strict?: boolean }) => {
      const key = auditKeyFrom(context.env);
      const log = existingLog(target, options, context);
      const report = verifyReport(await verifyAuditLog(log.path, { key }), log.shown, {
        strict: options.strict === true,
      });
      for (const line of report.out) context.output.out(line);
      for (const line of report.err) context.output.err(line);
      if (report.failed) context.exitCode = ExitCode.Error;
    });

  audit
    .command('show')
    .description('list the events of an audit log: time, actor, type, step, address, outcome')
    .argument('<env-or-path>', 'an environment name, or the path of a .jsonl audit log')
    .option('--json', 'print the events as a JSON array')
    .option('--last <n>', 'only the last n events', parseCount)
    .option('--audit-dir <dir>', 'where the audit logs are (default: $STRATA_AUDIT_DIR or audit/)')
    .addHelpText('after', '\nExamples:\n  strata audit show prod --last 20\n  strata audit show prod --json')
    .action(async (target: string, options: { auditDir?: string; json?: boolean; last?: number }) => {
      const key = auditKeyFrom(context.env);
      const log = existingLog(target, options, context);
      const scan = await scanAuditLog(log.path, { key });
      const events = options.last === undefined ? (scan?.events ?? []) : (scan?.events ?? []).slice(-options.last);
      context.output.out(options.json ? JSON.stringify(events, null, 2) : eventTable(events));
      if (scan && scan.problems.length > 0) {
        context.output.err(
          `warning: ${log.shown} fails verification (${plural(scan.problems.length, 'problem')}); do not trust it: run \`strata audit verify ${target}\``,
        );
      }
    });
}

function existingLog(target: string, options: { auditDir?: string }, context: CommandContext): LogLocation {
  const isPath = target.endsWith('.jsonl') || target.includes('/') || target.includes(sep);
  const path = isPath
    ? resolve(context.cwd, target)
    : auditLogPath({
        cwd: context.cwd,
        environment: target,
        env: context.env,
        ...(options.auditDir ? { auditDir: options.auditDir } : {}),
      });
  const shown = shownPath(context.cwd, path);
  if (!existsSync(path)) {
    throw new UserError(`no audit log at ${shown}`, {
      hint: isPath
        ? 'check the path'
        : `nothing has been applied to ${target} from here yet, or its log is elsewhere: pass --audit-dir or set STRATA_AUDIT_DIR`,
    });
  }
  return { path, shown };
}

const COLUMNS = ['TIME', 'ACTOR', 'TYPE', 'STEP', 'ADDRESS', 'OUTCOME'] as const;

function eventTable(events: AuditEvent[]): string {
  if (events.length === 0) return 'no events';
  const rows = [
    [...COLUMNS],
    // Anyone who can write the file can put anything in an event: cells are shown, never interpreted by the terminal.
    ...events.map((event) =>
      [
        shortTime(event.time),
        `${event.actor.user}@${event.actor.host}`,
        event.type,
        event.step === undefined ? '' : String(event.step),
        event.address ? addressKey(event.address) : '',
        outcomeOf(event),
      ].map(terminalText),
    ),
  ];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The outcome, error or reason an event carries, whichever it has. */
function outcomeOf(event: AuditEvent): string {
  const parts = [event.outcome, event.error, event.reason].filter((part) => part !== undefined && part !== '');
  if (parts.length > 0) return parts.join(': ');
  return event.type === 'step-succeeded' ? 'succeeded' : '';
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number from 1');
  return n;
}
