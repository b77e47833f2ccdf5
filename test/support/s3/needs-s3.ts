/**
 * Whether a test run needs the S3 server: some selected test file imports test/support/s3, directly or through
 * other local modules. Saves starting (or installing) Ceph for runs such as `vitest run test/model`.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const S3_SUPPORT_DIR = dirname(fileURLToPath(import.meta.url));
const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

export function anyFileNeedsS3(testFiles: readonly string[]): boolean {
  const seen = new Set<string>();
  const pending = [...testFiles];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.startsWith(S3_SUPPORT_DIR + '/')) return true;
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

/** `./x.js` names `./x.ts` (or .tsx) in this ESM TypeScript project; `./dir` names `./dir/index.ts`. */
function resolveLocal(fromDir: string, specifier: string): string | undefined {
  const base = resolve(fromDir, specifier);
  const stem = base.replace(/\.(js|jsx|ts|tsx|mjs)$/, '');
  const candidates = [`${stem}.ts`, `${stem}.tsx`, `${base}/index.ts`, base];
  return candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
}
