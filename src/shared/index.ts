export { UserError, UsageError, ConfigError, isUserError, formatUserError, type ExitCode } from './errors.js';
export { VERSION } from './version.js';
export { uuidv7 } from './ids.js';
export { describeIssue, innermostIssue, issuePath } from './zod-issues.js';
export { shellWord } from './shell-word.js';
export { escapeControls, escapeLine } from './terminal-text.js';
export { errnoCode, fsReason, fsHint, fileInTheWay } from './fs-errors.js';
export { MAX_PROMPT_CHARS, promptTooLong, checkPromptLength } from './prompt-limit.js';
export { makeDirs } from './dirs.js';
