/** What an agent session is made from, and how its turns are run (the types of session.ts). */
import type { ResolvedModel } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import type { InputImage, ModelClient, ResponseItem, ToolSpec } from '../providers/index.js';
import type { RolloutRecorder, TokenUsage } from '../sessions/index.js';
import type { AgentEvent } from './events.js';
import type { PermissionsContext } from './prompt/permissions.js';
import type { ToolHandler } from './tool-types.js';

export interface SessionOptions {
  home: string;
  cwd: string;
  config: Config;
  model: ResolvedModel;
  client: ModelClient;
  permissions: PermissionsContext;
  tools: readonly ToolHandler[];
  /** Tools of the session itself rather than of its model (the subagent tools): kept when the model changes. */
  sessionTools?: readonly ToolHandler[];
  /** Tools the server runs (web_search), offered with the handlers' specs. */
  hostedTools?: readonly ToolSpec[];
  /** Base instructions (default: ours, or the `model_instructions_file` text given by the caller). */
  instructions?: string;
  env?: NodeJS.ProcessEnv;
  threadId?: string;
  /** Runs before `turn.completed` (the plan tool completes its todo list there). */
  beforeComplete?: () => void;
  /** The provider id, recorded with each turn so a resumed thread knows who wrote its items. */
  providerId?: string;
  /** Records the thread as it happens (none: an ephemeral session). */
  recorder?: RolloutRecorder;
  /** Values kept out of history.jsonl (the rollout recorder's secrets), redacted the same way. */
  secrets?: readonly string[];
  /**
   * A resumed thread: its history, cumulative usage, and the usage of its last response since its last
   * compaction (how full the context is).
   */
  restored?: { history: readonly ResponseItem[]; usage?: TokenUsage | undefined; lastUsage?: TokenUsage | undefined };
  /**
   * A subagent's thread: its prompts come from its parent agent, not the user, so they stay out of
   * history.jsonl, and its turns run no `notify` program.
   */
  subagent?: boolean;
  /** Context that arrived since the last request (finished subagents' notifications), sent with the next one. */
  pendingInput?: () => ResponseItem[];
  /** Called as each turn starts with its cancellation signal (subagents are interrupted with their parent's turn). */
  onTurnSignal?: (signal: AbortSignal) => void;
  /** The summary request of a compaction (`compact_prompt`, else the `experimental_compact_prompt_file` text); default ours. */
  compactPrompt?: string;
}

/** How a turn or `/compact` runs: cancellation and where events go. */
export interface RunControl {
  signal: AbortSignal;
  emit: (event: AgentEvent) => void;
}

export interface UserInput {
  text: string;
  images?: InputImage[];
}
