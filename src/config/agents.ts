/**
 * The effective subagent settings (`[agents]`, `[features] multi_agent`), with Codex's defaults: at most 6
 * open subagents per session, nesting depth 1 (the session's own helpers spawn none).
 */
import type { Config } from './schema.js';

export const DEFAULT_MAX_THREADS = 6;
export const DEFAULT_MAX_DEPTH = 1;

export interface AgentSettings {
  /** The subagent tools are offered (`features.multi_agent` and `agents.enabled` are not false). */
  enabled: boolean;
  /** Open subagents at once, across the whole tree of one session. */
  maxThreads: number;
  /** How deep helpers nest: the session is depth 0, its helpers depth 1, theirs 2… */
  maxDepth: number;
  defaultModel: string | undefined;
  defaultEffort: string | undefined;
  /** The provider `defaultModel` runs on (an opencodex addition). */
  defaultProvider: string | undefined;
}

export function agentSettings(config: Config): AgentSettings {
  const a = config.agents ?? {};
  return {
    enabled: config.features?.multi_agent !== false && a.enabled !== false,
    maxThreads: a.max_concurrent_threads_per_session ?? a.max_threads ?? DEFAULT_MAX_THREADS,
    maxDepth: a.max_depth ?? DEFAULT_MAX_DEPTH,
    defaultModel: a.default_subagent_model,
    defaultEffort: a.default_subagent_reasoning_effort,
    defaultProvider: a.default_subagent_provider,
  };
}
