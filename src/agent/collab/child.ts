/**
 * Building a subagent's session: a full agent session of its own (history, rollout, commands) on its own
 * model, provider and effort, under its parent's sandbox (or a narrower one its agent type asks for),
 * approval policy and working root. Its approval questions name it. It gets the subagent tools itself
 * while it is above the depth limit. When its agent type declares `mcp_servers`, they are started for it
 * alone (with the session's servers under them) and closed with it.
 */
import type { Catalog } from '../../catalog/index.js';
import type { ApprovalPolicySetting, Config, LoadedConfig, ProviderInfo, SandboxMode } from '../../config/index.js';
import type { ModelClient } from '../../providers/index.js';
import { McpConnections, startMcpServers } from '../../mcp/index.js';
import { ApprovalSession, approverFor, sandboxPolicyFor, type Approver, type SandboxPolicy } from '../../sandbox/index.js';
import { openRollout, prepareResume, secretValues, type CollabRecord, type RolloutRecorder, type SessionMeta } from '../../sessions/index.js';
import { VERSION } from '../../shared/index.js';
import type { ResolvedModel } from '../../catalog/index.js';
import type { PermissionsContext } from '../prompt/permissions.js';
import { AgentSession } from '../session.js';
import { ExecSessions, type ToolSet } from '../tools/index.js';
import type { ChildFactory, ChildRuntime, ChildSpec, SubagentManager } from './manager.js';
import { collabTools, type CollabCaller } from './tools.js';

export interface ChildFactoryDeps {
  loaded: LoadedConfig;
  catalog: Catalog;
  cwd: string;
  addDirs: readonly string[];
  env: NodeJS.ProcessEnv;
  approvalPolicy: ApprovalPolicySetting;
  approver: Approver;
  /** The parent session's sandbox: a child's is the same or narrower. */
  sandbox: SandboxPolicy;
  /** The base instructions every child thread starts with (the parent's; undefined: ours). */
  instructions: string | undefined;
  compactPrompt?: string | undefined;
  /** Rollouts for children (none: an ephemeral session, whose children write none either). */
  rollout?: { originator: string; token?: string | null | undefined } | undefined;
  manager: () => SubagentManager;
  /** The session's MCP servers now (a helper is offered their tools too). */
  mcp: () => McpConnections | undefined;
  /** The model client and tools for a model (setup.ts's modelBinding); `mcp` replaces the session's servers. */
  bind: (o: {
    loaded: LoadedConfig;
    model: ResolvedModel;
    provider: ProviderInfo;
    sandbox: SandboxPolicy;
    approvals: ApprovalSession;
    execSessions: ExecSessions;
    mcp?: McpConnections;
  }) => {
    client: ModelClient;
    tools: ToolSet;
  };
  permissions: (sandbox: SandboxPolicy) => PermissionsContext;
}

const WIDTH: Record<SandboxMode, number> = { 'read-only': 0, 'workspace-write': 1, 'danger-full-access': 2 };

/** The sandbox a child runs in: its agent type's mode when that is narrower than the parent's, else the parent's. */
export function childSandbox(parent: SandboxPolicy, mode: SandboxMode | undefined, config: Config, cwd: string, addDirs: readonly string[]): SandboxPolicy {
  if (mode === undefined || WIDTH[mode] >= WIDTH[parent.type]) return parent;
  return sandboxPolicyFor(mode, config.sandbox_workspace_write, addDirs, cwd);
}

/** Records a subagent call in a session's rollout (Codex's `item_completed` event). */
export function recordCollab(recorder: RolloutRecorder | undefined, threadId: string, record: CollabRecord, turn: { turnId: string; startedAtMs: number }): void {
  recorder?.event({ type: 'item_completed', thread_id: threadId, turn_id: turn.turnId, item: record, started_at_ms: turn.startedAtMs, completed_at_ms: Date.now() });
}

/**
 * The servers a helper's agent type declares, started for that helper (as the session starts its own: a
 * server that fails is a warning, a `required` one a UserError naming it), layered over the session's:
 * a server of the type replaces a session server of the same name for this helper. Undefined when the
 * type declares none.
 */
async function helperMcp(d: ChildFactoryDeps, role: ChildSpec['role'], signal: AbortSignal | undefined): Promise<McpConnections | undefined> {
  const servers = role.mcpServers;
  if (!servers || Object.keys(servers).length === 0) return undefined;
  const own = await startMcpServers(
    { ...d.loaded.config, mcp_servers: servers },
    { env: d.env, ...(signal ? { signal } : {}), ...(role.path ? { origin: `the agent file ${role.path}` } : {}) },
  );
  return (d.mcp() ?? McpConnections.none()).layered(own);
}

export function childFactory(d: ChildFactoryDeps): ChildFactory {
  return async (spec, o = {}) => {
    const mcp = await helperMcp(d, spec.role, o.signal);
    try {
      return build(d, spec, o.resumeFrom, mcp);
    } catch (err) {
      await mcp?.close();
      throw err;
    }
  };
}

function build(d: ChildFactoryDeps, spec: ChildSpec, resumeFrom: string | undefined, mcp: McpConnections | undefined): ChildRuntime {
  const { choice, role } = spec;
  const manager = d.manager();
  const base = d.loaded.config;
  const developer = [base.developer_instructions, role.instructions].filter((t): t is string => typeof t === 'string' && t.trim() !== '').join('\n\n');
  const config: Config = { ...base, model: choice.model.requested, model_provider: choice.provider.id };
  if (choice.effort !== undefined) config.model_reasoning_effort = choice.effort;
  else delete config.model_reasoning_effort;
  if (developer !== '') config.developer_instructions = developer;
  const loaded: LoadedConfig = { ...d.loaded, config };
  const sandbox = childSandbox(d.sandbox, role.sandboxMode, base, d.cwd, d.addDirs);
  const agent = { id: spec.id, nickname: spec.nickname, role: role.name };
  const approvals = new ApprovalSession({ policy: d.approvalPolicy, sandbox, root: d.cwd, approver: approverFor(agent, d.approver), env: d.env });
  const execSessions = new ExecSessions();
  const { client, tools } = d.bind({ loaded, model: choice.model, provider: choice.provider, sandbox, approvals, execSessions, ...(mcp ? { mcp } : {}) });
  const secrets = d.rollout ? secretValues(choice.provider, d.env, d.rollout.token ?? null) : [];
  const resumed = resumeFrom ? prepareResume({ path: resumeFrom, loaded, catalog: d.catalog, model: choice.model, provider: choice.provider, env: d.env }) : undefined;
  // fork_context: the parent's conversation, then the agent type's instructions (the parent's are in it).
  const forked = !resumed && spec.forked ? [...spec.forked] : undefined;
  if (forked && role.instructions) forked.push({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: role.instructions }] });
  let session: AgentSession | undefined;
  const caller: CollabCaller = {
    threadId: spec.id,
    depth: spec.depth,
    parent: () => ({ model: choice.model, providerId: choice.provider.id, effort: choice.effort }),
    history: () => session?.history ?? [],
    record: (record, turn) => recordCollab(session?.recorder, spec.id, record, turn),
  };
  session = new AgentSession({
    home: d.loaded.home,
    cwd: d.cwd,
    config,
    model: choice.model,
    client,
    permissions: d.permissions(sandbox),
    tools: tools.handlers,
    sessionTools: collabTools(manager, caller),
    hostedTools: tools.hosted,
    env: d.env,
    ...(resumed ? { instructions: resumed.rollout.meta.base_instructions.text } : d.instructions !== undefined ? { instructions: d.instructions } : {}),
    threadId: spec.id,
    providerId: choice.provider.id,
    secrets,
    subagent: true,
    beforeComplete: () => tools.finishTurn(),
    onTurnSignal: (signal) => signal.addEventListener('abort', () => manager.interruptTree(spec.id), { once: true }),
    pendingInput: () => manager.takeNotices(spec.id),
    ...(d.compactPrompt !== undefined ? { compactPrompt: d.compactPrompt } : {}),
    ...(resumed ? { restored: { history: resumed.history, usage: resumed.rollout.usage, lastUsage: resumed.rollout.lastUsage } } : {}),
    ...(forked ? { restored: { history: forked } } : {}),
  });
  if (d.rollout) {
    const meta: SessionMeta = {
      id: spec.id,
      timestamp: new Date().toISOString(),
      cwd: d.cwd,
      originator: d.rollout.originator,
      cli_version: VERSION,
      source: {
        subagent: {
          thread_spawn: { parent_thread_id: spec.parentId, depth: spec.depth, agent_path: null, agent_nickname: spec.nickname, agent_role: role.name },
        },
      },
      parent_thread_id: spec.parentId,
      agent_nickname: spec.nickname,
      agent_role: role.name,
      model_provider: choice.provider.id,
      base_instructions: { text: session.instructions },
    };
    const s = session;
    s.recorder = openRollout(d.loaded.home, meta, { secrets, onWarning: (message) => s.warn(message), ...(resumeFrom ? { existing: resumeFrom } : {}) });
    // A forked conversation is the child's own from the start: its rollout holds it, so it resumes whole.
    for (const item of forked ?? []) s.recorder.item(item);
  }
  const recorder = session.recorder;
  return {
    session,
    rolloutPath: recorder?.path ?? null,
    warnings: mcp ? [...mcp.warnings] : [],
    dispose: async () => {
      execSessions.terminateAll();
      recorder?.close();
      await mcp?.close();
    },
  };
}
