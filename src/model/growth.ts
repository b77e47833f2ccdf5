/**
 * Growth bounds as pvc-autoresizer (github.com/topolvm/pvc-autoresizer) reads them, one home for both directions:
 * the environment file says how full a volume may get (`at: 80%`), while the autoresizer's `threshold` annotation is
 * the free space left (`20%`); it resizes once `threshold > available bytes`. Expansion writes the annotations, the
 * renderers word them back.
 */
import { clip } from './clip.js';
import { isQuantity } from './quantity.js';
import type { ClaimGrowth } from './resources.js';

const PREFIX = 'resize.topolvm.io/';
/** On a StorageClass: the autoresizer looks only at claims of classes annotated `"true"`. */
export const AUTORESIZE_ENABLED_ANNOTATION = `${PREFIX}enabled`;
export const AUTORESIZE_ENABLED_VALUE = 'true';

/** The claim annotations behind each growth field, in the order they are shown. */
export const GROWTH_ANNOTATIONS = {
  threshold: `${PREFIX}threshold`,
  increase: `${PREFIX}increase`,
  storageLimit: `${PREFIX}storage_limit`,
} as const satisfies Record<keyof ClaimGrowth, string>;

/** What the autoresizer assumes for an absent threshold or increase (its DefaultThreshold and DefaultIncrease). */
export const AUTORESIZER_DEFAULT = '10%';

const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/** `at: 80%` full is a `threshold` of 20% free. */
export function thresholdFor(at: string): string {
  return `${100 - percentOf(at)}%`;
}

/** A percentage's number (`80%` → 80), or undefined when the text is not a percentage. */
export function parsePercent(text: string): number | undefined {
  const match = PERCENT.exec(text);
  return match ? Number(match[1]) : undefined;
}

function percentOf(text: string): number {
  const value = parsePercent(text);
  if (value === undefined) throw new TypeError(`not a percentage: ${text}`);
  return value;
}

/**
 * `at 80% full, +20Gi, up to 500Gi`: how the plan and drift show growth. A threshold in bytes reads as free space;
 * a value that is neither a percentage nor a quantity (anyone may annotate a claim) is quoted and clipped.
 */
export function describeGrowth(growth: ClaimGrowth): string {
  const threshold = growth.threshold ?? AUTORESIZER_DEFAULT;
  const free = parsePercent(threshold);
  const when = free === undefined ? `below ${shown(threshold)} free` : `at ${100 - free}% full`;
  const limit =
    growth.storageLimit === undefined ? 'no storage_limit (not resized)' : `up to ${shown(growth.storageLimit)}`;
  return `${when}, +${shown(growth.increase ?? AUTORESIZER_DEFAULT)}, ${limit}`;
}

function shown(text: string): string {
  return parsePercent(text) !== undefined || isQuantity(text) ? text : JSON.stringify(clip(text));
}
