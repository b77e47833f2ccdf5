import { describe, expect, it } from 'vitest';
import { diffAttribute, formatValue, leafKey } from '../../src/render/format-value.js';

describe('formatValue', () => {
  it('quotes strings and writes quantities as written', () => {
    expect(formatValue('gp3')).toBe('"gp3"');
    expect(formatValue('50Gi')).toBe('50Gi');
    expect(formatValue('1Ti')).toBe('1Ti');
    expect(formatValue('500M')).toBe('500M');
  });

  it('keeps numbers written as strings quoted, so iops "16000" is not mistaken for a number', () => {
    expect(formatValue('16000')).toBe('"16000"');
  });

  it('writes day and second counts with their unit, by the field they sit under', () => {
    expect(formatValue(2555, 'expirationDays')).toBe('2555d');
    expect(formatValue(30, 'keepDays')).toBe('30d');
    expect(formatValue(365, 'days')).toBe('365d');
    expect(formatValue(3600, 'activeDeadlineSeconds')).toBe('3600s');
    expect(formatValue(3, 'successfulJobsHistoryLimit')).toBe('3');
  });

  it('writes short maps and arrays on one line, keys sorted and empty members left out', () => {
    expect(formatValue({ prefix: 'deepwiki/', tags: {}, transitions: [], expirationDays: 30 })).toBe(
      '{ expirationDays: 30d, prefix: "deepwiki/" }',
    );
    expect(formatValue(['ReadWriteOnce'])).toBe('["ReadWriteOnce"]');
    expect(formatValue({ 'team name': 'storage' })).toBe('{ "team name": "storage" }');
  });
});

describe('leafKey', () => {
  it('names the field an attribute path ends in', () => {
    expect(leafKey('rules[tiering].expirationDays')).toBe('expirationDays');
    expect(leafKey('rules[backup-keep-deepwiki]')).toBe('rules');
    expect(leafKey('size')).toBe('size');
  });
});

describe('diffAttribute', () => {
  it('shows a short change on one line', () => {
    expect(diffAttribute({ path: 'size', before: '50Gi', after: '200Gi' })).toEqual({
      form: 'inline',
      before: '50Gi',
      after: '200Gi',
    });
  });

  it('shows a multi-line string as a unified diff', () => {
    const before = 'line one\nline two\nline three\n';
    const after = 'line one\nline 2\nline three\n';
    expect(diffAttribute({ path: 'notes', before, after })).toEqual({
      form: 'lines',
      lines: [
        { op: 'hunk', text: '@@ -1,3 +1,3 @@' },
        { op: 'context', text: 'line one' },
        { op: 'remove', text: 'line two' },
        { op: 'add', text: 'line 2' },
        { op: 'context', text: 'line three' },
      ],
    });
  });

  it('shows a long new structure as added lines of JSON', () => {
    const rule = { id: 'backup-keep-deepwiki', enabled: true, prefix: 'deepwiki/', expirationDays: 30, tags: {} };
    const diff = diffAttribute({ path: 'rules[backup-keep-deepwiki]', after: rule });
    expect(diff.form).toBe('lines');
    expect(diff.form === 'lines' && diff.lines.every((line) => line.op === 'add')).toBe(true);
    expect(diff.form === 'lines' && diff.lines.map((line) => line.text)).toEqual([
      '{',
      '  "enabled": true,',
      '  "expirationDays": 30,',
      '  "id": "backup-keep-deepwiki",',
      '  "prefix": "deepwiki/"',
      '}',
    ]);
  });
});

describe("a claim's growth", () => {
  it('reads as how full the volume gets, the step and the limit, from the free-space threshold pvc-autoresizer keeps', () => {
    expect(formatValue({ threshold: '20%', increase: '20Gi', storageLimit: '500Gi' }, 'growth')).toBe(
      'at 80% full, +20Gi, up to 500Gi',
    );
    expect(formatValue({ threshold: '5Gi', increase: '10%' }, 'growth')).toBe(
      'below 5Gi free, +10%, no storage_limit (not resized)',
    );
  });

  it('quotes a value that is neither a percentage nor a quantity, as anyone may annotate a claim', () => {
    expect(formatValue({ threshold: 'lots\n', increase: '1Gi', storageLimit: '2Gi' }, 'growth')).toBe(
      'below "lots\\n" free, +1Gi, up to 2Gi',
    );
  });
});
