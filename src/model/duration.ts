/**
 * Durations in environment files: `30d`, `1h`, `7y`. Lifecycle rules and retention are whole days;
 * a year is 365 days, the way retention policies (7 years = 2555 days) are written.
 */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };
const DURATION_PATTERN = /^(\d+)([smhdwy])$/;

export type DurationParseResult = { ok: true; seconds: number } | { ok: false; message: string };

export function parseDuration(text: string): DurationParseResult {
  const match = DURATION_PATTERN.exec(text);
  if (!match) {
    const hint = suggestDuration(text);
    return {
      ok: false,
      message: `"${text}" is not a duration; write ${hint ?? 'a whole number and a unit: s, m, h, d, w or y (365d), e.g. 30d'}`,
    };
  }
  const [, amount = '0', unit = 's'] = match;
  return { ok: true, seconds: Number(amount) * (UNIT_SECONDS[unit] ?? 1) };
}

export type DaysParseResult = { ok: true; days: number } | { ok: false; message: string };

/** Whole days, as S3 lifecycle rules need them. */
export function parseDays(text: string): DaysParseResult {
  const parsed = parseDuration(text);
  if (!parsed.ok) return parsed;
  if (parsed.seconds % UNIT_SECONDS.d! !== 0) {
    return { ok: false, message: `"${text}" is not a whole number of days; S3 lifecycle rules count in days, e.g. 1d` };
  }
  return { ok: true, days: parsed.seconds / UNIT_SECONDS.d! };
}

export function mustParseDays(text: string): number {
  const parsed = parseDays(text);
  if (!parsed.ok) throw new TypeError(parsed.message);
  return parsed.days;
}

export function mustParseSeconds(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new TypeError(parsed.message);
  return parsed.seconds;
}

function suggestDuration(text: string): string | undefined {
  const match =
    /^\s*(\d+)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|years?|yrs?|months?|[smhdwy])\s*$/i.exec(text);
  if (!match) return undefined;
  const [, amount = '0', unit = ''] = match;
  const lower = unit.toLowerCase();
  if (lower.startsWith('mo')) return `${Number(amount) * 30}d`;
  const letter = lower.startsWith('mi') || lower === 'm' ? 'm' : lower[0];
  return `${amount}${letter}`;
}

/** Prometheus' duration units, largest first, in milliseconds (its `y` is 365 days too). */
const PROMETHEUS_UNITS: [string, number][] = [
  ['y', 31_536_000_000],
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];
const PROMETHEUS_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * A Prometheus duration (`900s`, `1h30m`, `15m`) in one form: its largest whole unit (`15m`, `90m`), `0s` for none.
 * Text that is not one is returned as it is, so it still compares (and shows) as written.
 */
export function canonicalPrometheusDuration(text: string): string {
  const match = PROMETHEUS_DURATION.exec(text);
  if (!match || text === '') return text;
  const total = PROMETHEUS_UNITS.reduce((sum, [, ms], index) => sum + Number(match[index + 1] ?? 0) * ms, 0);
  if (total === 0) return '0s';
  const [unit, ms] = PROMETHEUS_UNITS.find(([, size]) => total % size === 0) ?? ['ms', 1];
  return `${total / ms}${unit}`;
}
