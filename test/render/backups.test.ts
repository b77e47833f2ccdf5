import { describe, expect, it } from 'vitest';
import { renderBackupsJson } from '../../src/render/backups-json.js';
import { renderBackupsMarkdown } from '../../src/render/backups-markdown.js';
import { renderBackupsText } from '../../src/render/backups-text.js';
import { coverageFixture } from '../fixtures/render/coverage.js';
import { expectGolden } from './golden.js';

describe('renderBackupsText', () => {
  it('lists each volume with its backups and how long copies last, its reason for none, or NOT COVERED', () => {
    const text = renderBackupsText(coverageFixture(), { color: false });
    expectGolden('coverage.backups.txt', text);
    expect(text).toContain('codequal-dev/scratch\n  NOT COVERED:');
  });

  it('shows a control character in a reason as text, never as a terminal escape', () => {
    const text = renderBackupsText(coverageFixture(), { color: true });
    expect(text).toContain('git \\u001b[2J|');
    expect(text).not.toContain('\u001b[2J');
  });

  it("puts validation's findings about backups last, with their file:line:column", () => {
    const text = renderBackupsText(coverageFixture(), { color: false });
    expect(text.slice(text.indexOf('Findings'))).toContain(
      'test/fixtures/render/coverage.yaml:24:15 warning /namespaces/codequal/backups/deepwiki-nightly/keep:',
    );
  });
});

describe('renderBackupsMarkdown', () => {
  it('is one table row per backup, or per volume marked none or not covered, with the findings as a list', () => {
    expectGolden('coverage.backups.md', renderBackupsMarkdown(coverageFixture()));
  });

  it('escapes Markdown and HTML in values, so a reason cannot break the table or add markup', () => {
    const markdown = renderBackupsMarkdown(coverageFixture());
    expect(markdown).toContain(
      'none: clones are rebuilt from git \\\\u001b\\[2J\\| \\*not\\* &lt;b&gt;bold&lt;/b&gt; |',
    );
  });
});

describe('renderBackupsJson', () => {
  it('is the versioned report with sorted keys, values exactly as written', () => {
    const json = renderBackupsJson(coverageFixture());
    expectGolden('coverage.backups.json', json);
    const parsed = JSON.parse(json) as { formatVersion: number; volumes: { reason?: string }[] };
    expect(parsed.formatVersion).toBe(1);
    expect(parsed.volumes[1]?.reason).toBe('clones are rebuilt from git \u001b[2J| *not* <b>bold</b>');
  });
});
