export { UserError, isUserError } from './user-error.js';
export { ConfigError, isConfigError } from './config-error.js';
export { ProviderError, isProviderError } from './provider-error.js';
