import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { run } from '../../src/cli/program.js';

const cwd = fileURLToPath(new URL('../..', import.meta.url));

async function strata(args: string[], color = false): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const context: CommandContext = {
    output: { out: (text) => out.push(text), err: (text) => err.push(text), color, isTTY: false },
    cwd,
    env: {},
    exitCode: ExitCode.Success,
  };
  const code = await run(args, context);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('strata validate', () => {
  it('checks every file in environments/ by default and exits 0 when they are clean', async () => {
    expect(await strata(['validate'])).toEqual({ code: 0, out: '3 environment files valid', err: '' });
  });

  it('prints each problem with its location, a source excerpt with a caret, and a summary, and exits 1', async () => {
    const { code, out, err } = await strata(['validate', 'test/fixtures/config/shrinking-max-size.yaml']);
    expect(code).toBe(1);
    expect(err).toBe('');
    expect(out).toBe(
      [
        'test/fixtures/config/shrinking-max-size.yaml:13:69 error /namespaces/codequal/volumes/deepwiki-data/maxSize: maxSize 10Gi is below size 20Gi; a volume is never shrunk, so raise maxSize to at least 20Gi or lower size',
        '  13 |       deepwiki-data: { storageClass: fast-ssd, size: 20Gi, maxSize: 10Gi, backup: { none: scratch data } }',
        '     |                                                                     ^',
        '1 error in 1 file',
      ].join('\n'),
    );
  });

  it('exits 0 with warnings only and counts them', async () => {
    const { code, out } = await strata(['validate', 'test/fixtures/config/compliance-lock.yaml']);
    expect(code).toBe(0);
    expect(out.split('\n').at(-1)).toBe('1 environment file valid, 1 warning in 1 file');
  });

  it('counts errors and warnings across files', async () => {
    const { code, out } = await strata([
      'validate',
      'test/fixtures/config/quota.yaml',
      'test/fixtures/config/wrong-quantity.yaml',
    ]);
    expect(code).toBe(1);
    expect(out.split('\n').at(-1)).toBe('4 errors, 1 warning in 2 files');
  });

  it('gives the same as data with --format json', async () => {
    const { code, out } = await strata(['validate', '--format', 'json', 'test/fixtures/config/wrong-quantity.yaml']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({
      valid: false,
      diagnostics: [
        {
          file: 'test/fixtures/config/wrong-quantity.yaml',
          line: 13,
          column: 54,
          severity: 'error',
          path: '/namespaces/codequal/volumes/deepwiki-data/size',
          message: '`1Tb` is not a Kubernetes quantity; write `1Ti`',
        },
      ],
    });
  });

  it('says a bare name is not a file, and names the environment file it most likely means', async () => {
    expect(await strata(['validate', 'prod'])).toEqual({
      code: 1,
      out: ['prod:1:1 error /: does not exist; did you mean environments/prod.yaml?', '1 error in 1 file'].join('\n'),
      err: '',
    });
  });

  it('colours severities only when the output allows colour', async () => {
    const plain = await strata(['validate', 'test/fixtures/config/wrong-quantity.yaml']);
    const coloured = await strata(['validate', 'test/fixtures/config/wrong-quantity.yaml'], true);
    expect(plain.out).not.toContain('\u001b[');
    expect(coloured.out).toContain('\u001b[31merror\u001b[39m');
  });

  it.each([
    'test/fixtures/config/alias-bomb.yaml',
    'test/fixtures/config/not-utf8.yaml',
    'test/fixtures/config/empty.yaml',
    'test/fixtures/config/top-level-scalar.yaml',
    'test/fixtures/config/yaml-syntax-error.yaml',
    'test/fixtures/config/tabs.yaml',
    'test/fixtures/config/duplicate-key.yaml',
    'environments/missing.yaml',
  ])('reports %s as located one-liners without a stack trace, and exits 1', async (file) => {
    const { code, out, err } = await strata(['validate', file]);
    expect(code).toBe(1);
    expect(err).toBe('');
    expect(out).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+ error `));
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown output format', async () => {
    const { code, err } = await strata(['validate', '--format', 'xml']);
    expect(code).toBe(1);
    expect(err).toContain("argument 'xml' is invalid");
  });

  it('shows an example in its help', async () => {
    const { code, out } = await strata(['validate', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('strata validate environments/prod.yaml');
  });
});
