/**
 * Which file an environment argument names (`strata plan|apply|drift|observe <environment>`): a name is looked up
 * under environments/, a path must name an environment file. Anything else is refused before a byte is read, so
 * `strata plan ../../etc/passwd` says what it accepts instead of quoting the file back.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { clip } from '../model/clip.js';
import { UserError } from '../errors/user-error.js';
import { discoverEnvironments, ENVIRONMENT_FILE, ENVIRONMENTS_DIRECTORY } from './discover.js';

/** An environment name is a Kubernetes-style name (RFC 1123 label), like the logical keys inside the file. */
const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const EXTENSIONS = ['.yaml', '.yml'];

/** The absolute path of the environment file `given` names; a UserError listing the environments when there is none. */
export async function resolveEnvironmentFile(given: string, cwd: string): Promise<string> {
  if (ENVIRONMENT_NAME.test(given)) {
    for (const extension of EXTENSIONS) {
      const file = path.join(cwd, ENVIRONMENTS_DIRECTORY, `${given}${extension}`);
      if (await isFile(file)) return file;
    }
    throw await refusal(`no environment ${given}: ${ENVIRONMENTS_DIRECTORY}/${given}.yaml does not exist`, cwd, given);
  }
  if (ENVIRONMENT_FILE.test(given)) {
    const file = path.resolve(cwd, given);
    if (await isFile(file)) return file;
    throw await refusal(`no environment file ${clip(given)}`, cwd);
  }
  throw await refusal(
    `\`${clip(given)}\` is neither an environment name nor an environment file: give a name from ${ENVIRONMENTS_DIRECTORY}/, or the path of a .yaml file`,
    cwd,
  );
}

async function refusal(message: string, cwd: string, name?: string): Promise<UserError> {
  const available = await discoverEnvironments(cwd);
  const hint =
    available.length > 0
      ? `available environments: ${available.join(', ')}`
      : `create ${ENVIRONMENTS_DIRECTORY}/${name ?? '<name>'}.yaml (names are lowercase letters, digits and '-')`;
  return new UserError(message, { hint });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
