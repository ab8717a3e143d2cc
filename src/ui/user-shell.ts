/**
 * `!cmd` typed at the prompt: runs `cmd` in the session's directory as the model's commands run (see
 * agent/user-shell.ts), shown as they are, and recorded in the conversation for the model. It runs as a
 * task of its own: Esc interrupts it, and prompts typed meanwhile are queued. A lone `!` is a prompt.
 */
import { runUserShellCommand } from '../agent/index.js';
import type { UiController } from './controller.js';

/** The command of a `!cmd` prompt, or null for a prompt for the model. */
export function shellCommandOf(text: string): string | null {
  const t = text.trim();
  if (!t.startsWith('!')) return null;
  const cmd = t.slice(1).trim();
  return cmd === '' ? null : cmd;
}

export function runUserShell(c: UiController, command: string): Promise<void> {
  c.markUsed();
  return c.runTask(async (control) => {
    const outcome = await runUserShellCommand({ command, agent: c.agent, cwd: c.settings.cwd, config: c.config, env: c.env }, control);
    if (!outcome.ran && !control.signal.aborted) c.notice(`not run: ${outcome.message}`);
  });
}
