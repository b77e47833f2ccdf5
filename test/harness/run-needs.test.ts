import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anyFileImports } from '../support/run-needs.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const S3_SUPPORT = here('../support/s3/');
const KUBE_SUPPORT = here('../support/kube/');

describe('anyFileImports (whether the global setup starts a server)', () => {
  it('says yes for a test file that imports the server support folder', () => {
    expect(anyFileImports([here('../s3/rgw-round-trip.test.ts')], S3_SUPPORT)).toBe(true);
  });

  it('says no for test files that never reach it', () => {
    expect(anyFileImports([here('../model/quantity.test.ts'), here('../model/cron.test.ts')], S3_SUPPORT)).toBe(false);
    expect(anyFileImports([here('../s3/rgw-round-trip.test.ts')], KUBE_SUPPORT)).toBe(false);
  });

  it('follows local imports: a test that reaches the server through a helper module needs it too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-run-needs-'));
    const support = relative(dir, here('../support/kube/index.js'));
    try {
      writeFileSync(join(dir, 'world.ts'), `export { openTestCluster } from '${support}';\n`);
      writeFileSync(
        join(dir, 'uses-world.test.ts'),
        `import { openTestCluster } from './world.js';\nvoid openTestCluster;\n`,
      );
      expect(anyFileImports([join(dir, 'uses-world.test.ts')], KUBE_SUPPORT)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
