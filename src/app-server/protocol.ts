/**
 * The part of Codex 0.171's app-server protocol (v2) opencodex speaks, as TypeScript types: what it sends.
 * Names and shapes follow Codex's generated JSON Schema (`codex app-server generate-json-schema`); the
 * tests validate every message against it. Fields Codex sends as null are sent as null where the schema
 * marks them required or clients read them.
 */

export type RequestId = string | number;

export type V2SandboxPolicy =
  | { type: 'dangerFullAccess' }
  | { type: 'readOnly'; networkAccess: boolean }
  | { type: 'workspaceWrite'; writableRoots: string[]; networkAccess: boolean; excludeTmpdirEnvVar: boolean; excludeSlashTmp: boolean };

export type V2AskForApproval = 'untrusted' | 'on-request' | 'never' | { granular: Record<string, boolean> };

export type V2ThreadStatus = { type: 'notLoaded' } | { type: 'idle' } | { type: 'active'; activeFlags: Array<'waitingOnApproval' | 'waitingOnUserInput'> };

export type V2UserInput =
  | { type: 'text'; text: string; text_elements?: unknown[] }
  | { type: 'image'; url: string }
  | { type: 'localImage'; path: string }
  | { type: 'skill' | 'mention'; name: string; path: string };

export type V2PatchKind = { type: 'add' } | { type: 'delete' } | { type: 'update'; move_path: string | null };

export type V2CommandStatus = 'inProgress' | 'completed' | 'failed' | 'declined';

export type V2ThreadItem =
  | { type: 'userMessage'; id: string; clientId: string | null; content: V2UserInput[] }
  | {
      type: 'agentMessage';
      id: string;
      text: string;
      phase: null;
      memoryCitation: null;
      moderation: null;
      delivery: null;
      questions: null;
    }
  | { type: 'reasoning'; id: string; summary: string[]; content: string[] }
  | {
      type: 'commandExecution';
      id: string;
      command: string;
      cwd: string;
      commandActions: Array<{ type: 'unknown'; command: string }>;
      status: V2CommandStatus;
      aggregatedOutput: string | null;
      exitCode: number | null;
      durationMs: number | null;
      processId: null;
      source: 'agent';
      pluginId: null;
      scriptPath: null;
    }
  | { type: 'fileChange'; id: string; changes: Array<{ path: string; kind: V2PatchKind; diff: string }>; status: V2CommandStatus }
  | {
      type: 'mcpToolCall';
      id: string;
      server: string;
      tool: string;
      arguments: unknown;
      status: 'inProgress' | 'completed' | 'failed';
      result: { content: unknown[]; structuredContent: unknown } | null;
      error: { message: string } | null;
      durationMs: null;
    }
  | { type: 'webSearch'; id: string; query: string; action: V2WebSearchAction | null }
  | { type: 'contextCompaction'; id: string }
  /** A review turn (review/start): `review` says what is reviewed when it starts, and holds the review when it ends. */
  | { type: 'enteredReviewMode'; id: string; review: string }
  | { type: 'exitedReviewMode'; id: string; review: string }
  | V2CollabAgentToolCall;

export type V2CollabAgentStatus = 'pendingInit' | 'running' | 'interrupted' | 'completed' | 'errored' | 'shutdown' | 'notFound';

/** A subagent tool call of the thread's model (spawn, send input, wait, close, resume). */
export interface V2CollabAgentToolCall {
  type: 'collabAgentToolCall';
  id: string;
  tool: 'spawnAgent' | 'sendInput' | 'resumeAgent' | 'wait' | 'closeAgent';
  status: 'inProgress' | 'completed' | 'failed' | 'interrupted';
  senderThreadId: string;
  receiverThreadIds: string[];
  prompt: string | null;
  /** The spawned agent's model and reasoning effort (spawnAgent). */
  model: string | null;
  reasoningEffort: string | null;
  agentsStates: Record<string, { status: V2CollabAgentStatus; message: string | null }>;
}

export type V2WebSearchAction =
  | { type: 'search'; query: string | null; queries: string[] | null }
  | { type: 'openPage'; url: string | null }
  | { type: 'findInPage'; url: string | null; pattern: string | null }
  | { type: 'other' };

export interface V2Turn {
  id: string;
  rootTurnId: string;
  items: V2ThreadItem[];
  itemsView: 'notLoaded' | 'summary' | 'full';
  status: 'completed' | 'interrupted' | 'failed' | 'inProgress';
  error: { message: string; codexErrorInfo: null; additionalDetails: null } | null;
  startedAt: number | null;
  completedAt: number | null;
  durationMs: number | null;
}

export interface V2Thread {
  id: string;
  sessionId: string;
  forkedFromId: string | null;
  parentThreadId: null;
  preview: string;
  ephemeral: boolean;
  projectId: null;
  historyMode: 'legacy';
  modelProvider: string;
  model: string | null;
  reasoningEffort: string | null;
  createdAt: number;
  updatedAt: number;
  recencyAt: number;
  status: V2ThreadStatus;
  path: string | null;
  cwd: string;
  cliVersion: string;
  originator: string | null;
  source: 'cli' | 'vscode' | 'exec' | 'appServer' | 'unknown';
  threadSource: null;
  agentNickname: null;
  agentRole: null;
  gitInfo: null;
  name: string | null;
  turns: V2Turn[];
}

export interface V2TokenUsageBreakdown {
  totalTokens: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
}

/** The thread settings every thread/start, resume and fork response carries. */
export interface V2ThreadSettings {
  model: string;
  modelProvider: string;
  serviceTier: string | null;
  cwd: string;
  approvalPolicy: V2AskForApproval;
  approvalsReviewer: 'user';
  sandbox: V2SandboxPolicy;
  reasoningEffort: string | null;
  instructionSources: string[];
  disabledPluginIds: string[];
}
