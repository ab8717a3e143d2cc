/**
 * A resumed session's subagents, rebuilt from the subagent calls its rollout recorded (and, for each
 * child, its own rollout): finished ones keep their answers, ones whose turn never ended (the process
 * stopped) are `interrupted`, closed ones stay closed. Each can be given work again, continuing its thread.
 */
import { isReasoningEffort, lookupModel } from '../../catalog/index.js';
import { resolveProvider } from '../../config/index.js';
import { loadRollout, rolloutFiles, type CollabRecord, type LastTurn, type TokenUsage } from '../../sessions/index.js';
import { ZERO_USAGE, type AgentStatus, type Usage } from '../events.js';
import type { SubagentManager } from './manager.js';
import { DEFAULT_ROLE } from './roles.js';
import { statusFromJson } from './status.js';

interface Known {
  id: string;
  parentId: string;
  nickname: string;
  role: string;
  model: string;
  provider: string | undefined;
  effort: string | undefined;
  status: AgentStatus;
  closed: boolean;
}

function fromLastTurn(t: LastTurn | undefined): AgentStatus | undefined {
  if (!t) return undefined;
  if (t.status === 'completed') return { completed: t.message };
  if (t.status === 'failed') return { errored: t.message };
  return 'interrupted';
}

function usageOf(u: TokenUsage | undefined): Usage | undefined {
  if (!u) return undefined;
  const usage: Usage = { ...ZERO_USAGE };
  for (const k of Object.keys(usage) as Array<keyof Usage>) {
    const v = (u as unknown as Record<string, unknown>)[k];
    if (typeof v === 'number') usage[k] = v;
  }
  return usage;
}

/** Replays one thread's subagent calls: who it spawned, their last known states, which it closed. */
function replay(records: readonly CollabRecord[], fallbackModel: string): Known[] {
  const known = new Map<string, Known>();
  for (const r of records) {
    if (r.tool === 'spawn_agent' && r.status === 'completed') {
      const id = r.receiver_thread_ids[0];
      if (id === undefined || known.has(id)) continue;
      known.set(id, {
        id,
        parentId: r.sender_thread_id,
        nickname: r.receiver_agents.find((a) => a.thread_id === id)?.agent_nickname ?? id.slice(-6),
        role: r.agent_role ?? DEFAULT_ROLE,
        model: r.model ?? fallbackModel,
        provider: r.model_provider,
        effort: r.reasoning_effort,
        status: 'pending_init',
        closed: false,
      });
    }
    for (const [id, state] of Object.entries(r.agents_states)) {
      const k = known.get(id);
      const s = statusFromJson(state);
      if (k && s) k.status = s;
    }
    if (r.status !== 'completed') continue;
    for (const id of r.receiver_thread_ids) {
      const k = known.get(id);
      if (!k) continue;
      if (r.tool === 'close_agent') k.closed = true;
      else if (r.tool === 'resume_agent') k.closed = false;
    }
  }
  return [...known.values()];
}

/**
 * Registers with `manager` the subagents `records` (the resumed thread's subagent calls) spawned, and theirs,
 * depth first. Returns one line per child that could not be restored.
 */
export function restoreSubagents(
  manager: SubagentManager,
  records: readonly CollabRecord[],
  o: { home: string; parentModel: string; parentProvider: string; env: NodeJS.ProcessEnv; depth?: number; files?: Map<string, string> },
): string[] {
  const notes: string[] = [];
  const files = o.files ?? new Map(rolloutFiles(o.home).map((f) => [f.id, f.path]));
  const { catalog, loaded } = manager.choiceContext;
  const depth = (o.depth ?? 0) + 1;
  for (const k of replay(records, o.parentModel)) {
    if (manager.get(k.id)) continue;
    const role = manager.roles.get(k.role) ?? manager.roles.get(DEFAULT_ROLE);
    if (!role) continue;
    let provider;
    try {
      provider = resolveProvider(loaded, o.env, k.provider ?? o.parentProvider);
    } catch (err) {
      notes.push(`subagent ${k.nickname} (${k.id}) is not restored: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const model = lookupModel(catalog, k.model, loaded.config);
    const effort = isReasoningEffort(k.effort) ? k.effort : undefined;
    const path = files.get(k.id);
    let status = k.status;
    let usage: Usage | undefined;
    let childRecords: CollabRecord[] = [];
    if (path) {
      try {
        const r = loadRollout(path);
        status = fromLastTurn(r.lastTurn) ?? status;
        usage = usageOf(r.usage);
        childRecords = r.collab;
      } catch {
        // An unreadable child rollout: its last state from the parent's records stands.
      }
    }
    if (k.closed) status = 'shutdown';
    manager.restore(
      { id: k.id, nickname: k.nickname, role, parentId: k.parentId, depth, choice: { model, provider, effort, from: 'parent' } },
      { status, closed: k.closed, usage, rolloutPath: path },
    );
    if (childRecords.length > 0) {
      notes.push(...restoreSubagents(manager, childRecords, { ...o, parentModel: k.model, parentProvider: provider.id, depth, files }));
    }
  }
  return notes;
}
