/**
 * The interactive apply in a real terminal: tmux runs `strata apply`, keys go in with send-keys, and capture-pane
 * shows what a person sees. The audit log must then match what they chose.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLog, verifyAuditLog } from '../../src/apply/audit/index.js';
import { startKubeEmulator, type KubeEmulator } from '../support/kube-emulator/index.js';
import { deleteBucketCompletely, newS3Client, s3Target, uniqueBucketName } from '../support/s3/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('skipping the terminal apply test: tmux is not installed (apt-get install tmux)');

const session = `strata-test-${process.pid}`;
let emulator: KubeEmulator;
let project: string;
let bucket: string;

function environmentFile(context: string): string {
  return `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: demo }
targets:
  kubernetes: { context: ${context} }
  s3: { region: us-east-1 }
storageClasses:
  fast-ssd: { provisioner: ebs.csi.aws.com, parameters: { type: gp3 }, volumeBindingMode: Immediate, allowVolumeExpansion: true }
namespaces:
  codequal:
    name: codequal-demo
    volumes:
      deepwiki-data: { storageClass: fast-ssd, size: 20Gi, maxSize: 100Gi }
buckets:
  backups:
    name: ${bucket}
    versioning: true
    publicAccess: blocked
    tags: { team: platform }
`;
}

const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
const send = (key: string) => execFileSync('tmux', ['send-keys', '-t', session, key]);

/** Waits until the screen shows one of `texts`; returns the one it shows. */
async function waitFor(...texts: string[]): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const shown = screen();
    const found = texts.find((text) => shown.includes(text));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${texts.join(' or ')}; it shows:\n${shown}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!hasTmux)('strata apply in a terminal', () => {
  beforeAll(async () => {
    emulator = await startKubeEmulator();
    project = await mkdtemp(join(tmpdir(), 'strata-terminal-'));
    bucket = uniqueBucketName('akosha-terminal');
    await mkdir(join(project, 'environments'));
    await writeFile(join(project, 'environments/demo.yaml'), environmentFile(emulator.contextName));
  });

  afterAll(async () => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    await deleteBucketCompletely(newS3Client(), bucket);
    await emulator.stop();
    await rm(project, { recursive: true, force: true });
  });

  it('steps through the plan, skipping one change, and the audit log records exactly that', async () => {
    const target = s3Target();
    // A person at a terminal: CI runners export CI=true, which would (rightly) turn the UI off.
    const command = [
      'env -u CI',
      `KUBECONFIG=${emulator.kubeconfigPath}`,
      `AWS_ACCESS_KEY_ID=${target.credentials.accessKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${target.credentials.secretAccessKey}`,
      `${ROOT}node_modules/.bin/tsx --tsconfig ${ROOT}tsconfig.json ${ROOT}src/cli/main.ts`,
      `apply demo --s3-endpoint ${target.endpoint} --audit-dir audit; echo "EXIT=$?"; sleep 60`,
    ].join(' ');
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '40', '-c', project, command]);

    await waitFor('a apply all · s step through');
    expect(screen()).toContain('strata plan demo · 7 create');
    send('s');
    for (;;) {
      const shown = await waitFor('Apply this change?', 'EXIT=');
      if (shown === 'EXIT=') break;
      send(screen().includes('public access block\n      ') ? 'n' : 'y');
      await waitFor('steps');
    }

    const finalScreen = screen();
    expect(finalScreen).toContain('EXIT=0');
    expect(finalScreen).toContain('Apply complete: 6 steps succeeded, 1 skipped.');
    expect(finalScreen).toMatch(/↷\s+\d+\. \+\s+s3 bucket akosha-terminal-[a-z0-9-]+ · public access block/);

    const log = join(project, 'audit/demo.jsonl');
    expect((await verifyAuditLog(log)).ok).toBe(true);
    const events = await readAuditLog(log);
    expect(events.filter((event) => event.type === 'step-skipped').map((event) => event.address?.kind)).toEqual(['BucketPublicAccessBlock']);
    expect(events.filter((event) => event.type === 'step-succeeded')).toHaveLength(6);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'succeeded' });
  }, 90_000);
});
