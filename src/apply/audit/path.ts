import { resolve } from 'node:path';

/** `--audit-dir` > `STRATA_AUDIT_DIR` > `<cwd>/audit`; one `<environment>.jsonl` per environment. */
export function auditLogPath(options: {
  cwd: string;
  environment: string;
  env: NodeJS.ProcessEnv;
  auditDir?: string;
}): string {
  const directory = options.auditDir || options.env.STRATA_AUDIT_DIR || 'audit';
  return resolve(options.cwd, directory, `${options.environment}.jsonl`);
}
