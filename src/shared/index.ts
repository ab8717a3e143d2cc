export { UserError, UsageError, ConfigError, isUserError, formatUserError, type ExitCode } from './errors.js';
export { VERSION } from './version.js';
