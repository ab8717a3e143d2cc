/**
 * Builds a ready-to-run agent from resolved settings: the sandbox policy, the approval session, the
 * model client, the tools the model gets, and the conversation. Both front ends (exec and the
 * interactive UI) start here, so they offer the model exactly the same abilities.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHIPPED_CATALOG, type Catalog, type ResolvedModel } from '../catalog/index.js';
import { agentSettings, loadAgentRoles, type ApprovalPolicySetting, type LoadedConfig, type ProviderInfo } from '../config/index.js';
import type { McpConnections } from '../mcp/index.js';
import { createModelClient, type ModelClient, type ResponseItem } from '../providers/index.js';
import {
  ApprovalSession,
  basePolicy,
  hasNetwork,
  sandboxPolicyFromConfig,
  setProbeCacheFile,
  writableRoots,
  type Approver,
  type SandboxPolicy,
} from '../sandbox/index.js';
import { openRollout, secretValues, type CollabRecord, type SessionSource, type TokenUsage } from '../sessions/index.js';
import { UserError, uuidv7, VERSION } from '../shared/index.js';
import { childFactory, collabTools, recordCollab, restoreSubagents, roleBook, SubagentManager } from './collab/index.js';
import type { PermissionsContext } from './prompt/permissions.js';
import { AgentSession } from './session.js';
import { createTools, ExecSessions, type ToolSet } from './tools/index.js';

/** What a front end (exec or the interactive UI) starts from: the resolved settings of one run. */
export interface FrontEndContext {
  loaded: LoadedConfig;
  catalog: Catalog;
  model: ResolvedModel;
  provider: ProviderInfo;
  cwd: string;
  addDirs: readonly string[];
  /** `-i` images for the first prompt. */
  images: readonly string[];
  /** Config and model notices, shown once. */
  notices: readonly string[];
}

export interface AgentSetupOptions {
  loaded: LoadedConfig;
  /** The model catalog (the models subagents may run on); default the shipped one. */
  catalog?: Catalog;
  model: ResolvedModel;
  provider: ProviderInfo;
  cwd: string;
  addDirs: readonly string[];
  approvalPolicy: ApprovalPolicySetting;
  approver: Approver;
  /** Credentials as `exec` resolves them (`CODEX_API_KEY` first). */
  exec: boolean;
  env?: NodeJS.ProcessEnv;
  /** The MCP servers started for the session (`startMcpServers`); their tools are offered to the model. */
  mcp?: McpConnections;
  /** Keep this thread id (a resumed session). */
  threadId?: string;
  /** Offer only tools that look (a review): no apply_patch. */
  readOnlyTools?: boolean;
  /** Record the thread in a rollout file (leave out for an ephemeral session). */
  rollout?: {
    source: SessionSource;
    /** Codex's `originator` (e.g. `codex_exec`). */
    originator: string;
    /** The resolved API key, so it is kept out of the file with the configured headers. */
    token?: string | null;
  };
  /** Continue a recorded thread (give `threadId` too): the history as it will be sent, usage and file. */
  resume?: {
    history: readonly ResponseItem[];
    usage: TokenUsage | undefined;
    /** The last response's usage, unless the thread was compacted after it (for the auto-compact limit). */
    lastUsage?: TokenUsage | undefined;
    /** The thread's base instructions, kept for every request of the thread. */
    instructions: string;
    /** Its rollout file, appended to from now on. */
    path: string;
    /** The subagent calls it recorded: its subagents are restored from them. */
    collab?: readonly CollabRecord[];
  };
}

export interface Agent {
  session: AgentSession;
  tools: ToolSet;
  approvals: ApprovalSession;
  sandbox: SandboxPolicy;
  /** Commands still running for the model (unified exec); `terminateAll()` when the session ends. */
  execSessions: ExecSessions;
  /**
   * The session's subagents (null when `[agents] enabled = false` or `features.multi_agent = false`):
   * `shutdown()` when the session ends.
   */
  subagents: SubagentManager | null;
  /** Problems with the sandbox settings, one line each. */
  warnings: string[];
  /**
   * The session's MCP servers once they have started after the agent was made (the UI starts them with
   * the screen open): helpers spawned from now on are offered their tools too.
   */
  useMcp(mcp: McpConnections): void;
}

/** The base instructions: `model_instructions_file` when set, else ours. */
function instructionsFrom(loaded: LoadedConfig): string | undefined {
  const file = loaded.config.model_instructions_file;
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read model_instructions_file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      { hint: 'fix the path in config.toml or remove the key' },
    );
  }
}

/** The summary request of a compaction: `compact_prompt`, else the `experimental_compact_prompt_file` text. */
function compactPromptFrom(loaded: LoadedConfig): string | undefined {
  const { compact_prompt: inline, experimental_compact_prompt_file: file } = loaded.config;
  if (inline !== undefined && inline.trim() !== '') return inline;
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read experimental_compact_prompt_file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      { hint: 'fix the path in config.toml or remove the key' },
    );
  }
}

/** The model client and tools for a model, so a session can switch models between turns. */
export function modelBinding(
  o: Pick<AgentSetupOptions, 'loaded' | 'provider' | 'cwd' | 'exec' | 'env' | 'mcp' | 'readOnlyTools'> & {
    model: ResolvedModel;
    sandbox: SandboxPolicy;
    approvals: ApprovalSession;
    execSessions: ExecSessions;
  },
): { client: ModelClient; tools: ToolSet } {
  const env = o.env ?? process.env;
  const tools = createTools({
    model: o.model,
    config: o.loaded.config,
    cwd: o.cwd,
    sandbox: o.sandbox,
    approvals: o.approvals,
    provider: o.provider,
    env,
    execSessions: o.execSessions,
    ...(o.mcp ? { mcp: o.mcp } : {}),
    ...(o.readOnlyTools ? { readOnly: true } : {}),
  });
  const client = createModelClient(o.provider, { env, home: o.loaded.home, exec: o.exec });
  return { client, tools };
}

/** What the permissions message tells the model about a sandbox and an approval policy. */
export function permissionsFor(sandbox: SandboxPolicy, approvalPolicy: ApprovalPolicySetting, cwd: string, env: NodeJS.ProcessEnv = process.env): PermissionsContext {
  return {
    sandboxMode: sandbox.type,
    approvalPolicy: basePolicy(approvalPolicy),
    writableRoots: sandbox.type === 'workspace-write' ? writableRoots(sandbox, cwd, env).map((r) => r.root) : [],
    networkAccess: hasNetwork(sandbox),
  };
}

export function createAgent(o: AgentSetupOptions): Agent {
  const { loaded, model, cwd } = o;
  const config = loaded.config;
  const env = o.env ?? process.env;
  // Probes of bwrap and `script` remembered across runs, so a run spawns none before its first command.
  setProbeCacheFile(join(loaded.home, 'cache', 'probes.json'));
  const { policy: sandbox, warnings } = sandboxPolicyFromConfig(config, cwd, o.addDirs);
  const approvals = new ApprovalSession({ policy: o.approvalPolicy, sandbox, root: cwd, approver: o.approver, env });
  const execSessions = new ExecSessions();
  const { client, tools } = modelBinding({ ...o, env, sandbox, approvals, execSessions });
  const instructions = o.resume ? o.resume.instructions : instructionsFrom(loaded);
  const compactPrompt = compactPromptFrom(loaded);
  // What the rollout and history.jsonl must never contain (the same values, redacted the same way).
  const secrets = o.rollout ? secretValues(o.provider, env, o.rollout.token) : [];
  const threadId = o.threadId ?? uuidv7();
  let session: AgentSession | undefined;
  // The session's MCP servers as helpers see them (useMcp replaces them once they have started).
  const sessionMcp = { current: o.mcp };
  const subagents = subagentsFor(o, { env, sandbox, instructions, compactPrompt, warnings, mcp: () => sessionMcp.current });
  const sessionTools = subagents
    ? collabTools(subagents, {
        threadId,
        depth: 0,
        parent: () => {
          const s = session as AgentSession;
          return { model: s.model, providerId: s.providerId, effort: s.reasoningEffort };
        },
        history: () => session?.history ?? [],
        record: (record, turn) => recordCollab(session?.recorder, threadId, record, turn),
      })
    : [];
  session = new AgentSession({
    home: loaded.home,
    cwd,
    config,
    model,
    client,
    permissions: permissionsFor(sandbox, o.approvalPolicy, cwd, env),
    tools: tools.handlers,
    sessionTools,
    hostedTools: tools.hosted,
    env,
    ...(instructions !== undefined ? { instructions } : {}),
    threadId,
    ...(subagents
      ? {
          onTurnSignal: (signal: AbortSignal) => signal.addEventListener('abort', () => subagents.interruptTree(threadId), { once: true }),
          pendingInput: () => subagents.takeNotices(threadId),
        }
      : {}),
    ...(o.resume ? { restored: { history: o.resume.history, usage: o.resume.usage, lastUsage: o.resume.lastUsage } } : {}),
    ...(compactPrompt !== undefined ? { compactPrompt } : {}),
    providerId: o.provider.id,
    secrets,
    beforeComplete: () => tools.finishTurn(),
  });
  if (o.rollout) {
    const meta = {
      id: session.threadId,
      timestamp: new Date().toISOString(),
      cwd,
      originator: o.rollout.originator,
      cli_version: VERSION,
      source: o.rollout.source,
      model_provider: o.provider.id,
      base_instructions: { text: session.instructions },
    };
    const s = session;
    s.recorder = openRollout(loaded.home, meta, {
      secrets,
      onWarning: (message) => s.warn(message),
      ...(o.resume ? { existing: o.resume.path } : {}),
    });
  }
  if (subagents && o.resume?.collab && o.resume.collab.length > 0) {
    warnings.push(...restoreSubagents(subagents, o.resume.collab, { home: loaded.home, parentModel: model.requested, parentProvider: o.provider.id, env }));
  }
  const useMcp = (mcp: McpConnections): void => {
    sessionMcp.current = mcp;
  };
  return { session, tools, approvals, sandbox, execSessions, subagents, warnings, useMcp };
}

/** The session's subagent manager, with the factory that builds each child like this session. */
function subagentsFor(
  o: AgentSetupOptions,
  s: {
    env: NodeJS.ProcessEnv;
    sandbox: SandboxPolicy;
    instructions: string | undefined;
    compactPrompt: string | undefined;
    warnings: string[];
    /** The session's MCP servers now. */
    mcp: () => McpConnections | undefined;
  },
): SubagentManager | null {
  const settings = agentSettings(o.loaded.config);
  if (!settings.enabled || settings.maxDepth < 1) return null;
  const custom = loadAgentRoles(o.loaded);
  s.warnings.push(...custom.warnings);
  const roles = roleBook(custom.roles);
  const catalog = o.catalog ?? SHIPPED_CATALOG;
  let manager: SubagentManager | undefined;
  const factory = childFactory({
    loaded: o.loaded,
    catalog,
    cwd: o.cwd,
    addDirs: o.addDirs,
    env: s.env,
    approvalPolicy: o.approvalPolicy,
    approver: o.approver,
    sandbox: s.sandbox,
    instructions: s.instructions,
    compactPrompt: s.compactPrompt,
    rollout: o.rollout ? { originator: o.rollout.originator, token: o.rollout.token } : undefined,
    manager: () => manager as SubagentManager,
    mcp: s.mcp,
    bind: (b) => {
      const mcp = b.mcp ?? s.mcp();
      return modelBinding({ ...o, ...b, env: s.env, ...(mcp ? { mcp } : {}) });
    },
    permissions: (sandbox) => permissionsFor(sandbox, o.approvalPolicy, o.cwd, s.env),
  });
  manager = new SubagentManager({ settings, roles, choice: { catalog, loaded: o.loaded, env: s.env, settings, roles }, factory });
  return manager;
}
