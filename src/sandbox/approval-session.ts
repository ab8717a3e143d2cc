/**
 * Approvals during a session: the decision table plus someone to ask (`Approver`) plus what was already
 * approved "for this session". The agent loop asks three things: may this command run (and where), may it
 * run again without the sandbox after a denial, and may this patch be applied.
 */
import type { ApprovalPolicySetting } from '../config/index.js';
import {
  afterSandboxDenial,
  basePolicy,
  decideCommand,
  decidePatch,
  type CommandRequest,
  type SandboxChoice,
} from './approval-policy.js';
import type { FileChange } from './patch-safety.js';
import type { SandboxPolicy } from './policy.js';

export type ApprovalAnswer = 'approve-once' | 'approve-session' | 'deny';

export interface ApprovalReply {
  answer: ApprovalAnswer;
  /** For a denial: what the model is told (default: Codex's "… rejected by user"). */
  message?: string;
}

/** The subagent a question comes from, so the one answering knows which helper asks. */
export interface ApprovalAgent {
  id: string;
  nickname: string;
  role: string | null;
}

export type ApprovalQuestion = (
  | {
      kind: 'command';
      argv: readonly string[];
      cwd: string;
      reason: string;
      justification?: string | undefined;
      /** True when the command already failed in the sandbox and would now run without it. */
      retryWithoutSandbox: boolean;
      sandbox: SandboxChoice;
    }
  | {
      kind: 'patch';
      changes: readonly FileChange[];
      cwd: string;
      reason: string;
    }
  /** A call to a tool of an MCP server (`arguments` as the model sent them, parsed). */
  | { kind: 'mcp_tool'; server: string; tool: string; arguments: unknown; reason: string }
) & {
  /** Set when a subagent asks (absent: the session itself). */
  agent?: ApprovalAgent;
};

/** Whoever answers questions: the interactive UI prompts; a non-interactive run declines. */
export interface Approver {
  ask(question: ApprovalQuestion): Promise<ApprovalReply>;
}

export const COMMAND_REJECTED = 'exec command rejected by user';
export const PATCH_REJECTED = 'patch rejected by user';
export const MCP_TOOL_REJECTED = 'user rejected MCP tool call';

/** Asks `approver`, naming the subagent the questions come from. */
export function approverFor(agent: ApprovalAgent, approver: Approver): Approver {
  return { ask: (q) => approver.ask({ ...q, agent: q.agent ?? agent }) };
}

/** For runs without a terminal: every question is declined, with a message the model can act on. */
export function nonInteractiveApprover(): Approver {
  return {
    ask: async (q) => ({
      answer: 'deny',
      message:
        q.kind === 'command' && q.retryWithoutSandbox
          ? 'this run is non-interactive, so no one can approve running it outside the sandbox; ' +
            'use a command the sandbox allows, or tell the user what to run'
          : q.kind === 'command'
          ? `command not run: it needs approval (${q.reason}), and this run is non-interactive, so no one can approve it; ` +
            'use a command the sandbox allows, or tell the user what to run'
          : q.kind === 'mcp_tool'
            ? `MCP tool call not run: ${q.server}/${q.tool} needs approval (${q.reason}), and this run is non-interactive, so no one can approve it; ` +
              'do without this tool, or tell the user it needs their approval'
            : `patch not applied: it needs approval (${q.reason}), and this run is non-interactive, so no one can approve it; ` +
            'change only files inside the writable roots, or tell the user what to change',
    }),
  };
}

export type CommandAuthorization = { run: true; sandbox: SandboxChoice } | { run: false; message: string };
export type RetryAuthorization = { retry: true } | { retry: false; message?: string };
export type PatchAuthorization = { apply: true } | { apply: false; message: string };
export type ToolCallAuthorization = { run: true } | { run: false; message: string };

export interface McpToolRequest {
  server: string;
  tool: string;
  arguments: unknown;
  reason: string;
  /** An "approve for this session" answer is remembered for this tool. */
  rememberable: boolean;
}

export interface ApprovalSessionOptions {
  policy: ApprovalPolicySetting;
  sandbox: SandboxPolicy;
  /** The session's working root: the writable roots of patch checks come from it, never from a tool argument. */
  root: string;
  approver: Approver;
  env?: NodeJS.ProcessEnv;
}

const key = (argv: readonly string[]): string => JSON.stringify(argv);

export class ApprovalSession {
  readonly policy: ApprovalPolicySetting;
  readonly sandbox: SandboxPolicy;
  readonly root: string;
  private readonly approver: Approver;
  private readonly env: NodeJS.ProcessEnv;
  /** Commands approved for the session, and whether that approval covers running without the sandbox. */
  private readonly commands = new Map<string, SandboxChoice>();
  /** Resolved paths whose changes were approved for the session. */
  private readonly paths = new Set<string>();
  /** MCP tools (`server/tool`) approved for the session. */
  private readonly mcpTools = new Set<string>();

  constructor(options: ApprovalSessionOptions) {
    this.policy = options.policy;
    this.sandbox = options.sandbox;
    this.root = options.root;
    this.approver = options.approver;
    this.env = options.env ?? process.env;
  }

  private approvedFor(argv: readonly string[], sandbox: SandboxChoice): boolean {
    const granted = this.commands.get(key(argv));
    return granted === 'none' || granted === sandbox;
  }

  private remember(argv: readonly string[], sandbox: SandboxChoice): void {
    if (this.commands.get(key(argv)) !== 'none') this.commands.set(key(argv), sandbox);
  }

  /** May this command run, and under which sandbox? */
  async authorizeCommand(req: CommandRequest): Promise<CommandAuthorization> {
    const d = decideCommand(this.policy, this.sandbox, req);
    if (d.action === 'run') return { run: true, sandbox: d.sandbox };
    if (d.action === 'reject') return { run: false, message: d.message };
    if (this.approvedFor(req.argv, d.sandboxIfApproved)) return { run: true, sandbox: d.sandboxIfApproved };
    return this.askCommand(req, d.reason, d.sandboxIfApproved, false);
  }

  /**
   * After a sandboxed run failed with what looks like a sandbox denial: may it run again without the
   * sandbox? Without a message, report the failed result to the model as it is; with one (the user said
   * no), report that instead.
   */
  async authorizeRetryWithoutSandbox(req: CommandRequest): Promise<RetryAuthorization> {
    if (this.sandbox.type === 'danger-full-access' || afterSandboxDenial(this.policy) === 'report-failure') {
      return { retry: false };
    }
    if (this.approvedFor(req.argv, 'none')) return { retry: true };
    const auth = await this.askCommand(req, 'the command failed in the sandbox', 'none', true);
    return auth.run ? { retry: true } : { retry: false, message: auth.message };
  }

  private async askCommand(req: CommandRequest, reason: string, sandbox: SandboxChoice, retry: boolean): Promise<CommandAuthorization> {
    const reply = await this.approver.ask({
      kind: 'command',
      argv: req.argv,
      cwd: req.cwd,
      reason,
      justification: req.justification,
      retryWithoutSandbox: retry,
      sandbox,
    });
    if (reply.answer === 'deny') return { run: false, message: reply.message ?? COMMAND_REJECTED };
    if (reply.answer === 'approve-session') this.remember(req.argv, sandbox);
    return { run: true, sandbox };
  }

  /**
   * May these file changes (relative paths resolved against `cwd`) be applied in-process? `diffs` (what
   * the changes would do) go with the question, so the user sees them before answering.
   */
  async authorizePatch(changes: readonly FileChange[], cwd: string): Promise<PatchAuthorization> {
    const d = decidePatch(this.policy, this.sandbox, changes, { root: this.root, cwd }, this.env);
    if (d.action === 'apply') return { apply: true };
    if (d.action === 'reject') return { apply: false, message: d.message };
    const resolved = d.check.paths.map((p) => p.resolved);
    if (resolved.length > 0 && resolved.every((p) => this.paths.has(p))) return { apply: true };
    const reply = await this.approver.ask({ kind: 'patch', changes, cwd, reason: d.reason });
    if (reply.answer === 'deny') return { apply: false, message: reply.message ?? PATCH_REJECTED };
    if (reply.answer === 'approve-session') for (const p of resolved) this.paths.add(p);
    return { apply: true };
  }

  /**
   * May this MCP tool call run? Only asked for calls that need approval (the MCP layer decides which);
   * under the `never` policy no one can approve, so the call is declined with a message for the model.
   */
  async authorizeMcpTool(req: McpToolRequest): Promise<ToolCallAuthorization> {
    const id = `${req.server}/${req.tool}`;
    if (basePolicy(this.policy) === 'never') {
      return {
        run: false,
        message:
          `MCP tool call not run: ${id} needs approval (${req.reason}), and the approval policy is never, so no one can approve it; ` +
          'do without this tool, or tell the user it needs their approval',
      };
    }
    if (this.mcpTools.has(id)) return { run: true };
    const reply = await this.approver.ask({ kind: 'mcp_tool', server: req.server, tool: req.tool, arguments: req.arguments, reason: req.reason });
    if (reply.answer === 'deny') return { run: false, message: reply.message ?? MCP_TOOL_REJECTED };
    if (reply.answer === 'approve-session' && req.rememberable) this.mcpTools.add(id);
    return { run: true };
  }
}
