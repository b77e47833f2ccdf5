/**
 * The real kubectl, as a user runs it beside strata, against the test control plane. Its discovery cache goes into the
 * caller's scratch directory, never the user's home.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const KUBECTL = '/usr/bin/kubectl';
export const hasKubectl = existsSync(KUBECTL);

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A kubectl bound to one kubeconfig and scratch directory (and extra environment, such as KUBE_EDITOR); resolves with
 * the exit code, never rejects.
 */
export function kubectlWith(
  kubeconfigPath: string,
  scratch: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): (...args: string[]) => Promise<KubectlRun> {
  const env = {
    PATH: process.env.PATH,
    HOME: scratch,
    KUBECONFIG: kubeconfigPath,
    KUBECACHEDIR: join(scratch, 'cache'),
    ...options.env,
  };
  return (...args) =>
    new Promise((resolve) => {
      execFile(KUBECTL, args, { env, timeout: options.timeoutMs ?? 80_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
}
