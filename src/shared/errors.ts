/**
 * Errors a user can cause. The CLI prints `message` as one line (plus `hint` when present) and exits
 * with `exitCode`, without a stack trace unless debugging is on.
 */
export type ExitCode = 1 | 2;

export class UserError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
  }
}

/** A mistake in how the command line was written (exit code 2). */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: 2, ...(hint === undefined ? {} : { hint }) });
    this.name = 'UsageError';
  }
}

/** A mistake in config.toml, a profile, a -c override or a catalog file (exit code 1). */
export class ConfigError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: 1, ...(hint === undefined ? {} : { hint }) });
    this.name = 'ConfigError';
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** One line for the terminal: the cause, then the fix when we know it. */
export function formatUserError(err: UserError): string {
  return err.hint ? `error: ${err.message} — ${err.hint}` : `error: ${err.message}`;
}
