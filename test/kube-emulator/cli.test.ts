import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('npm run kube-emulator', () => {
  it('prints an export line for a kubeconfig that reaches it, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/kube-emulator/cli.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no export line within 15 s; got: ${text}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n#')) {
            clearTimeout(timer);
            resolve(text);
          }
        });
      });
      const path = /^export KUBECONFIG=(.+)$/m.exec(output)?.[1];
      expect(path).toBeDefined();
      const kubeconfig = readFileSync(path!, 'utf8');
      expect(kubeconfig).toContain('current-context: strata-emulator');
      expect(kubeconfig).toContain('insecure-skip-tls-verify: true');
      const server = /server: (\S+)/.exec(kubeconfig)![1]!;
      expect((await fetch(`${server}/version`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(path!)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
