/**
 * Unified exec: `exec_command` and `write_stdin`, for models whose catalog entry says `unified_exec`.
 * Commands may outlive the call that started them (sessions the model polls and types into), run on a
 * terminal of the sandbox's own, and go through the same approvals and sandbox as every other command.
 */
import type { ToolHandler } from '../../tool-types.js';
import { ExecCommandTool, type UnifiedExecOptions } from './exec-command.js';
import { WriteStdinTool } from './write-stdin.js';

export { ExecSessions, MAX_SESSIONS } from './sessions.js';
export type { UnifiedExecOptions } from './exec-command.js';

export function unifiedExecTools(o: UnifiedExecOptions): ToolHandler[] {
  return [new ExecCommandTool(o), new WriteStdinTool({ sessions: o.sessions, budget: o.budget })];
}
