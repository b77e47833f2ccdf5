/**
 * What `--help` says an option defaults to is what the command does without it. Every option (and argument) whose
 * help states a default, through commander's `.default()` or in its text, has a check here; the first test fails when
 * one is added without a check. No check talks to a server: each stops at the first thing the default decides (which
 * file, which variable, which context), or runs offline against the shipped snapshot.
 */
import { stat, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, DEFAULT_STEP_TIMEOUT_MS } from '../../src/apply/index.js';
import type { CommandContext } from '../../src/cli/context.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { isInteractive } from '../../src/cli/interactive.js';
import { buildProgram, run } from '../../src/cli/program.js';
import { requestTimeoutsFrom, stepTimeoutFrom } from '../../src/cli/time-limits.js';
import { at, specs, world } from '../apply/applier/world.js';
import { keepMonthlyBackupsTwoYears } from '../promote/world.js';
import { runCli, scratchProject } from '../support/cli.js';

const SNAPSHOT = 'examples/snapshots/dev.observed.json';
let project: Awaited<ReturnType<typeof scratchProject>>;

beforeEach(async () => {
  project = await scratchProject();
});
afterEach(() => project.remove());

const strata = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(argv, { cwd: project.dir, env });
const inProject = (...parts: string[]) => join(project.dir, ...parts);

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const text = await readFile(inProject(file), 'utf8');
  const changed = change(text);
  if (changed === text) throw new Error(`the edit changed nothing in ${file}`);
  await writeFile(inProject(file), changed);
}

/** A kubeconfig with these contexts, all naming a cluster nothing listens on: no check gets as far as a request. */
async function kubeconfig(contexts: string[], current: string): Promise<string> {
  const file = inProject('kubeconfig.yaml');
  const entries = contexts.map((name) => `- name: ${name}\n  context: { cluster: nowhere, user: someone }`);
  await writeFile(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `current-context: ${current}`,
      'clusters:',
      '- name: nowhere',
      '  cluster: { server: "https://127.0.0.1:1" }',
      'users:',
      '- name: someone',
      '  user: { token: not-used }',
      'contexts:',
      ...entries,
      '',
    ].join('\n'),
  );
  return file;
}

function contextWith(options: { isTTY?: boolean; env?: NodeJS.ProcessEnv; out?: (text: string) => void } = {}) {
  const context: CommandContext = {
    output: {
      out: options.out ?? (() => undefined),
      err: () => undefined,
      color: false,
      isTTY: options.isTTY ?? false,
    },
    cwd: project.dir,
    env: options.env ?? {},
    exitCode: ExitCode.Success,
  };
  return context;
}

/** Every option and argument whose --help states a default, as `command --flag`, with the text --help shows for it. */
function statedDefaults(): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (command: Command, path: string[]) => {
    const help = command.createHelp();
    for (const option of command.options) {
      const text = help.optionDescription(option);
      if (/default/i.test(text)) found.set([...path, option.long].join(' '), text);
    }
    for (const argument of command.registeredArguments) {
      const text = help.argumentDescription(argument);
      if (/default/i.test(text)) found.set([...path, `[${argument.name()}]`].join(' '), text);
    }
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(buildProgram(contextWith()), []);
  return found;
}

interface Claim {
  /** What --help says the default is. */
  says: string;
  /** The command does that without the option. */
  holds: () => Promise<void>;
}

/** The same output with and without `--format text`, up to the time a drift check ran. */
function defaultsToText(argv: string[], before?: () => Promise<unknown>): Claim {
  return {
    says: 'default: "text"',
    holds: async () => {
      await before?.();
      const withoutTime = (text: string) => text.replace(/checked \S+Z/, 'checked <time>');
      const plain = await strata(argv);
      expect(plain.exitCode).not.toBe(1);
      expect(withoutTime(plain.stdout)).toBe(withoutTime((await strata([...argv, '--format', 'text'])).stdout));
    },
  };
}

function kubeconfigFromVariableThenHome(argv: string[]): Claim {
  return {
    says: 'default: KUBECONFIG, then ~/.kube/config',
    holds: async () => {
      const named = inProject('named-by-KUBECONFIG.yaml');
      expect((await strata(argv, { KUBECONFIG: named, HOME: project.dir })).stderr).toContain(
        `no kubeconfig found at ${named} (from KUBECONFIG)`,
      );
      expect((await strata(argv, { HOME: project.dir })).stderr).toContain(
        `no kubeconfig found at ${inProject('.kube/config')} (from the default location)`,
      );
    },
  };
}

function contextFromFileThenCurrent(argv: string[]): Claim {
  return {
    says: "default: targets.kubernetes.context in the environment file, then the kubeconfig's current context",
    holds: async () => {
      // Neither context is in the kubeconfig, so the refusal names the one that was chosen.
      const config = await kubeconfig(['elsewhere'], 'current-one');
      expect((await strata(argv, { KUBECONFIG: config })).stderr).toContain(`context "dev" is not in ${config}`);
      await edit('environments/dev.yaml', (text) => text.replace('kubernetes: { context: dev }', 'kubernetes: {}'));
      expect((await strata(argv, { KUBECONFIG: config })).stderr).toContain(
        `context "current-one" is not in ${config}`,
      );
    },
  };
}

function endpointFromVariablesThenFile(argv: string[]): Claim {
  return {
    says: 'default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, targets.s3.endpoint',
    holds: async () => {
      // Values that are not http(s) URLs are refused at once, naming where they came from.
      const env = { KUBECONFIG: await kubeconfig(['dev'], 'dev') };
      const refusal = async (vars: NodeJS.ProcessEnv) => (await strata(argv, { ...env, ...vars })).stderr;
      await edit('environments/dev.yaml', (text) =>
        text.replace('s3: { region: us-east-1 }', 's3: { region: us-east-1, endpoint: "ftp://in-the-file" }'),
      );
      expect(await refusal({ AWS_ENDPOINT_URL_S3: 'first', AWS_ENDPOINT_URL: 'second' })).toContain(
        'AWS_ENDPOINT_URL_S3 is not an http(s) URL: first',
      );
      expect(await refusal({ AWS_ENDPOINT_URL: 'second' })).toContain('AWS_ENDPOINT_URL is not an http(s) URL: second');
      expect(await refusal({})).toContain('targets.s3.endpoint is not an http(s) URL: ftp://in-the-file');
    },
  };
}

function timeoutFromVariableThen(argv: string[], variable: string, seconds: number, ms: () => number): Claim {
  return {
    says: `default: ${variable}, then ${seconds}s`,
    holds: async () => {
      const env = { KUBECONFIG: await kubeconfig(['dev'], 'dev'), [variable]: 'soon' };
      expect((await strata(argv, env)).stderr).toContain(`${variable} is "soon", not a duration`);
      expect(ms()).toBe(seconds * 1000);
    },
  };
}

/** `check` sees the log under `logs/` with STRATA_AUDIT_DIR=logs, then under `audit/` with nothing set. */
function auditDirFromVariableThenAudit(
  check: (dir: string, env: NodeJS.ProcessEnv) => Promise<void>,
  prepare: () => Promise<NodeJS.ProcessEnv> = async () => ({}),
): Claim {
  return {
    says: 'default: $STRATA_AUDIT_DIR or audit/',
    holds: async () => {
      const env = await prepare();
      await check('logs', { ...env, STRATA_AUDIT_DIR: 'logs' });
      await check('audit', env);
    },
  };
}

/** The command opened its audit log where the default says: opening a log makes its directory, whatever fails next. */
const opensItsAuditLog = (argv: string[], prepare?: () => Promise<NodeJS.ProcessEnv>) =>
  auditDirFromVariableThenAudit(async (dir, env) => {
    await strata(argv, env);
    expect((await stat(inProject(dir))).isDirectory()).toBe(true);
  }, prepare);

const targetCommands: Record<string, string[]> = {
  plan: ['plan', 'dev', '--no-out'],
  observe: ['observe', 'dev'],
  apply: ['apply', 'dev', '--no-tty'],
  drift: ['drift', 'dev'],
};

const claims: Record<string, Claim> = {
  'validate --format': defaultsToText(['validate']),
  'validate [paths]': {
    says: 'default: environments/',
    holds: async () => {
      await writeFile(inProject('not-an-environment.yaml'), 'nothing: [here\n');
      expect((await strata(['validate'])).stdout).toMatch(/3 environment files valid\n$/);
    },
  },
  'plan --out': {
    says: 'default: plans/<environment>.plan.json',
    holds: async () => {
      await strata(['plan', 'dev', '--observed', SNAPSHOT]);
      expect((await stat(inProject('plans/dev.plan.json'))).isFile()).toBe(true);
    },
  },
  'plan --format': defaultsToText(['plan', 'dev', '--observed', SNAPSHOT, '--no-out']),
  'plan --no-tty': {
    says: 'the default in CI',
    holds: async () => {
      expect(isInteractive(contextWith({ isTTY: true }), true)).toBe(true);
      // In a terminal, but in CI: the plan is printed as text, as --no-tty prints it, and no UI waits for keys.
      const printed: string[] = [];
      const inCi = contextWith({ isTTY: true, env: { CI: 'true' }, out: (text) => printed.push(text) });
      expect(await run(['plan', 'dev', '--observed', SNAPSHOT, '--no-out'], inCi)).toBe(ExitCode.Success);
      expect(printed.join('\n')).toContain('Plan: 8 to create');
    },
  },
  'show --format': defaultsToText(['show', 'plans/dev.plan.json'], () =>
    strata(['plan', 'dev', '--observed', SNAPSHOT]),
  ),
  'apply --concurrency': {
    says: 'default: "4"',
    holds: async () => {
      // Five steps that wait on nothing, each write held a moment: at most the default run at once.
      const w = world([
        { address: at.namespace, action: 'update', before: specs.namespace('platform'), after: specs.namespace('x') },
        { address: at.fastSsd, action: 'update', before: specs.fastSsd(false), after: specs.fastSsd(true) },
        {
          address: at.deepwikiData,
          action: 'update',
          before: specs.deepwikiData('50Gi'),
          after: specs.deepwikiData('200Gi'),
        },
        { address: at.nightly, action: 'create', after: specs.nightly() },
        { address: at.oldCache, action: 'delete', before: specs.oldCache() },
      ]);
      w.kubernetes.delayWrites(20);
      const apply = buildProgram(contextWith()).commands.find((command) => command.name() === 'apply')!;
      await applyPlan(w.input({ concurrency: Number(apply.getOptionValue('concurrency')), allowDestroy: true }));
      expect(w.kubernetes.maxInFlight).toBe(4);
    },
  },
  'apply --step-timeout': {
    says: 'default: STRATA_STEP_TIMEOUT, then 5m',
    holds: async () => {
      const env = { KUBECONFIG: await kubeconfig(['dev'], 'dev'), STRATA_STEP_TIMEOUT: 'soon' };
      expect((await strata(['apply', 'dev', '--no-tty'], env)).stderr).toContain(
        'STRATA_STEP_TIMEOUT is "soon", not a duration',
      );
      // Neither set: the applier's own deadline applies.
      expect(stepTimeoutFrom(undefined, {})).toBeUndefined();
      expect(DEFAULT_STEP_TIMEOUT_MS).toBe(5 * 60_000);
    },
  },
  'apply --audit-dir': opensItsAuditLog(['apply', 'plans/dev.plan.json', '--no-tty'], async () => {
    await strata(['plan', 'dev', '--observed', SNAPSHOT]);
    return { KUBECONFIG: await kubeconfig(['dev'], 'dev') };
  }),
  'drift --format': defaultsToText(['drift', 'dev', '--observed', SNAPSHOT]),
  'backups --format': defaultsToText(['backups', 'dev']),
  'drift --out': {
    says: 'default: stdout',
    holds: async () => {
      expect((await strata(['drift', 'dev', '--observed', SNAPSHOT])).stdout).toMatch(/^strata drift dev · checked /);
    },
  },
  'promote --from': {
    says: "default: the target's metadata.promotesFrom",
    holds: async () => {
      expect((await strata(['promote', '--to', 'prod', '--dry-run'])).stdout).toBe(
        "nothing to promote: environments/prod.yaml already has staging's promotable settings\n",
      );
    },
  },
  'promote --audit-dir': auditDirFromVariableThenAudit(
    async (dir, env) => {
      expect((await strata(['promote', '--to', 'prod'], env)).stderr).toContain(
        `${dir}/staging.jsonl records no apply to staging`,
      );
    },
    async () => {
      // Something to promote, so promote reads whether staging's log records it applied.
      await edit('environments/staging.yaml', keepMonthlyBackupsTwoYears);
      return {};
    },
  ),
  'audit verify --audit-dir': auditDirFromVariableThenAudit(async (dir, env) => {
    expect((await strata(['audit', 'verify', 'dev'], env)).stderr).toContain(`no audit log at ${dir}/dev.jsonl`);
  }),
  'audit show --audit-dir': auditDirFromVariableThenAudit(async (dir, env) => {
    expect((await strata(['audit', 'show', 'dev'], env)).stderr).toContain(`no audit log at ${dir}/dev.jsonl`);
  }),
  'unlock --kubeconfig': kubeconfigFromVariableThenHome(['unlock', 'dev']),
  'unlock --context': contextFromFileThenCurrent(['unlock', 'dev']),
  'unlock --audit-dir': opensItsAuditLog(['unlock', 'dev'], async () => ({ HOME: project.dir })),
};
for (const [name, argv] of Object.entries(targetCommands)) {
  claims[`${name} --kubeconfig`] = kubeconfigFromVariableThenHome(argv);
  claims[`${name} --context`] = contextFromFileThenCurrent(argv);
  claims[`${name} --s3-endpoint`] = endpointFromVariablesThenFile(argv);
  claims[`${name} --connect-timeout`] = timeoutFromVariableThen(
    argv,
    'STRATA_CONNECT_TIMEOUT',
    5,
    () => requestTimeoutsFrom({}, {}).connectMs,
  );
  claims[`${name} --request-timeout`] = timeoutFromVariableThen(
    argv,
    'STRATA_REQUEST_TIMEOUT',
    30,
    () => requestTimeoutsFrom({}, {}).requestMs,
  );
}

describe('defaults in --help', () => {
  it('are checked for every option and argument whose --help states one', () => {
    expect([...statedDefaults().keys()].sort()).toEqual(Object.keys(claims).sort());
  });

  it.each(Object.entries(claims))('%s: does what --help says it defaults to', async (key, claim) => {
    expect(statedDefaults().get(key)).toContain(claim.says);
    await claim.holds();
  });
});
