import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { EXCERPT_WIDTH, MAX_LISTED_PER_FILE, renderDiagnostics } from '../../src/render/diagnostics.js';

const at = (line: number, column: number, message = 'something is wrong'): Diagnostic => ({
  file: 'environments/dev.yaml',
  line,
  column,
  severity: 'error',
  path: '/a',
  message,
});

const render = (diagnostics: Diagnostic[], text: string) =>
  renderDiagnostics(diagnostics, { color: false, source: () => text });

describe('rendering diagnostics', () => {
  it('shows a short line whole, with the caret under the column', () => {
    expect(render([at(1, 4)], 'a: 1Tb\n')).toEqual([
      'environments/dev.yaml:1:4 error /a: something is wrong',
      '  1 | a: 1Tb',
      '    |    ^',
    ]);
  });

  it(`shows ${EXCERPT_WIDTH} columns of a 40 KB line around the caret, marking both cuts`, () => {
    const line = `${'a'.repeat(20_000)}X${'b'.repeat(20_000)}`;
    const [, excerpt, caret] = render([at(1, 20_001)], line);
    expect(excerpt).toBe(`  1 | …${'a'.repeat(EXCERPT_WIDTH / 2)}X${'b'.repeat(EXCERPT_WIDTH / 2 - 1)}…`);
    expect(caret?.indexOf('^')).toBe(excerpt?.indexOf('X'));
  });

  it('keeps the window inside the line when the caret is near its start', () => {
    const [, excerpt, caret] = render([at(1, 3)], `${'c'.repeat(2)}X${'d'.repeat(40_000)}`);
    expect(excerpt).toBe(`  1 | ccX${'d'.repeat(EXCERPT_WIDTH - 3)}…`);
    expect(caret?.indexOf('^')).toBe(excerpt?.indexOf('X'));
  });

  it('shows control characters in a source line escaped, with the caret still under its column', () => {
    const [, excerpt, caret] = render([at(1, 9)], 'a: "\u001b[2JX"');
    expect(excerpt).toBe('  1 | a: "\\u001b[2JX"');
    expect(caret?.indexOf('^')).toBe(excerpt?.indexOf('X'));
  });

  it(`lists ${MAX_LISTED_PER_FILE} problems of a file and counts the rest`, () => {
    const diagnostics = Array.from({ length: MAX_LISTED_PER_FILE + 5 }, (_, index) => at(index + 1, 1));
    const lines = renderDiagnostics(diagnostics, { color: false });
    expect(lines).toHaveLength(MAX_LISTED_PER_FILE + 1);
    expect(lines.at(-1)).toBe(
      'environments/dev.yaml: 5 more problems not listed; fix these first, or see every one with --format json',
    );
  });
});
