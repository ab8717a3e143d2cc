import { escapeControls, formatUserError, isUserError } from '../shared/index.js';

function debugging(argv: readonly string[]): boolean {
  const env = process.env.OPENCODEX_DEBUG;
  return argv.includes('--debug') || (env !== undefined && env !== '' && env !== '0' && env !== 'false');
}

/**
 * Runs the CLI and returns the exit code. User errors are one line; stacks only with --debug. A message can
 * carry a server's or a command's text, so its control characters are shown escaped.
 */
export async function run(argv: string[]): Promise<number> {
  try {
    const { buildProgram } = await import('./program.js');
    const program = buildProgram();
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (isUserError(err)) {
      process.stderr.write(`${escapeControls(formatUserError(err))}\n`);
      if (debugging(argv) && err.stack) process.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      // commander has already printed its message (or the help/version text).
      const exitCode = (err as { exitCode?: number }).exitCode ?? 2;
      return exitCode === 0 ? 0 : 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${escapeControls(message)}\n`);
    if (debugging(argv) && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('(run again with --debug or OPENCODEX_DEBUG=1 for details)\n');
    return 1;
  }
}
