/** A normalization rule: one documented reason why two different-looking specs mean the same thing. */
export interface NormalizationRule<S> {
  /** What the rule makes equal, for people (the README and the tests quote it). */
  rule: string;
  apply: (spec: S) => S;
}

export function applyRules<S>(rules: readonly NormalizationRule<S>[], spec: S): S {
  return rules.reduce((current, { apply }) => apply(current), spec);
}
