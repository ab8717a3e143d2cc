/**
 * `!cmd` in the interactive session: a shell command the user runs themselves, through the same path as
 * the model's commands (the approval policy, the session's sandbox, the retry without it after a
 * sandbox denial), shown as a command item, and recorded in the conversation as Codex records one: a
 * user message `<user_shell_command>` with the command, its exit code, duration and output, which the
 * model sees from its next request on. Unlike Codex (which runs `!` commands outside the sandbox), the
 * sandbox applies: a command the user types is no more trusted than the workspace it runs in.
 */
import type { Config } from '../config/index.js';
import { applyEnvPolicy, runCommand, shellScriptArgv, type ExecResult, type SandboxPolicy } from '../sandbox/index.js';
import type { AgentSession, RunControl } from './session.js';
import type { Agent } from './setup.js';
import { defaultShell } from './tools/command-args.js';
import { keptOutput, truncateForModel } from './tools/output.js';
import { commandItem, runApproved } from './tools/approved-command.js';

/** Codex's limit for a user shell command: one hour. */
export const USER_SHELL_TIMEOUT_MS = 60 * 60 * 1000;

export const USER_SHELL_OPEN = '<user_shell_command>';

export interface UserShellRequest {
  /** The script typed after `!`. */
  command: string;
  agent: Pick<Agent, 'session' | 'sandbox' | 'approvals'>;
  /** The session's working root (the command runs there). */
  cwd: string;
  config: Config;
  env?: NodeJS.ProcessEnv;
}

/** What ran: its result, or why it did not. */
export type UserShellOutcome = { ran: true; result: ExecResult } | { ran: false; message: string };

/** The conversation item's text (Codex's `format_user_shell_command_record`). */
export function userShellRecord(command: string, exitCode: number, durationMs: number, output: string): string {
  const body = ['<command>', command, '</command>', '<result>', `Exit code: ${exitCode}`, `Duration: ${(durationMs / 1000).toFixed(4)} seconds`, 'Output:', output, '</result>'];
  return `${USER_SHELL_OPEN}\n${body.join('\n')}\n</user_shell_command>`;
}

function run(req: UserShellRequest, argv: string[], policy: SandboxPolicy, itemId: string, control: RunControl): Promise<ExecResult> {
  const env = req.env ?? process.env;
  return runCommand({
    policy,
    argv,
    cwd: req.cwd,
    root: req.cwd,
    env: applyEnvPolicy(req.config.shell_environment_policy, env),
    timeoutMs: USER_SHELL_TIMEOUT_MS,
    signal: control.signal,
    onOutput: (chunk) => control.emit({ type: 'command_output.delta', item_id: itemId, delta: chunk.text }),
  });
}

function record(session: AgentSession, req: UserShellRequest, exitCode: number, durationMs: number, output: string): void {
  const facts = session.model.facts;
  const budget = req.config.tool_output_token_limit ? { mode: 'tokens' as const, limit: req.config.tool_output_token_limit } : facts.truncation;
  session.recordContext(userShellRecord(req.command, exitCode, durationMs, truncateForModel(output, budget)));
}

/** Runs a `!` command: events to `control.emit`, the record into the session's history and rollout. */
export async function runUserShellCommand(req: UserShellRequest, control: RunControl): Promise<UserShellOutcome> {
  const { session, approvals, sandbox } = req.agent;
  const env = req.env ?? process.env;
  const argv = shellScriptArgv(req.command, { shell: defaultShell(env), login: req.config.allow_login_shell !== false });
  const item = commandItem(session.nextItemId(), argv, req.cwd);
  let result: ExecResult;
  try {
    const ran = await runApproved({
      approvals,
      sandbox,
      request: { argv, cwd: req.cwd, sandboxPermissions: undefined, justification: undefined },
      item,
      emit: control.emit,
      run: (policy) => run(req, argv, policy, item.id, control),
      blockedBySandbox: (r) => r.sandboxDenied && !control.signal.aborted,
    });
    if ('declined' in ran) return { ran: false, message: ran.declined };
    result = ran.result;
  } catch (err) {
    const message = control.signal.aborted ? 'command aborted by user' : `execution error: ${err instanceof Error ? err.message : String(err)}`;
    control.emit({ type: 'item.completed', item: { ...item, aggregated_output: message, exit_code: -1, status: 'failed' } });
    record(session, req, -1, 0, message);
    return { ran: false, message };
  }
  const shown = keptOutput({ text: result.output, totals: result.outputTotals, ...(result.outputGap !== undefined ? { gap: result.outputGap } : {}) });
  const aborted = result.aborted || control.signal.aborted;
  control.emit({
    type: 'item.completed',
    item: { ...item, aggregated_output: shown, exit_code: result.exitCode, status: result.exitCode === 0 && !aborted ? 'completed' : 'failed' },
  });
  if (aborted) record(session, req, -1, result.durationMs, 'command aborted by user');
  else record(session, req, result.exitCode, result.durationMs, result.output);
  return { ran: true, result };
}
