/**
 * The real AWS CLI, as a person runs it beside strata, against the test S3 server. It reads none of the user's
 * profiles: its config and credentials files point into the caller's scratch directory, the keys come from the
 * environment.
 */
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Target } from './target.js';

export const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

export interface AwsCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An `aws` bound to one S3 target and scratch directory; resolves with the exit code, never rejects. */
export function awsCliWith(target: S3Target, scratch: string): (...args: string[]) => Promise<AwsCliRun> {
  const config = join(scratch, 'aws-config');
  // Path-style requests: a self-hosted server has no wildcard DNS for bucket names.
  writeFileSync(config, `[default]\nregion = ${target.region}\ns3 =\n    addressing_style = path\n`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    // Version-manager shims (pyenv) find their interpreter through HOME; the CLI's own files are the scratch ones.
    HOME: process.env.HOME,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'aws-credentials'),
    AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: target.region,
  };
  return (...args) =>
    new Promise((resolve) => {
      execFile(
        'aws',
        ['--endpoint-url', target.endpoint, ...args],
        { env, cwd: scratch, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
}
