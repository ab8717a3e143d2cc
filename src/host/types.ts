/** What the editor front ends (the app server, ACP) and the thread host say to each other. */
import type { AgentEvent, FrontEndContext, ReviewOutput, TurnOutcome, UserInput } from '../agent/index.js';
import type { ApprovalPolicySetting, SandboxMode } from '../config/index.js';
import type { ApprovalQuestion, ApprovalReply } from '../sandbox/index.js';

/**
 * What a client may choose for a thread (all optional: the configuration decides the rest, as it does for
 * `opencodex` run in that directory). `config` holds dotted keys (`model_reasoning_effort`,
 * `sandbox_workspace_write.network_access`) with JSON values, applied like `-c`.
 */
export interface ThreadRequest {
  cwd?: string | undefined;
  model?: string | undefined;
  modelProvider?: string | undefined;
  sandbox?: SandboxMode | undefined;
  approvalPolicy?: ApprovalPolicySetting | undefined;
  developerInstructions?: string | undefined;
  config?: Readonly<Record<string, unknown>> | undefined;
}

/** Resolves a thread's settings (config layers, catalog, model, provider) the way the CLI does for a run. */
export type ResolveSettings = (request: ThreadRequest) => Promise<FrontEndContext>;

/** A thread as front ends describe it. */
export interface ThreadInfo {
  id: string;
  /** The rollout file (null: an ephemeral thread, never written). */
  path: string | null;
  cwd: string;
  model: string;
  modelProvider: string;
  /** Seconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  name: string | null;
  /** The first prompt ('' before one). */
  preview: string;
  ephemeral: boolean;
  forkedFromId: string | null;
  /** Who started it: `vscode` (editors), `cli`, `exec`. */
  source: string;
  /** The client (or CLI) that created it. */
  originator: string | null;
  /** Loaded in this server, and whether a turn runs. */
  status: 'notLoaded' | 'idle' | 'active';
}

/** What happens in a loaded thread, in order. `agent` events belong to the turn named. */
export type ThreadEvent =
  /**
   * `compaction`: the turn compacts the history (thread/compact/start) instead of answering input.
   * `review`: the turn is a code review (review/start) of what this says ("current changes", …); `input`
   * is what it shows as the request.
   */
  | { kind: 'turn.begin'; turnId: string; input: UserInput; startedAt: number; compaction?: boolean; review?: string }
  /** A review turn's result, before its `turn.end`: the review's text (findings formatted), and the findings. */
  | { kind: 'review.exited'; turnId: string; text: string; review: ReviewOutput | null }
  | { kind: 'agent'; turnId: string; event: AgentEvent }
  /** Input steered into the running turn (sent with its next request). */
  | { kind: 'turn.steered'; turnId: string; input: UserInput }
  | { kind: 'turn.end'; turnId: string; outcome: TurnOutcome; startedAt: number; completedAt: number };

/** Whoever answers a turn's approval questions (the client that started the turn). */
export type Asker = (question: ApprovalQuestion, turn: { turnId: string; signal: AbortSignal }) => Promise<ApprovalReply>;
