/**
 * Whether a test run needs a server the global setup starts: some selected test file imports that server's support
 * folder (test/support/s3, test/support/kube), directly or through other local modules. Saves starting Ceph or a
 * control plane for runs such as `vitest run test/model`. Also the exit handling both servers share.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Which files run is only known through vitest's experimental state API; when it is unavailable, or in watch mode
 * (a later rerun may pick such tests), the server is needed.
 */
export function runNeeds(project: TestProject, supportDir: URL): boolean {
  if (project.vitest.config.watch) return true;
  const paths = project.vitest.state?.getPaths?.();
  if (!paths || paths.length === 0) return true;
  return anyFileImports(paths, fileURLToPath(supportDir));
}

export function anyFileImports(testFiles: readonly string[], supportDir: string): boolean {
  const prefix = supportDir.endsWith('/') ? supportDir : `${supportDir}/`;
  const seen = new Set<string>();
  const pending = [...testFiles];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.startsWith(prefix)) return true;
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const match of source.matchAll(RELATIVE_IMPORT)) {
      const imported = resolveLocal(dirname(file), match[1]!);
      if (imported) pending.push(imported);
    }
  }
  return false;
}

/** Runs `stop` on exit or a stop signal; the returned function runs it now and removes the handlers. */
export function stopOnExit(stop: () => void): () => void {
  let stopped = false;
  const once = (): void => {
    if (stopped) return;
    stopped = true;
    process.off('exit', once);
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    stop();
  };
  function onSignal(signal: NodeJS.Signals): void {
    once();
    // Our handler replaced Node's default one; without other listeners, die of the signal as expected.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
  process.on('exit', once);
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return once;
}

/** `./x.js` names `./x.ts` (or .tsx) in this ESM TypeScript project; `./dir` names `./dir/index.ts`. */
function resolveLocal(fromDir: string, specifier: string): string | undefined {
  const base = resolve(fromDir, specifier);
  const stem = base.replace(/\.(js|jsx|ts|tsx|mjs)$/, '');
  const candidates = [`${stem}.ts`, `${stem}.tsx`, `${base}/index.ts`, base];
  return candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
}
