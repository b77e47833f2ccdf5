/** Promotion between environment files: policy moves from one environment to the next, identity stays. */
export {
  preparePromotion,
  recordForcedPromotion,
  type Promotion,
  type PromotionFile,
  type PromotionRequest,
  type Refusal,
} from './promote.js';
export { mergeYamlText, type YamlMerge } from './yaml-merge.js';
export { catalogueFields, readSchemaShape, type FieldCatalogue, type SchemaShape } from './schema-shape.js';
export { checkInvariants, type InvariantViolation } from './invariants.js';
export { checkSourceApplied, type AppliedCheck } from './source-applied.js';
export type { SettingChange } from './merge.js';
