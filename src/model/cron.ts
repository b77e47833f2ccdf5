/**
 * Cron schedules as Kubernetes accepts them for CronJobs: robfig/cron v3 `ParseStandard` (five fields or an
 * `@descriptor`), plus the apiserver's own rule against `TZ=` inside the schedule. Error texts are the server's,
 * so strata's validation says exactly what kube-apiserver says (test/model/agrees-with-kube-apiserver.test.ts checks).
 */
interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DAY_NAMES },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronFieldSet {
  values: Set<number>;
  /** Written as `*` or `?`: robfig treats day-of-month and day-of-week specially then. */
  star: boolean;
}

export type CronSchedule =
  | {
      kind: 'fields';
      minute: CronFieldSet;
      hour: CronFieldSet;
      dayOfMonth: CronFieldSet;
      month: CronFieldSet;
      dayOfWeek: CronFieldSet;
    }
  | { kind: 'every'; seconds: number };

export type CronParseResult = { ok: true; schedule: CronSchedule } | { ok: false; message: string };

/** Parses like robfig/cron `ParseStandard`; the message on failure is robfig's, word for word. */
export function parseCron(spec: string): CronParseResult {
  try {
    return { ok: true, schedule: parseOrThrow(spec) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/**
 * All the problems kube-apiserver reports for `spec.schedule`, in its order: the parse error, then the TZ rule.
 * Empty when the schedule is valid.
 */
export function kubernetesScheduleErrors(spec: string): string[] {
  const errors: string[] = [];
  const parsed = parseCron(spec);
  if (!parsed.ok) errors.push(parsed.message);
  if (spec.includes('TZ')) errors.push('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  return errors;
}

/** The apiserver's `timeZone` rule: an explicit IANA zone the Go time package can load. */
export function kubernetesTimeZoneError(timeZone: string): string | undefined {
  if (timeZone === '') return 'timeZone must be nil or non-empty string';
  if (timeZone.toLowerCase() === 'local')
    return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  if (!isIanaTimeZone(timeZone)) return `unknown time zone ${timeZone}`;
  return undefined;
}

/**
 * Go loads a zone from a file named exactly so, while Intl ignores case: `utc` or `europe/berlin` pass Intl and fail
 * on the server. IANA names start each part with a capital, and one that Intl resolves to a different spelling of
 * itself is a wrong-cased name, not an alias.
 */
function isIanaTimeZone(timeZone: string): boolean {
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(timeZone)) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    return resolved === timeZone || resolved.toLowerCase() !== timeZone.toLowerCase();
  } catch {
    return false;
  }
}

function parseOrThrow(spec: string): CronSchedule {
  if (spec.length === 0) throw new Error('empty spec string');
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const zone = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    if (!isIanaTimeZone(zone)) throw new Error(`provided bad location ${zone}: unknown time zone ${zone}`);
    spec = spec.slice(space + 1).trim();
  }
  if (spec.startsWith('@')) return parseDescriptor(spec);
  const fields = spec.split(/\s+/).filter((field) => field !== '');
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((field, index) => parseField(field, FIELDS[index]!));
  return {
    kind: 'fields',
    minute: minute!,
    hour: hour!,
    dayOfMonth: dayOfMonth!,
    month: month!,
    dayOfWeek: dayOfWeek!,
  };
}

function parseDescriptor(spec: string): CronSchedule {
  const expansion = DESCRIPTORS[spec];
  if (expansion) return parseOrThrow(expansion);
  if (spec.startsWith('@every ')) {
    const text = spec.slice('@every '.length);
    const seconds = parseGoDuration(text);
    if (seconds === undefined) throw new Error(`failed to parse duration ${spec}: time: invalid duration "${text}"`);
    return { kind: 'every', seconds: Math.max(1, Math.floor(seconds)) };
  }
  throw new Error(`unrecognized descriptor: ${spec}`);
}

function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return parts.reduce((sum, part) => sum + Number(part[1]) * units[part[2]!]!, 0);
}

function parseField(field: string, bounds: Bounds): CronFieldSet {
  const values = new Set<number>();
  let star = false;
  for (const expression of field.split(',').filter((part) => part !== '')) {
    const range = parseRange(expression, bounds);
    range.values.forEach((value) => values.add(value));
    star ||= range.star;
  }
  return { values, star };
}

function parseRange(expression: string, bounds: Bounds): CronFieldSet {
  const rangeAndStep = expression.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleValue = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, bounds.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, bounds.names);
    else throw new Error(`too many hyphens: ${expression}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    if (singleValue) end = bounds.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new Error(`too many slashes: ${expression}`);
  }
  if (start < bounds.min) throw new Error(`beginning of range (${start}) below minimum (${bounds.min}): ${expression}`);
  if (end > bounds.max) throw new Error(`end of range (${end}) above maximum (${bounds.max}): ${expression}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expression}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expression}`);
  const values = new Set<number>();
  for (let value = start; value <= end; value += step) values.add(value);
  return { values, star };
}

function parseIntOrName(text: string, names?: Record<string, number>): number {
  const named = names?.[text.toLowerCase()];
  return named ?? mustParseInt(text);
}

/** Go's strconv.Atoi, with its error text. */
function mustParseInt(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) {
    throw new Error(`failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  const value = Number(text);
  if (value < 0) throw new Error(`negative number (${value}) not allowed: ${text}`);
  return value;
}

/**
 * The longest wait between two runs, in seconds, over two calendar years in UTC: a backup kept for less than this
 * leaves moments with no backup at all.
 */
export function longestIntervalSeconds(schedule: CronSchedule): number {
  if (schedule.kind === 'every') return schedule.seconds;
  const start = Date.UTC(2025, 0, 1);
  const days = 731;
  const minutes = [...schedule.minute.values].sort((a, b) => a - b);
  const hours = [...schedule.hour.values].sort((a, b) => a - b);
  let previous: number | undefined;
  let first: number | undefined;
  let longest = 0;
  for (let day = 0; day < days; day += 1) {
    const date = new Date(start + day * 86_400_000);
    if (!matchesDay(schedule, date)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const time = date.getTime() / 1000 + hour * 3600 + minute * 60;
        if (previous !== undefined) longest = Math.max(longest, time - previous);
        first ??= time;
        previous = time;
      }
    }
  }
  if (first === undefined || previous === undefined) return Number.POSITIVE_INFINITY;
  return first === previous ? days * 86_400 : longest;
}

function matchesDay(schedule: Extract<CronSchedule, { kind: 'fields' }>, date: Date): boolean {
  if (!schedule.month.values.has(date.getUTCMonth() + 1)) return false;
  const dayOfMonth = schedule.dayOfMonth.values.has(date.getUTCDate());
  const dayOfWeek = schedule.dayOfWeek.values.has(date.getUTCDay());
  return schedule.dayOfMonth.star || schedule.dayOfWeek.star ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
}
