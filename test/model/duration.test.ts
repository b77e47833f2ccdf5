import { describe, expect, it } from 'vitest';
import { parseDays, parseDuration } from '../../src/model/duration.js';

describe('durations', () => {
  it('reads days, weeks and 365-day years', () => {
    expect(parseDays('30d')).toEqual({ ok: true, days: 30 });
    expect(parseDays('2w')).toEqual({ ok: true, days: 14 });
    expect(parseDays('7y')).toEqual({ ok: true, days: 2555 });
  });

  it('reads hours for deadlines', () => {
    expect(parseDuration('1h')).toEqual({ ok: true, seconds: 3600 });
  });

  it('refuses a part of a day where S3 needs whole days', () => {
    expect(parseDays('36h')).toEqual({ ok: false, message: expect.stringContaining('whole number of days') as string });
  });

  it.each([
    ['30 days', '30d'],
    ['1 month', '30d'],
    ['2 weeks', '2w'],
  ])('suggests %s → %s', (written, suggestion) => {
    expect(parseDuration(written)).toEqual({
      ok: false,
      message: expect.stringContaining(`write ${suggestion}`) as string,
    });
  });
});
