/** Configuration: environment files to a validated DesiredState, or located diagnostics. */
export { loadEnvironment, validateEnvironments, validateEnvironmentSource, type ConfigOptions } from './load.js';
export { discoverEnvironments } from './discover.js';
export { expandEnvironment, type ExpandOptions } from './expand.js';
export { ENVIRONMENT_SPECIFIC_KEYWORD, loadSchema } from './schema.js';
export type { Position, SourcePositions } from './source.js';
