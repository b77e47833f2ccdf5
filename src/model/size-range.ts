/**
 * The object sizes a lifecycle rule's size filter lets in (`largerThan`, `smallerThan`, both exclusive), in words and
 * compared: the planner's risks and promotion's invariants both ask whether an expiring rule would take in more.
 */
import { quantityToNumber } from './quantity.js';

export interface SizeBounds {
  largerThan?: string | undefined;
  smallerThan?: string | undefined;
}

/** `larger than 1Gi`, `smaller than 1Gi`, `larger than 1Mi and smaller than 1Gi`, `of any size`. */
export function sizeRange({ largerThan, smallerThan }: SizeBounds): string {
  const bounds = [
    ...(largerThan === undefined ? [] : [`larger than ${largerThan}`]),
    ...(smallerThan === undefined ? [] : [`smaller than ${smallerThan}`]),
  ];
  return bounds.length === 0 ? 'of any size' : bounds.join(' and ');
}

/**
 * The bound that lets objects in under `after` that `before` kept out: a lower or removed largerThan, a higher or
 * removed smallerThan; `undefined` when `after` takes in no size `before` did not.
 */
export function widenedBound(before: SizeBounds, after: SizeBounds): 'largerThan' | 'smallerThan' | undefined {
  const bytes = (text: string | undefined, absent: number) => (text === undefined ? absent : quantityToNumber(text));
  if (bytes(after.smallerThan, Infinity) > bytes(before.smallerThan, Infinity)) return 'smallerThan';
  if (bytes(after.largerThan, 0) < bytes(before.largerThan, 0)) return 'largerThan';
  return undefined;
}
