/** opencodex's threads, turns and items in the app-server protocol's shapes. */
import { resolve } from 'node:path';
import type { AgentStatusName, CollabToolCallItem, SubagentInfo, ThreadItem } from '../agent/index.js';
import { chooseEffort } from '../catalog/index.js';
import type { ApprovalPolicySetting } from '../config/index.js';
import type { HistoryItem, HistoryTurn, LiveThread, ThreadInfo } from '../host/index.js';
import { basePolicy, type SandboxPolicy } from '../sandbox/index.js';
import { VERSION } from '../shared/index.js';
import type { V2AskForApproval, V2CollabAgentStatus, V2CollabAgentToolCall, V2SandboxPolicy, V2Thread, V2ThreadItem, V2ThreadSettings, V2Turn } from './protocol.js';

export function v2Sandbox(p: SandboxPolicy): V2SandboxPolicy {
  if (p.type === 'danger-full-access') return { type: 'dangerFullAccess' };
  if (p.type === 'read-only') return { type: 'readOnly', networkAccess: false };
  return {
    type: 'workspaceWrite',
    writableRoots: [...p.writable_roots],
    networkAccess: p.network_access,
    excludeTmpdirEnvVar: p.exclude_tmpdir_env_var,
    excludeSlashTmp: p.exclude_slash_tmp,
  };
}

/** A client's sandbox policy as opencodex's (null: a kind opencodex has no counterpart for). */
export function fromV2Sandbox(
  p: { type: string; writableRoots?: string[] | null | undefined; networkAccess?: boolean | null | undefined; excludeTmpdirEnvVar?: boolean | null | undefined; excludeSlashTmp?: boolean | null | undefined },
  cwd: string,
): SandboxPolicy | null {
  if (p.type === 'dangerFullAccess') return { type: 'danger-full-access' };
  if (p.type === 'readOnly') return { type: 'read-only' };
  if (p.type !== 'workspaceWrite') return null;
  return {
    type: 'workspace-write',
    writable_roots: (p.writableRoots ?? []).map((r) => resolve(cwd, r)),
    network_access: p.networkAccess === true,
    exclude_tmpdir_env_var: p.excludeTmpdirEnvVar === true,
    exclude_slash_tmp: p.excludeSlashTmp === true,
  };
}

/** Codex's protocol has no `on-failure` (deprecated there): it is reported as `on-request`, which asks too. */
export function v2Approval(p: ApprovalPolicySetting): V2AskForApproval {
  if (typeof p === 'object') {
    const granular: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(p.granular)) if (typeof v === 'boolean') granular[k] = v;
    return { granular: { sandbox_approval: true, rules: true, mcp_elicitations: true, ...granular } };
  }
  const base = basePolicy(p);
  return base === 'on-failure' ? 'on-request' : base;
}

const SOURCES = new Set(['cli', 'vscode', 'exec', 'appServer']);

export function v2Thread(info: ThreadInfo, turns: V2Turn[] = [], effort: string | null = null): V2Thread {
  return {
    id: info.id,
    sessionId: info.id,
    forkedFromId: info.forkedFromId,
    parentThreadId: null,
    preview: info.preview,
    ephemeral: info.ephemeral,
    projectId: null,
    historyMode: 'legacy',
    modelProvider: info.modelProvider,
    model: info.model === '' ? null : info.model,
    reasoningEffort: effort,
    createdAt: info.createdAt,
    updatedAt: info.updatedAt,
    recencyAt: info.updatedAt,
    status: info.status === 'active' ? { type: 'active', activeFlags: [] } : { type: info.status },
    path: info.path,
    cwd: info.cwd,
    cliVersion: VERSION,
    originator: info.originator,
    source: SOURCES.has(info.source) ? (info.source as V2Thread['source']) : 'unknown',
    threadSource: null,
    agentNickname: null,
    agentRole: null,
    gitInfo: null,
    name: info.name,
    turns,
  };
}

/** The reasoning effort a loaded thread's requests carry. */
export function threadEffort(thread: LiveThread): string | null {
  return chooseEffort(thread.agent.session.model, thread.settings.loaded.config.model_reasoning_effort).effort ?? null;
}

export function threadSettings(thread: LiveThread): V2ThreadSettings {
  return {
    model: thread.agent.session.model.requested,
    modelProvider: thread.settings.provider.id,
    serviceTier: thread.settings.loaded.config.service_tier ?? null,
    cwd: thread.settings.cwd,
    approvalPolicy: v2Approval(thread.agent.approvals.policy),
    approvalsReviewer: 'user',
    sandbox: v2Sandbox(thread.agent.sandbox),
    reasoningEffort: threadEffort(thread),
    instructionSources: [],
    disabledPluginIds: [],
  };
}

export const agentMessage = (id: string, text: string): V2ThreadItem => ({
  type: 'agentMessage',
  id,
  text,
  phase: null,
  memoryCitation: null,
  moderation: null,
  delivery: null,
  questions: null,
});

export const userMessage = (id: string, text: string, clientId: string | null = null): V2ThreadItem => ({
  type: 'userMessage',
  id,
  clientId,
  content: [{ type: 'text', text, text_elements: [] }],
});

export function commandItem(o: { id: string; command: string; cwd: string; status: 'inProgress' | 'completed' | 'failed' | 'declined'; output: string | null; exitCode: number | null }): V2ThreadItem {
  return {
    type: 'commandExecution',
    id: o.id,
    command: o.command,
    cwd: o.cwd,
    commandActions: [{ type: 'unknown', command: o.command }],
    status: o.status,
    aggregatedOutput: o.output,
    exitCode: o.exitCode,
    durationMs: null,
    processId: null,
    source: 'agent',
    pluginId: null,
    scriptPath: null,
  };
}

const STATUS = { in_progress: 'inProgress', completed: 'completed', failed: 'failed', declined: 'declined' } as const;

const COLLAB_TOOLS = { spawn_agent: 'spawnAgent', send_input: 'sendInput', wait: 'wait', close_agent: 'closeAgent', resume_agent: 'resumeAgent' } as const;
const AGENT_STATUS: Record<AgentStatusName, V2CollabAgentStatus> = {
  pending_init: 'pendingInit',
  running: 'running',
  interrupted: 'interrupted',
  completed: 'completed',
  errored: 'errored',
  shutdown: 'shutdown',
  not_found: 'notFound',
};

/** A subagent tool call as Codex's `collabAgentToolCall`; `agent` looks up a subagent (a spawn's model and effort). */
export function collabItem(item: CollabToolCallItem, agent: (id: string) => SubagentInfo | undefined = () => undefined): V2CollabAgentToolCall {
  const spawned = item.tool === 'spawn_agent' && item.status === 'completed' ? agent(item.receiver_thread_ids[0] ?? '') : undefined;
  return {
    type: 'collabAgentToolCall',
    id: item.id,
    tool: COLLAB_TOOLS[item.tool],
    status: STATUS[item.status],
    senderThreadId: item.sender_thread_id,
    receiverThreadIds: [...item.receiver_thread_ids],
    prompt: item.prompt,
    model: spawned?.model ?? null,
    reasoningEffort: spawned?.effort || null,
    agentsStates: Object.fromEntries(Object.entries(item.agents_states).map(([id, s]) => [id, { status: AGENT_STATUS[s.status], message: s.message }])),
  };
}

/**
 * An agent item in the protocol's shape (null: shown another way, e.g. the todo list as `turn/plan/updated`,
 * errors as `warning`). `diffs` are a patch's unified diffs by path.
 */
export function v2Item(item: ThreadItem, diffs: ReadonlyMap<string, string> = new Map(), agent?: (id: string) => SubagentInfo | undefined): V2ThreadItem | null {
  switch (item.type) {
    case 'collab_tool_call':
      return collabItem(item, agent);
    case 'agent_message':
      return agentMessage(item.id, item.text);
    case 'reasoning':
      return { type: 'reasoning', id: item.id, summary: item.text === '' ? [] : [item.text], content: [] };
    case 'command_execution':
      return commandItem({
        id: item.id,
        command: item.command,
        cwd: item.cwd,
        status: STATUS[item.status],
        output: item.status === 'in_progress' ? null : item.aggregated_output,
        exitCode: item.exit_code,
      });
    case 'file_change':
      return {
        type: 'fileChange',
        id: item.id,
        changes: item.changes.map((c) => ({ path: c.path, kind: c.kind === 'update' ? { type: 'update', move_path: null } : { type: c.kind }, diff: diffs.get(c.path) ?? '' })),
        status: STATUS[item.status],
      };
    case 'mcp_tool_call':
      return {
        type: 'mcpToolCall',
        id: item.id,
        server: item.server,
        tool: item.tool,
        arguments: item.arguments ?? null,
        status: STATUS[item.status],
        result: item.result ? { content: item.result.content, structuredContent: item.result.structured_content ?? null } : null,
        error: item.error,
        durationMs: null,
      };
    case 'web_search': {
      const a = item.action;
      const action =
        a.type === 'search'
          ? { type: 'search' as const, query: a.query ?? null, queries: a.queries ?? null }
          : a.type === 'open_page'
            ? { type: 'openPage' as const, url: a.url ?? null }
            : a.type === 'find_in_page'
              ? { type: 'findInPage' as const, url: a.url ?? null, pattern: a.pattern ?? null }
              : { type: 'other' as const };
      return { type: 'webSearch', id: item.id, query: item.query, action };
    }
    default:
      return null;
  }
}

/** Whether a recorded apply_patch output says it applied (either output form). */
export function patchApplied(output: string | null): boolean {
  return output !== null && /^Success|^Exit code: 0\n|"exit_code":0/.test(output);
}

const COLLAB_CALLS: Record<string, V2CollabAgentToolCall['tool']> = { spawn_agent: 'spawnAgent', send_input: 'sendInput', wait_agent: 'wait', close_agent: 'closeAgent', resume_agent: 'resumeAgent' };

const jsonObject = (text: string | null): Record<string, unknown> | null => {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** A recorded status (`"running"`, `{"completed":"…"}`, `{"errored":"…"}`) in the item's form. */
function recordedState(v: unknown): { status: V2CollabAgentStatus; message: string | null } | null {
  if (typeof v === 'string') return v in AGENT_STATUS ? { status: AGENT_STATUS[v as AgentStatusName], message: null } : null;
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if ('completed' in o) return { status: 'completed', message: typeof o.completed === 'string' ? o.completed : null };
  if ('errored' in o) return { status: 'errored', message: typeof o.errored === 'string' ? o.errored : null };
  return null;
}

/** A recorded subagent tool call (its arguments and output) as a `collabAgentToolCall`, or null for another tool. */
function historyCollab(item: Extract<HistoryItem, { kind: 'tool' }>, threadId: string): V2CollabAgentToolCall | null {
  const tool = COLLAB_CALLS[item.name];
  if (!tool) return null;
  const args = jsonObject(item.input) ?? {};
  const out = jsonObject(item.output);
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
  const receivers = tool === 'spawnAgent' ? strings(out?.agent_id) : tool === 'wait' ? strings(args.targets ?? args.ids) : strings(args.target ?? args.id);
  const states: V2CollabAgentToolCall['agentsStates'] = {};
  if (tool === 'wait' && out?.status && typeof out.status === 'object') {
    for (const [id, v] of Object.entries(out.status as Record<string, unknown>)) {
      const st = recordedState(v);
      if (st) states[id] = st;
    }
  } else if (tool === 'resumeAgent' && receivers[0] !== undefined) {
    const st = recordedState(out?.status);
    if (st) states[receivers[0]] = st;
  }
  return {
    type: 'collabAgentToolCall',
    id: item.id,
    tool,
    status: out === null ? 'failed' : 'completed',
    senderThreadId: threadId,
    receiverThreadIds: receivers,
    prompt: typeof args.message === 'string' ? args.message : null,
    model: null,
    reasoningEffort: null,
    agentsStates: states,
  };
}

function historyItem(item: HistoryItem, cwd: string, threadId: string): V2ThreadItem {
  switch (item.kind) {
    case 'user':
      return userMessage(item.id, item.text);
    case 'agent':
      return agentMessage(item.id, item.text);
    case 'reasoning':
      return { type: 'reasoning', id: item.id, summary: [item.text], content: [] };
    case 'command':
      return commandItem({
        id: item.id,
        command: item.command,
        cwd: item.cwd ?? cwd,
        status: item.exitCode === null ? 'completed' : item.exitCode === 0 ? 'completed' : 'failed',
        output: item.output,
        exitCode: item.exitCode,
      });
    case 'patch':
      return {
        type: 'fileChange',
        id: item.id,
        changes: item.changes.map((c) => ({ path: resolve(cwd, c.path), kind: c.kind === 'update' ? { type: 'update', move_path: null } : { type: c.kind }, diff: c.text })),
        status: patchApplied(item.output) ? 'completed' : 'failed',
      };
    case 'tool':
      return historyCollab(item, threadId) ?? commandItem({ id: item.id, command: `${item.name} ${item.input}`, cwd, status: 'completed', output: item.output, exitCode: null });
  }
}

/** Recorded turns, with their items; `threadId`: the thread whose model made the calls recorded. */
export function v2Turns(turns: readonly HistoryTurn[], cwd: string, threadId: string): V2Turn[] {
  return turns.map((t) => ({
    id: t.id,
    rootTurnId: t.id,
    items: t.items.map((i) => historyItem(i, cwd, threadId)),
    itemsView: 'full',
    status: 'completed',
    error: null,
    startedAt: null,
    completedAt: null,
    durationMs: null,
  }));
}
