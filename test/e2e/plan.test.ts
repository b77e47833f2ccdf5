/**
 * `strata plan` and `strata show` end to end, against the real Kubernetes control plane and Ceph RGW: the
 * scenario's pull request (test/fixtures/e2e/scenario.yaml) has one change of every kind and every kind of risk.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action, Plan, RiskKind } from '../../src/model/plan.js';
import type { CliResult } from '../support/cli.js';
import { prepareScenario } from './support/scenario.js';
import { startWorld, type World } from './support/world.js';

const PR_COMMENT_LIMIT = 65_536;

let world: World;
let planned: CliResult;
let plan: Plan;

beforeAll(async () => {
  world = await startWorld();
  await prepareScenario(world);
  planned = await world.plan();
  plan = JSON.parse(await readFile(join(world.dir, world.planfile), 'utf8')) as Plan;
}, 60_000);
afterAll(() => world?.cleanup());

/** The run's names and the servers' ports vary; the plan around them does not. */
function stable(text: string): string {
  return text
    .replaceAll(world.env, 'e2e-<run>')
    .replaceAll(world.run, '<run>')
    .replace(/(https?):\/\/127\.0\.0\.1:\d+/g, '$1://127.0.0.1:<port>')
    .replace(/observed in \d+\.\ds/, 'observed in <time>')
    .replace(/sha256 [0-9a-f]{4}…[0-9a-f]{4}/g, 'sha256 <hash>');
}

describe('strata plan against live servers: the scenario with every action and every risk', () => {
  it('plans one change of every kind', () => {
    expect(planned.exitCode).toBe(0);
    const actions = new Set(plan.changes.map((change) => change.action));
    expect([...actions].sort()).toEqual(
      (['adopt', 'blocked', 'create', 'delete', 'no-op', 'replace', 'update'] satisfies Action[]).sort(),
    );
    expect(plan.summary).toEqual({
      create: 14,
      update: 4,
      replace: 1,
      delete: 2,
      adopt: 2,
      blocked: 2,
      noOp: 10,
      risks: 9,
    });
  });

  it('derives every kind of risk, each on the change that carries it', () => {
    const risks = plan.changes.flatMap((change) =>
      change.risks.map((risk) => `${risk.kind} ${change.address.kind} ${change.address.name}`),
    );
    const kinds = new Set(plan.changes.flatMap((change) => change.risks.map((risk) => risk.kind)));
    expect([...kinds].sort()).toEqual(
      (['cost', 'data-loss', 'irreversible', 'replace', 'security-weakened'] satisfies RiskKind[]).sort(),
    );
    expect(risks).toEqual(
      expect.arrayContaining([
        `cost PersistentVolumeClaim scratch`,
        `data-loss Bucket ${world.bucket('tmp-exports')}`,
        `data-loss BucketLifecycle ${world.bucket('chat-archives')}`,
        `security-weakened BucketPublicAccessBlock ${world.bucket('chat-media')}`,
        `security-weakened BucketPolicy ${world.bucket('chat-media')}`,
        `irreversible Bucket ${world.bucket('backups')}`,
        `replace StorageClass fast-ssd-${world.run}`,
        `cost ResourceQuota strata-storage`,
        `cost PersistentVolumeClaim deepwiki-data`,
      ]),
    );
  });

  it('prints the reviewed plan: summary, risks first, then every change', async () => {
    const { stdout } = planned;
    expect(stdout).toContain('Plan: 14 to create, 2 to adopt, 4 to update, 1 to replace, 2 to delete, 2 blocked.');
    expect(stdout.indexOf('! RISKS')).toBeLessThan(stdout.indexOf('+ kubernetes cronjob'));
    expect(stdout).toContain('kept as found (not managed by strata): lifecycle rule "legal-hold-archive"');
    expect(stdout).toContain('10 resources unchanged.');
    await expect(stable(stdout)).toMatchFileSnapshot('../fixtures/e2e/scenario.plan.txt');
  });

  it('says in the header how long observing the live state took', () => {
    expect(planned.stdout.split('\n')[0]).toMatch(
      /^strata plan e2e-\w+ · 21 resources observed in \d+\.\ds \(k8s context strata-test \(https:\/\/127\.0\.0\.1:\d+\)/,
    );
  });

  it('saves the plan where it says, with the hash it prints', () => {
    expect(planned.stdout).toContain(`Saved to ${world.planfile}`);
    expect(planned.stdout).toContain(`Apply with: strata apply ${world.planfile}`);
  });

  it('strata show renders the same text from the saved file', async () => {
    const shown = await world.strata('show', world.planfile);
    expect(shown.exitCode).toBe(0);
    // Only plan prints where it saved the file; everything above that line is the same.
    const withoutSavedLine = (text: string) => text.replace(/\nSaved to .*\n$/, '\n').trimEnd();
    expect(withoutSavedLine(shown.stdout)).toBe(withoutSavedLine(planned.stdout));
  });

  it('renders Markdown that fits a pull-request comment', async () => {
    const markdown = await world.strata('show', world.planfile, '--format', 'markdown');
    expect(markdown.exitCode).toBe(0);
    expect(markdown.stdout.length).toBeLessThan(PR_COMMENT_LIMIT);
    expect(markdown.stdout.split('\n')[0]).toMatch(
      /^### strata plan · e2e-\w+ · 14 create · 2 adopt · 4 update · 1 replace · 2 delete · 2 blocked · ⚠️ 9 risks/,
    );
    expect(markdown.stdout).toContain('<details>');
  });

  it('never writes a credential into the plan file', async () => {
    const text = await readFile(join(world.dir, world.planfile), 'utf8');
    expect(text).not.toContain(world.target.credentials.secretAccessKey);
    expect(text).not.toContain(world.target.credentials.accessKeyId);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(world.cluster.kubeconfig);
    const token = kubeConfig.getCurrentUser()?.token;
    expect(token).toBeTruthy();
    expect(text).not.toContain(token);
  });
});
