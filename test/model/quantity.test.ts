import { describe, expect, it } from 'vitest';
import {
  canonicalQuantity,
  compareQuantities,
  formatBytes,
  parseQuantity,
  quantitiesEqual,
  quantityToNumber,
  suggestQuantity,
} from '../../src/model/quantity.js';

describe('quantities', () => {
  it('compares by value, not by text', () => {
    expect(quantitiesEqual('1Ti', '1024Gi')).toBe(true);
    expect(quantitiesEqual('1G', '1000M')).toBe(true);
    expect(compareQuantities('50Gi', '200Gi')).toBe(-1);
    expect(compareQuantities('1Gi', '1G')).toBe(1);
  });

  it.each([
    ['1024Gi', '1Ti'],
    ['1024Mi', '1Gi'],
    ['307200Ki', '300Mi'],
    ['1000M', '1G'],
    ['0.5Gi', '512Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5', '500m'],
    ['1000Mi', '1000Mi'],
    ['1.5Ki', '1536'],
    ['20Gi', '20Gi'],
    ['0', '0'],
    ['1e3', '1e3'],
  ])('canonicalises %s as kube-apiserver writes it back: %s', (written, canonical) => {
    expect(canonicalQuantity(written)).toBe(canonical);
  });

  it('gives whole bytes', () => {
    expect(quantityToNumber('20Gi')).toBe(20 * 1024 ** 3);
    expect(quantityToNumber('500M')).toBe(500_000_000);
  });

  it('formats bytes with the largest exact binary unit', () => {
    expect(formatBytes(150 * 1024 ** 3)).toBe('150Gi');
  });

  it.each([
    ['1Tb', '1Ti'],
    ['1TB', '1Ti'],
    ['500MB', '500Mi'],
    ['20gi', '20Gi'],
    ['20 Gi', '20Gi'],
    ['20GiB', '20Gi'],
    ['10kb', '10Ki'],
  ])('rejects %s and suggests %s', (written, suggestion) => {
    const result = parseQuantity(written);
    expect(result.ok).toBe(false);
    expect(suggestQuantity(written)).toBe(suggestion);
    if (!result.ok) expect(result.message).toContain(`write ${suggestion}`);
  });

  it('explains the syntax when it cannot guess', () => {
    const result = parseQuantity('lots');
    expect(result).toEqual({ ok: false, message: expect.stringContaining('e.g. 20Gi') as string });
  });
});
