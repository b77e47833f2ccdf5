import { describe, expect, it } from 'vitest';
import { codeBlock, inlineCode, markdownHtml, markdownText } from '../../src/render/escape/markdown.js';
import { escapeLabelValue } from '../../src/render/escape/prometheus.js';
import { terminalText } from '../../src/render/escape/terminal.js';
import { escapeXml } from '../../src/render/escape/xml.js';

describe('terminalText', () => {
  it('shows escape sequences in the notation JSON uses, so a value reads the same quoted or not', () => {
    expect(terminalText('\u001b]0;pwned\u0007\u001b[2J')).toBe('\\u001b]0;pwned\\u0007\\u001b[2J');
    expect(terminalText('a\u001bb')).toBe(JSON.stringify('a\u001bb').slice(1, -1));
  });

  it('shows C1 controls, DEL and NUL, which JSON leaves alone or a terminal obeys', () => {
    expect(terminalText('\u009b2J \u007f \u0000')).toBe('\\u009b2J \\u007f \\u0000');
  });

  it('keeps a value on one line: line breaks, carriage returns and tabs are shown', () => {
    expect(terminalText('one\ntwo\rthree\tfour')).toBe('one\\ntwo\\rthree\\tfour');
  });

  it('leaves printable text, Unicode included, as it is', () => {
    expect(terminalText('rules[tiering] 2555d → 365d · ü ⚠️')).toBe('rules[tiering] 2555d → 365d · ü ⚠️');
  });
});

describe('markdownText', () => {
  it('shows HTML, comments and Markdown syntax instead of letting GitHub interpret them', () => {
    expect(markdownText('<!-- strata-plan:prod --> | `x` *y* <script>&amp;')).toBe(
      '&lt;!-- strata-plan:prod --&gt; \\| \\`x\\` \\*y\\* &lt;script&gt;&amp;amp;',
    );
  });

  it('keeps a table cell on one line', () => {
    expect(markdownText('kubectl\n| forged | row |')).toBe('kubectl\\\\n\\| forged \\| row \\|');
  });
});

describe('markdownHtml', () => {
  it('escapes HTML and control characters but leaves Markdown syntax, which HTML elements do not render', () => {
    expect(markdownHtml('</summary>*a*\u001b')).toBe('&lt;/summary&gt;*a*\\u001b');
  });
});

describe('codeBlock', () => {
  it('keeps HTML literal, as GitHub shows it in a code block, but breaks a comment opener', () => {
    const block = codeBlock('diff', ['+ <script>&amp;</script>', '+ <!-- strata-plan:prod -->']);
    expect(block).toContain('+ <script>&amp;</script>');
    expect(block).not.toContain('<!--');
    expect(block).toContain('<!\u200b-- strata-plan:prod -->');
  });

  it('fences with more backticks than any run in the lines', () => {
    expect(codeBlock('diff', ['+ ````'])).toBe('`````diff\n+ ````\n`````');
    expect(codeBlock('diff', ['+ a'])).toBe('```diff\n+ a\n```');
  });

  it('shows control characters on each line', () => {
    expect(codeBlock('', ['a\u001b[2J\r'])).toBe('```\na\\u001b[2J\\r\n```');
  });
});

describe('escapeXml', () => {
  it('escapes the five entities', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('keeps line breaks and shows every other control character, which XML 1.0 cannot carry or a terminal obeys', () => {
    expect(escapeXml('one\ntwo\u0001\u001b]0;x\u0007\u009b')).toBe('one\ntwo\\u0001\\u001b]0;x\\u0007\\u009b');
  });

  it('shows the characters XML cannot carry at all rather than dropping them', () => {
    expect(escapeXml('a\ufffeb\ud800c')).toBe('a\\ufffeb\\ud800c');
    expect(escapeXml('😀')).toBe('😀');
  });
});

describe('escapeLabelValue', () => {
  it('escapes backslash, double quote and line feed, the exposition format’s three', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});

describe('inlineCode', () => {
  it('fences a span with more backticks than it holds, so none closes it early', () => {
    expect(inlineCode('strata show plans/prod.plan.json')).toBe('`strata show plans/prod.plan.json`');
    expect(inlineCode('strata show a``b.json')).toBe('```strata show a``b.json```');
    expect(inlineCode('`x')).toBe('`` `x ``');
  });

  it('breaks a comment opener and shows control characters', () => {
    expect(inlineCode('<!-- x -->\u001b')).toBe('`<!\u200b-- x -->\\u001b`');
  });
});
