/** The tools a session offers, chosen from the model's catalog facts. */
import type { ResolvedModel } from '../../catalog/index.js';
import type { Config, ProviderInfo } from '../../config/index.js';
import type { ToolSpec } from '../../providers/index.js';
import type { McpConnections } from '../../mcp/index.js';
import { detectPty, type ApprovalSession, type ExecResult, type SandboxPolicy } from '../../sandbox/index.js';
import type { ToolHandler } from '../tool-types.js';
import { ShellTool, type ShellForm } from './shell.js';
import { PlanTool } from './update-plan.js';
import { ViewImageTool } from './view-image.js';
import { formatExecOutput } from './output.js';
import { ApplyPatchTool, PatchRunner, patchInterceptor } from './apply-patch/index.js';
import { webSearchTool } from './web-search.js';
import { mcpToolHandlers } from './mcp.js';
import { unifiedExecTools, type ExecSessions } from './unified-exec/index.js';

export { ExecSessions } from './unified-exec/index.js';

export interface ToolSetOptions {
  model: ResolvedModel;
  config: Config;
  cwd: string;
  sandbox: SandboxPolicy;
  approvals: ApprovalSession;
  /** Whether the provider takes hosted tools (web_search). */
  provider: Pick<ProviderInfo, 'supports_web_search' | 'wire_api'>;
  env?: NodeJS.ProcessEnv;
  /** The session's running MCP servers, whose tools are offered too. */
  mcp?: McpConnections;
  /** The agent session's long-running commands (unified exec), kept across model switches. */
  execSessions: ExecSessions;
  /** Tools that only look (a review): no apply_patch. Commands still run, in the session's sandbox. */
  readOnly?: boolean;
}

export interface ToolSet {
  handlers: ToolHandler[];
  /** Tools the server runs (web_search): specs without a handler. */
  hosted: ToolSpec[];
  /** Completes per-turn items (the plan's todo list) before the turn ends. */
  finishTurn(): void;
  /** The current plan as text, the answer of last resort. */
  planText(): string | null;
}

/**
 * Whether the model gets unified exec (`exec_command` + `write_stdin`): its catalog entry says
 * `unified_exec`, `[features] unified_exec` is not false, and commands can get a terminal here (else, as
 * Codex does without PTY support, `shell_command`).
 */
function unifiedExecTerminal(o: ToolSetOptions): string | null {
  if (o.model.facts.shellType !== 'unified_exec' || o.config.features?.unified_exec === false) return null;
  const pty = detectPty({ cwd: o.cwd });
  return pty.ok ? pty.script : null;
}

export function createTools(o: ToolSetOptions): ToolSet {
  const facts = o.model.facts;
  const form: ShellForm = facts.shellType === 'default' ? 'shell' : 'shell_command';
  const budget = o.config.tool_output_token_limit
    ? { mode: 'tokens' as const, limit: o.config.tool_output_token_limit }
    : facts.truncation;
  const patches = new PatchRunner(o.approvals);
  const shellFormat = (result: ExecResult, f: ShellForm): string => formatExecOutput(result, f === 'shell_command' ? 'text' : 'json', budget);
  const interceptPatch = patchInterceptor(patches, (result) => shellFormat(result, form));
  const command = {
    cwd: o.cwd,
    sandbox: o.sandbox,
    approvals: o.approvals,
    envPolicy: o.config.shell_environment_policy,
    allowLoginShell: o.config.allow_login_shell !== false,
    interceptPatch,
    ...(o.env ? { env: o.env } : {}),
  };
  const terminal = unifiedExecTerminal(o);
  const commandTools: ToolHandler[] =
    terminal !== null
      ? unifiedExecTools({ ...command, terminal, sessions: o.execSessions, budget })
      : [new ShellTool({ ...command, form, formatOutput: shellFormat })];
  const plan = new PlanTool();
  const applyPatch = new ApplyPatchTool({
    style: facts.applyPatchToolType,
    cwd: o.cwd,
    runner: patches,
    formatOutput: (result, f) => formatExecOutput(result, f, budget),
  });
  const handlers: ToolHandler[] = [...commandTools, ...(o.readOnly ? [] : [applyPatch]), plan];
  if (facts.inputModalities.includes('image')) handlers.push(new ViewImageTool(o.cwd));
  if (o.mcp) handlers.push(...mcpToolHandlers({ connections: o.mcp, approvals: o.approvals, acceptsImages: facts.inputModalities.includes('image') }));
  const search = webSearchTool(o.config.web_search, o.sandbox, o.provider, facts);
  const hosted: ToolSpec[] = search ? [search] : [];
  return {
    handlers,
    hosted,
    finishTurn: () => {
      plan.finishTurn();
      o.execSessions.finishTurn();
    },
    planText: () => plan.text(),
  };
}
