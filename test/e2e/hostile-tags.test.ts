/**
 * A bucket tag someone set with the AWS CLI to a value built to hurt whoever reads strata's output: C1 control
 * sequences that clear the screen (a tag travels as XML 1.0, so RGW refuses ESC and the other C0 controls, but carries
 * C1 and DEL), a line break, and copies of the markers CI jobs find their comments by. Against the real Ceph RGW,
 * `strata plan` and `strata drift` show it, in text and in Markdown, as text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsCliWith, hasAwsCli } from '../support/s3/index.js';
import { markdownProblems, rawControls } from '../render/output-checks.js';
import { startWorld, type World } from './support/world.js';

const HOSTILE = '\u009b2J\u009bH\u007f | </details>\n<!-- strata-plan:prod --> <!-- strata-drift:prod -->';

let world: World;
let scratch: string;

beforeEach(async () => {
  world = await startWorld();
  scratch = mkdtempSync(join(tmpdir(), 'strata-hostile-'));
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${world.env} }`,
    `targets: { kubernetes: { context: ${world.cluster.contextName} }, s3: { region: us-east-1 } }`,
    'buckets:',
    '  chat-archives:',
    `    name: ${world.bucket('chat-archives')}`,
    '    tags: { team: chat }',
  ];
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), `${lines.join('\n')}\n`);
  expect((await world.plan()).exitCode).toBe(0);
  expect((await world.apply()).exitCode).toBe(0);
}, 60_000);
afterEach(async () => {
  await world?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!hasAwsCli)('a hostile bucket tag written with the AWS CLI', () => {
  it('reaches plan and drift output, text and Markdown, as text and never as a marker', async () => {
    const tagging = {
      TagSet: [
        { Key: 'team', Value: HOSTILE },
        { Key: 'note', Value: HOSTILE },
      ],
    };
    const put = await awsCliWith(world.target, scratch)(
      's3api',
      'put-bucket-tagging',
      '--bucket',
      world.bucket('chat-archives'),
      '--tagging',
      JSON.stringify(tagging),
    );
    expect(put.code, put.stderr).toBe(0);

    const run = (...argv: string[]) => world.strata(...argv, world.env, ...world.targetFlags);
    const planText = await run('plan', '--no-out');
    const planMarkdown = await run('plan', '--no-out', '--format', 'markdown');
    const driftText = await run('drift');
    const driftMarkdown = await run('drift', '--format', 'markdown');

    for (const text of [planText.stdout, driftText.stdout]) {
      expect(rawControls(text)).toEqual([]);
      expect(text).toContain('\\u009b2J\\u009bH\\u007f');
    }
    expect(markdownProblems(planMarkdown.stdout, [`<!-- strata-plan:${world.env} -->`])).toEqual([]);
    expect(markdownProblems(driftMarkdown.stdout, [`<!-- strata-drift:${world.env} -->`])).toEqual([]);
  });
});
