/**
 * What the agent core tells its front ends. Items and their fields follow `codex exec --json`
 * (codex-compat.md §6.2), so the exec front end prints them as they are; the interactive UI renders the
 * same events, plus the streaming deltas that JSON mode does not show.
 */

export interface AgentMessageItem {
  id: string;
  type: 'agent_message';
  /** With an output schema, the JSON text of the answer. */
  text: string;
}

export interface ReasoningItem {
  id: string;
  type: 'reasoning';
  text: string;
}

export type CommandStatus = 'in_progress' | 'completed' | 'failed' | 'declined';

export interface CommandExecutionItem {
  id: string;
  type: 'command_execution';
  command: string;
  /** The directory the command ran in (absolute): the session's, or the `workdir` the model gave. */
  cwd: string;
  aggregated_output: string;
  exit_code: number | null;
  status: CommandStatus;
}

export type PatchChangeKind = 'add' | 'delete' | 'update';

export interface FileChangeItem {
  id: string;
  type: 'file_change';
  changes: Array<{ path: string; kind: PatchChangeKind }>;
  status: 'in_progress' | 'completed' | 'failed';
}

export interface TodoListItem {
  id: string;
  type: 'todo_list';
  items: Array<{ text: string; completed: boolean }>;
}

export interface McpToolCallItem {
  id: string;
  type: 'mcp_tool_call';
  server: string;
  tool: string;
  arguments: unknown;
  result: { content: unknown[]; structured_content: unknown } | null;
  error: { message: string } | null;
  status: 'in_progress' | 'completed' | 'failed';
}

/** What a hosted web search did (codex-compat.md §6.2); fields the server left out are absent. */
export type WebSearchAction =
  | { type: 'search'; query?: string; queries?: string[] }
  | { type: 'open_page'; url?: string }
  | { type: 'find_in_page'; url?: string; pattern?: string }
  | { type: 'other' };

export interface WebSearchItem {
  id: string;
  type: 'web_search';
  /**
   * The provider's id of the search (`ws_…`). Codex prints it as a second `id` key after `type` in
   * `exec --json` (so JSON parsers see it as the item's id); the JSONL renderer does the same.
   */
  provider_id: string;
  /** The query (or opened URL, or `'pattern' in url`); empty until the server says. */
  query: string;
  action: WebSearchAction;
}

/**
 * A subagent's status, in Codex's form (what `wait_agent` reports): a name, or a name with the final
 * message (`completed`: the last answer, null when it wrote none) or the error (`errored`).
 */
export type AgentStatus =
  | 'pending_init'
  | 'running'
  | 'interrupted'
  | 'shutdown'
  | 'not_found'
  | { completed: string | null }
  | { errored: string };

export type AgentStatusName = 'pending_init' | 'running' | 'interrupted' | 'shutdown' | 'not_found' | 'completed' | 'errored';

export type CollabTool = 'spawn_agent' | 'send_input' | 'wait' | 'close_agent' | 'resume_agent';

/**
 * A subagent tool call (`exec --json`'s `collab_tool_call`, codex-compat.md §6.2): who called, which
 * agents it concerned, the message sent (spawn, send_input), and the agents' states when it finished.
 */
export interface CollabToolCallItem {
  id: string;
  type: 'collab_tool_call';
  tool: CollabTool;
  sender_thread_id: string;
  receiver_thread_ids: string[];
  prompt: string | null;
  agents_states: Record<string, { status: AgentStatusName; message: string | null }>;
  status: 'in_progress' | 'completed' | 'failed';
  /** Why a failed call failed, for front ends (not part of `exec --json`, as Codex's item has no such field). */
  error?: string;
}

/** A non-fatal problem worth showing (config warnings, unknown model notices, tool errors). */
export interface ErrorItem {
  id: string;
  type: 'error';
  message: string;
}

export type ThreadItem =
  | AgentMessageItem
  | ReasoningItem
  | CommandExecutionItem
  | FileChangeItem
  | TodoListItem
  | McpToolCallItem
  | WebSearchItem
  | CollabToolCallItem
  | ErrorItem;

export interface Usage {
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
}

export const ZERO_USAGE: Usage = Object.freeze({
  input_tokens: 0,
  cached_input_tokens: 0,
  cache_write_input_tokens: 0,
  output_tokens: 0,
  reasoning_output_tokens: 0,
});

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    cache_write_input_tokens: a.cache_write_input_tokens + b.cache_write_input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_output_tokens: a.reasoning_output_tokens + b.reasoning_output_tokens,
  };
}

/** One file's change in a patch, as a unified diff (for front ends that show diffs; not a JSON event). */
export interface PatchFileDiff {
  /** Absolute path the patch names. */
  path: string;
  kind: PatchChangeKind;
  /** Absolute destination when the update also moves the file. */
  move_path?: string;
  diff: string;
  /** The file's text before and after (null: no file then), for front ends that show whole files. */
  old_text?: string | null;
  new_text?: string | null;
}

/**
 * One subagent as front ends show it: who it is, where it runs, what it is doing, what it has cost.
 * Sent as `subagent.updated` whenever any of it changes.
 */
export interface SubagentInfo {
  /** Its thread id (what the model passes as `target`). */
  id: string;
  nickname: string;
  /** Its agent type (`explorer`, a custom agent's name), or null for the default. */
  role: string | null;
  /** The thread that spawned it, and how deep it is (the session's own helpers are depth 1). */
  parent_id: string;
  depth: number;
  model: string;
  provider: string;
  effort: string | null;
  status: AgentStatus;
  /** What it is doing right now, in a few words (`running npm test`, `thinking`); null when idle. */
  activity: string | null;
  /** Its thread's cumulative usage, and what that cost where the catalog has the model's prices. */
  usage: Usage;
  cost_usd: number | null;
  /** Its own rollout file (null for an ephemeral session). */
  rollout_path: string | null;
}

export type AgentEvent =
  | { type: 'thread.started'; thread_id: string }
  | { type: 'turn.started' }
  | { type: 'item.started'; item: ThreadItem }
  | { type: 'item.updated'; item: ThreadItem }
  | { type: 'item.completed'; item: ThreadItem }
  /** Usage is the cumulative thread total. */
  | { type: 'turn.completed'; usage: Usage }
  | { type: 'turn.failed'; error: { message: string } }
  /** Retry notices and other non-fatal errors ("Reconnecting... 2/5 (…)"). */
  | { type: 'error'; message: string }
  /**
   * A problem the turn goes on despite, told once (the session file cannot be written: a full disk).
   * `exec` prints it as a `warning:` line; `exec --json` as an `error` event, as Codex has no other.
   */
  | { type: 'warning'; message: string }
  /** Streaming text of the agent message being written (UI only; not printed in JSON mode). */
  | { type: 'agent_message.delta'; delta: string }
  | { type: 'reasoning.delta'; delta: string }
  /** Output of a running command as it arrives (UI only). */
  | { type: 'command_output.delta'; item_id: string; delta: string }
  /** The diffs of an applied patch, sent between its file_change item's started and completed (UI only). */
  | { type: 'patch.diff'; item_id: string; diffs: PatchFileDiff[] }
  /**
   * The history was compacted: the conversation so far was summarized and replaced (not a `codex exec
   * --json` event). Token counts: the last known context size, and an estimate of what replaced it.
   */
  | { type: 'context.compacted'; trigger: 'manual' | 'auto' | 'overflow'; tokens_before: number; tokens_after: number }
  /**
   * A model response reported its usage (UI only; not printed in JSON mode): `last` is that response's
   * (its input + output is how full the context is now), `total` the thread's cumulative usage.
   */
  | { type: 'usage.updated'; last: Usage; total: Usage }
  /** A subagent was spawned, or its status, activity or usage changed (UI only). */
  | { type: 'subagent.updated'; agent: SubagentInfo }
  /**
   * An event of a subagent's own thread (its items, deltas, usage), for a front end that shows its
   * transcript (UI only; `exec --json` prints only the parent's `collab_tool_call` items, as Codex does).
   */
  | { type: 'subagent.event'; agent_id: string; event: AgentEvent };
