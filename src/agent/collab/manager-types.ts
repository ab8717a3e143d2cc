/** The subagent manager's parts others build on: the wait bounds, a child's spec and runtime, its owner. */
import type { AgentSettings } from '../../config/index.js';
import type { ResponseItem } from '../../providers/index.js';
import type { AgentSession } from '../session.js';
import type { ChildModel, ModelChoiceContext, ParentModel } from './model-choice.js';
import type { Role } from './roles.js';

/** wait_agent's timeout when the model gives none, and the bounds any it gives is clamped to. */
export const DEFAULT_WAIT_MS = 30_000;
export const MIN_WAIT_MS = 1;
export const MAX_WAIT_MS = 300_000;

/** A wait's timeout: the default when none is given, else clamped to 1 ms–5 min. */
export function waitTimeout(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_WAIT_MS;
  return Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, Math.round(ms)));
}

/** The session (or subagent) calling the tools: what its children inherit and where its calls are recorded. */
export interface CollabOwner {
  threadId: string;
  /** 0 for the session itself, 1 for its helpers… */
  depth: number;
  /** Its model now (a child runs on it when nothing else is chosen). */
  parent(): ParentModel;
  /** Its conversation so far (a child spawned with `fork_context` starts from it). */
  history?: () => readonly ResponseItem[];
}

export interface ChildSpec {
  id: string;
  nickname: string;
  role: Role;
  parentId: string;
  depth: number;
  choice: ChildModel;
  /** `fork_context`: the parent's conversation the child starts from (its task follows it). */
  forked?: ResponseItem[];
}

/**
 * The part of a parent's conversation a forked child can continue: every item but tool calls that have no
 * output yet (the spawn call itself and its siblings), and without reasoning when the child runs on
 * another model (encrypted reasoning belongs to the model that wrote it).
 */
export function forkableHistory(history: readonly ResponseItem[], sameModel: boolean): ResponseItem[] {
  const answered = new Set<string>();
  for (const item of history) if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') answered.add(item.call_id);
  return history.filter((item) => {
    if (item.type === 'function_call' || item.type === 'custom_tool_call') return answered.has(item.call_id);
    return sameModel || item.type !== 'reasoning';
  });
}

/** A child's running session, as the factory builds it. */
export interface ChildRuntime {
  session: AgentSession;
  rolloutPath: string | null;
  /** Problems starting it that did not stop it (its agent type's MCP servers that failed), one line each. */
  warnings: readonly string[];
  /** Ends what the child left running (its commands, its own MCP servers) and closes its rollout. */
  dispose(): Promise<void>;
}

/**
 * Builds a child's session: a new one, or (`resumeFrom`) one continuing the child's recorded thread.
 * `signal` gives up on what is still starting (the session is ending).
 */
export type ChildFactory = (spec: ChildSpec, o?: { resumeFrom?: string | undefined; signal?: AbortSignal }) => Promise<ChildRuntime>;

export interface SubagentManagerOptions {
  settings: AgentSettings;
  roles: ReadonlyMap<string, Role>;
  choice: ModelChoiceContext;
  factory: ChildFactory;
}
