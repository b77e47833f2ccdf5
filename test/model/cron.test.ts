import { describe, expect, it } from 'vitest';
import {
  kubernetesScheduleErrors,
  kubernetesTimeZoneError,
  longestIntervalSeconds,
  parseCron,
} from '../../src/model/cron.js';

function interval(spec: string): number {
  const parsed = parseCron(spec);
  if (!parsed.ok) throw new Error(parsed.message);
  return longestIntervalSeconds(parsed.schedule);
}

describe('cron schedules as Kubernetes reads them', () => {
  it.each([
    '0 2 * * *',
    '0 2 * * 0',
    '*/5 * * * *',
    '@daily',
    '@weekly',
    '0 0 1 jan,jul *',
    '0 3 * * mon-fri',
    '@every 1h30m',
  ])('accepts %s', (spec) => expect(parseCron(spec).ok).toBe(true));

  it.each([
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['foo', 'expected exactly 5 fields, found 1: [foo]'],
    ['0 2 * * 7', 'end of range (7) above maximum (6): 7'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ])("rejects %s with robfig/cron's words", (spec, message) => {
    expect(parseCron(spec)).toEqual({ ok: false, message });
  });

  it('forbids TZ inside the schedule as the apiserver does', () => {
    expect(kubernetesScheduleErrors('TZ=Etc/UTC 0 2 * * *')).toEqual([
      'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
  });

  it('accepts IANA zones and names an unknown one as Go does', () => {
    expect(kubernetesTimeZoneError('Etc/UTC')).toBeUndefined();
    expect(kubernetesTimeZoneError('Europe/Berlin')).toBeUndefined();
    expect(kubernetesTimeZoneError('Mars/Olympus')).toBe('unknown time zone Mars/Olympus');
    expect(kubernetesTimeZoneError('utc')).toBe('unknown time zone utc');
    expect(kubernetesTimeZoneError('EUROPE/BERLIN')).toBe('unknown time zone EUROPE/BERLIN');
    expect(kubernetesTimeZoneError('Local')).toContain('explicit time zone');
  });

  it('measures the longest wait between runs', () => {
    expect(interval('0 2 * * *')).toBe(86_400);
    expect(interval('0 2 * * 0')).toBe(7 * 86_400);
    expect(interval('*/5 * * * *')).toBe(300);
    expect(interval('0 0 1 * *')).toBe(31 * 86_400);
  });
});
