/**
 * An honest resume: a change skipped in step-through mode (in a real terminal, through tmux) stays skipped when the
 * plan is resumed, the output says so, and --include-skipped applies it; against the real control plane and RGW.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetBucketTaggingCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';
import { hasTmux, terminalSession, type TerminalSession } from '../support/tmux.js';
import { startWorld, type World } from './support/world.js';

const ROOT = new URL('../..', import.meta.url).pathname;
if (!hasTmux) console.warn('skipping the resume-after-skip test: tmux is not installed (apt-get install tmux)');

let world: World;
let terminal: TerminalSession;
beforeEach(async () => {
  world = await startWorld();
  terminal = terminalSession(`strata-resume-${world.run}`);
  await writeFile(
    join(world.dir, 'environments', `${world.env}.yaml`),
    `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: ${world.env} }
targets:
  kubernetes: { context: strata-test }
  s3: { region: us-east-1 }
namespaces:
  team: { name: ${world.namespace('team')}, labels: { team: platform } }
buckets:
  archive:
    name: ${world.bucket('archive')}
    tags: { team: chat }
    lifecycle:
      - { id: messages-retention, prefix: messages/, expireAfter: 30d }
`,
  );
}, 60_000);
afterEach(async () => {
  terminal.kill();
  await world?.cleanup();
});

/** `strata apply <env>` at a terminal, stepping through: every change applied but the bucket's tags. */
async function stepThroughSkippingTags(): Promise<void> {
  const { credentials } = world.target;
  const command = [
    'env -u CI',
    `AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
    `${ROOT}node_modules/.bin/tsx --tsconfig ${ROOT}tsconfig.json ${ROOT}src/cli/main.ts`,
    `apply ${world.env} ${world.targetFlags.join(' ')} --audit-dir ${world.auditDir}; echo "EXIT=$?"; sleep 60`,
  ].join(' ');
  terminal.start(command, world.dir);
  await terminal.waitFor('a apply all · s step through');
  terminal.send('s');
  for (;;) {
    if ((await terminal.waitFor('Apply this change?', 'EXIT=')) === 'EXIT=') break;
    const question = terminal.screen().split('of the plan:').at(-1)!;
    terminal.send(question.includes('· tags') ? 'n' : 'y');
    await terminal.waitFor('steps');
  }
  expect(terminal.screen()).toContain('EXIT=0');
}

function resume(...extra: string[]): Promise<CliResult> {
  const { credentials } = world.target;
  return runCli(
    ['apply', '--resume', ...extra, world.planfile, '--no-tty', '--audit-dir', world.auditDir, ...world.targetFlags],
    {
      cwd: world.dir,
      env: {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: world.target.region,
      },
    },
  );
}

async function teamTag(): Promise<string | undefined> {
  const { TagSet } = await world.s3.send(new GetBucketTaggingCommand({ Bucket: world.bucket('archive') }));
  return TagSet?.find((tag) => tag.Key === 'team')?.Value;
}

describe.skipIf(!hasTmux)('strata apply --resume after a change was skipped in step-through mode', () => {
  it('leaves the skipped change, saying so, and applies it with --include-skipped', async () => {
    await stepThroughSkippingTags();
    expect(await teamTag()).toBeUndefined();

    const left = await resume();

    expect(left.exitCode).toBe(0);
    expect(left.stdout).toMatch(
      new RegExp(
        `left skipped step \\d+ create s3 bucket ${world.bucket('archive')} · tags \\(skipped in step-through mode on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)`,
      ),
    );
    expect(left.stdout).toContain(
      `pass --include-skipped to apply it: strata apply --resume --include-skipped ${world.planfile}`,
    );
    expect(await teamTag()).toBeUndefined();

    const included = await resume('--include-skipped');

    expect(included.stdout).toContain('Apply complete: 1 step succeeded');
    expect(included.exitCode).toBe(0);
    expect(await teamTag()).toBe('chat');
  }, 90_000);
});
