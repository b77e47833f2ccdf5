import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anyFileNeedsS3 } from '../support/s3/needs-s3.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

describe('anyFileNeedsS3 (whether the global setup starts Ceph)', () => {
  it('says yes for a test file that imports test/support/s3', () => {
    expect(anyFileNeedsS3([here('./rgw-round-trip.test.ts')])).toBe(true);
  });

  it('says no for test files that never reach test/support/s3', () => {
    expect(anyFileNeedsS3([here('../model/quantity.test.ts'), here('../model/cron.test.ts')])).toBe(false);
  });

  it('follows local imports: a test that reaches S3 through a helper module needs it too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-needs-s3-'));
    const support = relative(dir, here('../support/s3/index.js'));
    try {
      writeFileSync(join(dir, 'world.ts'), `export { newS3Client } from '${support}';\n`);
      writeFileSync(join(dir, 'uses-world.test.ts'), `import { newS3Client } from './world.js';\nnewS3Client();\n`);
      expect(anyFileNeedsS3([join(dir, 'uses-world.test.ts')])).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
