/** Who is running strata, for locks and audit events: the person or CI job, the machine, and the CI run's URL. */
import { hostname, userInfo } from 'node:os';
import type { Actor } from '../model/actor.js';

export function currentActor(env: NodeJS.ProcessEnv): Actor {
  const ciRun = ciRunOf(env);
  return { user: env.STRATA_ACTOR || loginName(env), host: hostname(), ...(ciRun ? { ciRun } : {}) };
}

function loginName(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    // A container user without a passwd entry has no name the OS can report.
    return env.USER || env.USERNAME || 'unknown';
  }
}

/** GitHub Actions, GitLab CI, then Jenkins (and others that set BUILD_URL). */
function ciRunOf(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  return env.CI_JOB_URL || env.BUILD_URL || undefined;
}
