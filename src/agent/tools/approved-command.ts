/**
 * The path every command takes, the model's (`shell`, `exec_command`) and the user's `!cmd` alike: it shows
 * as a command item from the moment it is asked for, the approval policy decides whether and in which
 * sandbox it runs, and when the sandbox probably blocked it, it runs once more without the sandbox if the
 * approval policy (or the user) agrees.
 */
import { policyForChoice, type ApprovalSession, type CommandRequest, type SandboxPolicy } from '../../sandbox/index.js';
import type { AgentEvent, CommandExecutionItem } from '../events.js';

/** How a command is shown to the user: shell-quoted argv (`/bin/bash -lc 'echo hi'`). */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** A new command item, in progress, for `argv` run in `cwd`. */
export function commandItem(id: string, argv: readonly string[], cwd: string): CommandExecutionItem {
  return { id, type: 'command_execution', command: displayCommand(argv), cwd, aggregated_output: '', exit_code: null, status: 'in_progress' };
}

export interface ApprovedCommand<R> {
  approvals: ApprovalSession;
  /** The session's sandbox, which the approval's answer narrows or lifts. */
  sandbox: SandboxPolicy;
  request: CommandRequest;
  /** Its item, already made: announced here, completed by the caller (or here when it is declined). */
  item: CommandExecutionItem;
  emit: (event: AgentEvent) => void;
  /** Runs the command under `policy`. */
  run: (policy: SandboxPolicy) => Promise<R>;
  /** Whether a run looks blocked by the sandbox (then running it again without one is asked). */
  blockedBySandbox: (result: R) => boolean;
}

/**
 * Announces the item, asks, runs; a declined command completes its item as `declined` and gives the message
 * for the model. `declinedRetry` says why a run the sandbox blocked was not run again without it.
 */
export async function runApproved<R>(c: ApprovedCommand<R>): Promise<{ declined: string } | { result: R; declinedRetry?: string }> {
  c.emit({ type: 'item.started', item: c.item });
  const auth = await c.approvals.authorizeCommand(c.request);
  if (!auth.run) {
    c.emit({ type: 'item.completed', item: { ...c.item, status: 'declined' } });
    return { declined: auth.message };
  }
  const result = await c.run(policyForChoice(c.sandbox, auth.sandbox));
  if (!c.blockedBySandbox(result)) return { result };
  const retry = await c.approvals.authorizeRetryWithoutSandbox(c.request);
  if (!retry.retry) return { result, declinedRetry: retry.message };
  return { result: await c.run(policyForChoice(c.sandbox, 'none')) };
}
