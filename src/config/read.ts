/** Reads an environment file as UTF-8 text; every way that can fail becomes a located diagnostic. */
import { readFile, stat } from 'node:fs/promises';
import type { Diagnostic } from '../model/diagnostic.js';

/**
 * Environment files are a few kilobytes, and one declaring 10,000 claims and 1,000 buckets about 1 MiB; anything this
 * large is not an environment file, and is not parsed.
 */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

export async function readSource(absolutePath: string, file: string): Promise<ReadResult> {
  const fail = (message: string, line = 1, column = 1): ReadResult => ({
    ok: false,
    diagnostic: { file, line, column, severity: 'error', path: '', message },
  });
  let bytes: Buffer;
  try {
    const info = await stat(absolutePath);
    if (info.isDirectory())
      return fail(
        'is a directory; give an environment file such as environments/dev.yaml, or the directory to `strata validate`',
      );
    // A pipe or a device has no size to check, and reading one may never end.
    if (!info.isFile())
      return fail(
        'is not a regular file (a pipe, socket or device); give an environment file such as environments/dev.yaml',
      );
    if (info.size > MAX_FILE_BYTES) {
      return fail(
        `is ${(info.size / 1024 / 1024).toFixed(1)} MiB; environment files are limited to ${MAX_FILE_BYTES / 1024 / 1024} MiB, so this is not one`,
      );
    }
    bytes = await readFile(absolutePath);
  } catch (error) {
    return fail(describeReadError(error));
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const before = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD'))).split('\n');
    return fail('is not UTF-8 text; save the file as UTF-8', before.length, (before.at(-1)?.length ?? 0) + 1);
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied; check the file mode (chmod u+r)';
    case 'EISDIR':
      return 'is a directory; give an environment file';
    default:
      return `cannot be read: ${(error as Error).message}`;
  }
}
