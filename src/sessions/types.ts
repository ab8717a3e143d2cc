/**
 * Rollout records as Codex writes them (codex-compat.md §7.2): one `{"timestamp","type","payload"}` JSON
 * object per line, `session_meta` first.
 */
import type { JsonObject, ResponseItem } from '../providers/index.js';

export type RolloutKind = 'session_meta' | 'response_item' | 'turn_context' | 'event_msg' | 'compacted';

export interface RolloutLine {
  timestamp: string;
  type: RolloutKind;
  payload: JsonObject;
}

/** A subagent's thread, as Codex records it: who spawned it, how deep it is, its nickname and role. */
export interface SubagentSource {
  subagent: {
    thread_spawn: {
      parent_thread_id: string;
      depth: number;
      agent_path: string | null;
      agent_nickname: string | null;
      agent_role: string | null;
    };
  };
}

/** Where the session was started from (a subagent: the thread that spawned it). */
export type SessionSource = 'exec' | 'cli' | 'vscode' | 'mcp' | SubagentSource;

export interface SessionMeta {
  /** The thread id (UUIDv7). */
  id: string;
  /** The thread this one was forked from (`opencodex fork`). */
  forked_from_id?: string;
  /** When the thread started (ISO-8601). */
  timestamp: string;
  cwd: string;
  originator: string;
  cli_version: string;
  source: SessionSource;
  /** A subagent's parent thread (Codex writes it beside `source` too), nickname and role. */
  parent_thread_id?: string;
  agent_nickname?: string;
  agent_role?: string;
  model_provider: string;
  base_instructions: { text: string };
  git?: { commit_hash?: string; branch?: string; repository_url?: string };
}

/** Per-turn settings (`turn_context`). `model_provider` is ours: it attributes the turn's items to a provider. */
export interface TurnContext {
  turn_id: string;
  cwd: string;
  approval_policy: string;
  sandbox_policy: JsonObject;
  model: string;
  model_provider: string;
  effort?: string;
  summary: string;
  final_output_json_schema?: JsonObject;
}

/** Token counts as Codex's `token_count` event carries them (`TokenUsage`). */
export interface TokenUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  /** Present when the provider reports cache writes. */
  cache_write_input_tokens?: number;
}

/** The events a session records (`event_msg` payloads, limited persistence mode). */
export type SessionEvent =
  | { type: 'task_started'; turn_id: string; model_context_window: number }
  | { type: 'user_message'; message: string; images?: string[] }
  | { type: 'agent_message'; message: string }
  | { type: 'agent_reasoning'; text: string }
  | { type: 'token_count'; info: { total_token_usage: TokenUsage; last_token_usage: TokenUsage; model_context_window: number } }
  | { type: 'task_complete'; turn_id: string; last_agent_message: string | null; error?: { message: string } }
  | { type: 'turn_aborted'; turn_id: string; reason: 'interrupted' }
  /** The history was compacted (the `compacted` line before it holds the new history). */
  | { type: 'context_compacted' }
  /** The thread was named (`/rename`, `opencodex sessions rename`); the latest one for the thread wins. */
  | { type: 'thread_name_updated'; thread_id: string; thread_name: string }
  /** A subagent tool call finished (Codex's `item_completed` with a `CollabAgentToolCall` item). */
  | { type: 'item_completed'; thread_id: string; turn_id: string; item: CollabRecord; started_at_ms: number; completed_at_ms: number };

/**
 * One subagent tool call as the parent's rollout records it (Codex 0.171's `CollabAgentToolCall`). A resumed
 * thread rebuilds its subagents from these: who was spawned (and with which model), closed or reopened.
 * `agents_states` holds each agent's status in Codex's form: `"running"`, `{"completed": "…"}`, ….
 */
export interface CollabRecord {
  type: 'CollabAgentToolCall';
  /** The call id. */
  id: string;
  tool: 'spawn_agent' | 'send_input' | 'wait' | 'close_agent' | 'resume_agent';
  status: 'completed' | 'failed';
  sender_thread_id: string;
  receiver_thread_ids: string[];
  receiver_agents: Array<{ thread_id: string; agent_nickname: string | null }>;
  prompt?: string | null;
  model?: string;
  reasoning_effort?: string;
  /** opencodex: a spawned agent's type (null: the default) and provider, so a resumed parent knows it again. */
  agent_role?: string | null;
  model_provider?: string;
  agents_states: JsonObject;
}

/** How a thread's last turn ended, as its rollout tells (a turn with no end was cut off: the process stopped). */
export type LastTurn =
  | { status: 'completed'; message: string | null }
  | { status: 'failed'; message: string }
  | { status: 'interrupted' }
  | { status: 'unfinished' };

/**
 * What a conversation calls as things happen. Every call appends one record to the rollout file and
 * flushes it to the operating system before returning, so a killed process loses at most that record
 * (unless the disk refuses it: then it is queued, see `unwritten`).
 */
export interface RolloutRecorder {
  /** The rollout file (created on the first record). */
  readonly path: string;
  turnContext(context: TurnContext): void;
  item(item: ResponseItem): void;
  event(event: SessionEvent): void;
  /**
   * A compaction (`compacted`): the summary message's text, and the history that replaces everything
   * recorded before (a resumed thread starts from it).
   */
  compacted(message: string, replacementHistory: readonly ResponseItem[]): void;
  /**
   * Records the disk has not taken yet (a full disk): they are kept, in order, and written with the next
   * record, `sync()` or `close()`.
   */
  readonly unwritten: number;
  /** Forces the file's data to disk (called at the end of a turn). */
  sync(): void;
  close(): void;
}

/** A resumable thread, as read back from its rollout. */
export interface LoadedRollout {
  path: string;
  meta: SessionMeta;
  /** The history the next request replays (compactions and rollbacks applied). */
  history: ResponseItem[];
  /** Which provider and model produced each history item (parallel to `history`). */
  origins: ItemOrigin[];
  /**
   * Everything the thread showed, for display when it is resumed: compactions keep what came before them
   * (followed by the summary), rollbacks remove the turns they undid.
   */
  shown: ResponseItem[];
  /** The last `turn_context`, if any turn started. */
  lastTurnContext: TurnContext | undefined;
  /** Cumulative thread usage from the last `token_count`. */
  usage: TokenUsage | undefined;
  /** The last response's usage (`last_token_usage`), unless a compaction came after it. */
  lastUsage: TokenUsage | undefined;
  /** The first user prompt, for listings. */
  firstPrompt: string | undefined;
  /** The thread's name (its latest `thread_name_updated`), if it was given one. */
  threadName: string | undefined;
  /** One line each: a torn last line, and the like. */
  warnings: string[];
  /** How the last turn ended (none: no turn started). */
  lastTurn: LastTurn | undefined;
  /** The subagent tool calls recorded, oldest first. */
  collab: CollabRecord[];
}

export interface ItemOrigin {
  provider: string;
  model: string;
}
