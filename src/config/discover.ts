/** Finding environment files: `environments/<name>.yaml` under the working directory. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export const ENVIRONMENTS_DIRECTORY = 'environments';
export const ENVIRONMENT_FILE = /\.ya?ml$/;

/** The environment files in a directory, as absolute paths, sorted; none when the directory is missing. */
export async function environmentFiles(directory: string): Promise<string[]> {
  try {
    const names = await readdir(directory, { withFileTypes: true });
    return names
      .filter((entry) => entry.isFile() && ENVIRONMENT_FILE.test(entry.name))
      .map((entry) => path.join(directory, entry.name))
      .sort();
  } catch {
    return [];
  }
}

/** The names of the environments under `<cwd>/environments`, sorted: `['dev', 'prod', 'staging']`. */
export async function discoverEnvironments(cwd: string): Promise<string[]> {
  const files = await environmentFiles(path.join(cwd, ENVIRONMENTS_DIRECTORY));
  return files.map(environmentName).sort();
}

/** `environments/prod.yaml` → `prod`. */
export function environmentName(file: string): string {
  return path.basename(file).replace(ENVIRONMENT_FILE, '');
}
