/**
 * Text in one order everywhere strata sorts it (plan steps, map keys, risks): by UTF-16 code unit, as `Array#sort`
 * orders strings by default, so it is the same on every machine whatever its locale.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
