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

/** Where the session was started from. */
export type SessionSource = 'exec' | 'cli' | 'vscode' | 'mcp';

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
  | { type: 'thread_name_updated'; thread_id: string; thread_name: string };

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
}

export interface ItemOrigin {
  provider: string;
  model: string;
}
