/**
 * Positions in a platform-scale file (50 namespaces × 200 claims, about 1 MiB): a problem deep in it is reported at
 * the line and column where it is written, as in a small file, whatever else the file reports.
 */
import { describe, expect, it } from 'vitest';
import { validateEnvironmentText } from '../../src/config/validate.js';
import { seededEnvironment } from '../e2e/support/seed.js';

const lines = seededEnvironment('large', { namespaces: 50, claimsPerNamespace: 200 }, 'kind-strata').split('\n');
// The last claim of the last namespace, near the end of the file, gets a size that is not a quantity.
const lastClaim = lines.findLastIndex((line) => line.includes('repo-cache-199:'));
lines[lastClaim] = lines[lastClaim]!.replace('size: 20Gi', 'size: 20GB');
const text = lines.join('\n');

describe('a diagnostic deep in a large file', () => {
  const { diagnostics } = validateEnvironmentText(text, {
    file: 'environments/large.yaml',
    fileName: 'large',
    environments: new Map(),
  });

  it('is located where the value is written', () => {
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([
      {
        file: 'environments/large.yaml',
        line: lastClaim + 1,
        column: lines[lastClaim]!.indexOf('20GB') + 1,
        severity: 'error',
        path: '/namespaces/tenant-49/volumes/repo-cache-199/size',
        message: '`20GB` is not a Kubernetes quantity; write `20Gi`',
      },
    ]);
  });

  it('locates every other claim without a backup at its key, the last of them too', () => {
    const warnings = diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');
    // The claim with the error is not read for coverage until its size is fixed.
    expect(warnings).toHaveLength(9_999);
    expect(warnings.at(-1)).toMatchObject({
      line: lastClaim,
      column: lines[lastClaim - 1]!.indexOf('repo-cache-198') + 1,
      path: '/namespaces/tenant-49/volumes/repo-cache-198',
    });
  });
});
