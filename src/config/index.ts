/** Configuration: environment files to a validated DesiredState, or located diagnostics. */
export {
  loadEnvironment,
  validateEnvironment,
  validateEnvironments,
  validateEnvironmentSource,
  type ConfigOptions,
} from './load.js';
export {
  backupsOfVolume,
  copiesFate,
  destinationBucketName,
  type CopiesFate,
  type Expiration,
} from './backup-coverage.js';
export { discoverEnvironments } from './discover.js';
export { DEFAULT_TIME_ZONE, expandEnvironment, type ExpandOptions } from './expand.js';
export { ENVIRONMENT_SPECIFIC_KEYWORD, loadSchema } from './schema.js';
export { pointerSegments } from './pointer.js';
export { MAX_FILE_BYTES } from './read.js';
export type { Position, SourcePositions } from './source.js';
