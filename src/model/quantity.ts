/**
 * Kubernetes resource quantities (`20Gi`, `1Ti`, `500M`, `0.5`), compared by value and canonicalised the way
 * kube-apiserver re-serialises them (apimachinery `resource.Quantity`): the largest exact suffix of the same family.
 */
export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9, exact. */
  nanos: bigint;
  format: QuantityFormat;
}

const NANO = 10n ** 9n;
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exponent]) => [exponent, suffix]));
const QUANTITY_PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export type QuantityParseResult = { ok: true; quantity: Quantity } | { ok: false; message: string };

/**
 * Kubernetes caps every quantity at 2^63-1, so a larger exponent says nothing more; this bound keeps the exact
 * arithmetic below cheap (`1e99999999` would take seconds, and a few more digits exhaust memory).
 */
const MAX_EXPONENT = 100;

/**
 * Parsed quantities by text. A plan compares the same few sizes (`20Gi`, `100Gi`) thousands of times, and the exact
 * arithmetic costs microseconds each; results are immutable, so they are shared. Bounded, as the texts come from files
 * and clusters.
 */
const PARSED = new Map<string, QuantityParseResult>();
const MAX_PARSED = 4096;

export function parseQuantity(text: string): QuantityParseResult {
  const known = PARSED.get(text);
  if (known) return known;
  const result = parseQuantityText(text);
  if (PARSED.size >= MAX_PARSED) PARSED.clear();
  PARSED.set(text, result);
  return result;
}

function parseQuantityText(text: string): QuantityParseResult {
  const match = QUANTITY_PATTERN.exec(text);
  if (!match) return { ok: false, message: describeBadQuantity(text) };
  const [, sign = '', number = '', suffix = ''] = match;
  if (/^[eE]/.test(suffix) && Math.abs(Number(suffix.slice(1))) > MAX_EXPONENT) {
    return {
      ok: false,
      message: `"${text}" has an exponent beyond ${MAX_EXPONENT}; Kubernetes caps quantities at 2^63-1, so write the value with a suffix such as Ti`,
    };
  }
  const [whole = '', fraction = ''] = number.split('.');
  const digits = BigInt((whole || '0') + fraction);
  const fractionDigits = fraction.length;
  let format: QuantityFormat;
  let nanos: bigint;
  if (BINARY_SUFFIXES.includes(suffix as (typeof BINARY_SUFFIXES)[number]) && suffix !== '') {
    format = 'BinarySI';
    const multiplier = 1024n ** BigInt(BINARY_SUFFIXES.indexOf(suffix as (typeof BINARY_SUFFIXES)[number]));
    nanos = scale(digits * multiplier * NANO, -fractionDigits);
  } else if (/^[eE]/.test(suffix)) {
    format = 'DecimalExponent';
    nanos = scale(digits * NANO, Number(suffix.slice(1)) - fractionDigits);
  } else {
    format = 'DecimalSI';
    nanos = scale(digits * NANO, (DECIMAL_SUFFIXES[suffix] ?? 0) - fractionDigits);
  }
  return { ok: true, quantity: { nanos: sign === '-' ? -nanos : nanos, format } };
}

/** Multiplies by 10^exponent, rounding a fraction of a nano-unit up, as apimachinery rounds up. */
function scale(value: bigint, exponent: number): bigint {
  if (exponent >= 0) return value * 10n ** BigInt(exponent);
  const divisor = 10n ** BigInt(-exponent);
  const quotient = value / divisor;
  return value % divisor === 0n ? quotient : quotient + 1n;
}

function describeBadQuantity(text: string): string {
  const suggestion = suggestQuantity(text);
  const base = `"${text}" is not a Kubernetes quantity`;
  return suggestion
    ? `${base}; write ${suggestion}`
    : `${base}; write a number with an optional suffix: Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000), e.g. 20Gi`;
}

/** The quantity a person most likely meant: storage is written in binary units (`1Tb` → `1Ti`). */
export function suggestQuantity(text: string): string | undefined {
  const match = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([kKmMgGtTpPeE])(?:i?[bB]|i)?\s*$/.exec(text);
  if (!match) return undefined;
  const [, number = '', unit = ''] = match;
  const binary = `${number}${unit.toUpperCase()}i`.replace(/^(.*)KI$/, '$1Ki');
  const candidate = binary.replace(/([KMGTPE])I$/, '$1i');
  return candidate === text ? undefined : candidate;
}

export function mustParseQuantity(text: string): Quantity {
  const result = parseQuantity(text);
  if (!result.ok) throw new TypeError(result.message);
  return result.quantity;
}

export function isQuantity(text: string): boolean {
  return parseQuantity(text).ok;
}

export function compareQuantities(a: string, b: string): -1 | 0 | 1 {
  const x = mustParseQuantity(a).nanos;
  const y = mustParseQuantity(b).nanos;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function quantitiesEqual(a: string, b: string): boolean {
  return compareQuantities(a, b) === 0;
}

/** The value in whole units (bytes for storage), rounded up. */
export function quantityToNumber(text: string): number {
  const { nanos } = mustParseQuantity(text);
  return Number(nanos / NANO + (nanos % NANO > 0n ? 1n : 0n));
}

/** The form kube-apiserver writes back: `1024Gi` → `1Ti`, `0.5Gi` → `512Mi`, `1000M` → `1G`, `0.5` → `500m`. */
export function canonicalQuantity(text: string): string {
  return formatQuantity(mustParseQuantity(text));
}

export function formatQuantity({ nanos, format }: Quantity): string {
  if (nanos === 0n) return '0';
  const sign = nanos < 0n ? '-' : '';
  const magnitude = nanos < 0n ? -nanos : nanos;
  const wholeUnits = magnitude % NANO === 0n ? magnitude / NANO : undefined;
  if (format === 'BinarySI' && wholeUnits !== undefined && wholeUnits >= 1024n) {
    let value = wholeUnits;
    let power = 0;
    while (power < BINARY_SUFFIXES.length - 1 && value % 1024n === 0n) {
      value /= 1024n;
      power += 1;
    }
    return `${sign}${value}${BINARY_SUFFIXES[power]}`;
  }
  let value = magnitude;
  let exponent = -9;
  while (exponent < 18 && value % 1000n === 0n) {
    value /= 1000n;
    exponent += 3;
  }
  const suffix =
    format === 'DecimalExponent' ? (exponent === 0 ? '' : `e${exponent}`) : DECIMAL_BY_EXPONENT.get(exponent);
  return `${sign}${value}${suffix ?? ''}`;
}

/** Bytes as the largest exact binary unit, for messages: 161061273600 → `150Gi`. */
export function formatBytes(bytes: number): string {
  return formatQuantity({ nanos: BigInt(Math.round(bytes)) * NANO, format: 'BinarySI' });
}

/**
 * Bytes as one canonical quantity whichever way they were written: the largest exact binary unit (`1073741824` →
 * `1Gi`), else the largest exact decimal one (`500000000` → `500M`). S3 reads size filters back as bare bytes.
 */
export function bytesQuantity(bytes: number): string {
  const binary = formatBytes(bytes);
  return /\d$/.test(binary) ? formatQuantity({ nanos: BigInt(Math.round(bytes)) * NANO, format: 'DecimalSI' }) : binary;
}
