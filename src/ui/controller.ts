/**
 * The interactive session's state and behaviour, apart from React: the agent, the transcript, the prompt
 * editor, the question or picker on screen, the running turn. The terminal components only draw a
 * snapshot of it and pass keys in; tests and the benchmark drive it directly.
 */
import { createAgent, discoverAgentsMd, loadImage, modelBinding, permissionsFor, type Agent, type AgentSession, type ToolSet } from '../agent/index.js';
import { chooseEffort, isReasoningEffort, type Catalog, type ResolvedModel } from '../catalog/index.js';
import type { ApprovalPolicySetting, Config, LoadedConfig, ProviderInfo } from '../config/index.js';
import type { McpConnections } from '../mcp/index.js';
import type { InputImage } from '../providers/index.js';
import type { PreparedResume } from '../sessions/index.js';
import { ApprovalSession, basePolicy, describePolicy, type ApprovalQuestion, type ApprovalReply, type Approver } from '../sandbox/index.js';
import { promptTooLong } from '../shared/index.js';
import { emptyEditor, type EditorState } from './editor.js';
import type { PickerItem } from './model-picker.js';
import { UsageMeter } from './meter.js';
import { Store } from './store.js';
import type { StatusInfo } from './status.js';
import type { Style } from './style.js';
import { Transcript, type HistoryEntry, type LiveState, type UiEvent } from './transcript.js';
import { NO_EXTRAS, type PromptExtras } from './prompt-extras.js';
import { runUserShell, shellCommandOf } from './user-shell.js';

export interface UiSettings {
  loaded: LoadedConfig;
  catalog: Catalog;
  model: ResolvedModel;
  provider: ProviderInfo;
  cwd: string;
  addDirs: readonly string[];
  approvalPolicy: ApprovalPolicySetting;
}

/** What the session keeps outside itself (history.jsonl, rollouts); all optional. */
export interface UiPersistence {
  /** Earlier prompts for up-arrow recall, oldest first. */
  recall?: readonly string[];
  /** Called with each prompt the user sends. */
  rememberPrompt?: (text: string, threadId: string) => void;
}

export interface ControllerOptions {
  settings: UiSettings;
  style: Style;
  env?: NodeJS.ProcessEnv;
  persistence?: UiPersistence;
  /** The user asked to leave. */
  onExit: () => void;
  /** Record the session in a rollout (with the resolved key, kept out of the file); leave out for none. */
  rollout?: { token: string | null };
  /** The MCP servers started for the session (kept across /new, /model and resume); see also `useMcp`. */
  mcp?: McpConnections;
  /** Makes the agent (tests pass a fake); default: `createAgent`. */
  makeAgent?: (approver: Approver, resume?: PreparedResume) => Agent;
  now?: () => number;
}

export type Overlay =
  | { kind: 'approval'; question: ApprovalQuestion; selected: number; explaining: EditorState | null }
  | { kind: 'picker'; title: string; items: readonly PickerItem<unknown>[]; selected: number; /** A dim line under the items ("loading…"). */ note?: string };

export interface Snapshot {
  history: readonly HistoryEntry[];
  live: LiveState;
  editor: EditorState;
  overlay: Overlay | null;
  running: boolean;
  turnStartedAt: number | null;
  queued: readonly string[];
  /** A one-line hint above the footer ("Press Ctrl-C again to exit"). */
  hint: string | null;
  status: StatusInfo;
  columns: number;
  rows: number;
  /** The session is closing: only the history stays on screen. */
  exiting: boolean;
  /** The MCP servers still starting (prompts wait for them), or null. */
  mcpStarting: readonly string[] | null;
  /** Ctrl-R history search and the `@` file popup. */
  extras: PromptExtras;
}

export class UiController extends Store<Snapshot> implements Approver {
  readonly transcript: Transcript;
  readonly style: Style;
  settings: UiSettings;
  agent: Agent;
  tools: ToolSet;
  approvals: ApprovalSession;
  config: Config;
  editor: EditorState;
  overlay: Overlay | null = null;
  queued: string[] = [];
  hint: string | null = null;
  /** Ctrl-R history search and the `@` file popup, set by the key handling (prompt-keys.ts). */
  extras: PromptExtras = NO_EXTRAS;
  columns = 80;
  rows = 24;
  exiting = false;
  /** The MCP servers the session's tools come from. */
  mcp: McpConnections | undefined;
  /** Names of the MCP servers still starting; prompts sent meanwhile are queued. */
  mcpStarting: readonly string[] | null = null;
  /** Set once the first turn has run: there is something to resume. */
  usedSession = false;
  /** The thread's name (`/rename`), shown in the footer and /status. */
  threadName: string | null = null;
  private abort: AbortController | null = null;
  private turnStartedAt: number | null = null;
  private pendingApproval: ((reply: ApprovalReply) => void) | null = null;
  private pendingPick: { pick: (value: unknown) => void; cancel: () => void } | null = null;
  /** Tokens used and context left, as the agent reports them. */
  readonly meter = new UsageMeter();
  private images: InputImage[] = [];
  private imagePaths: string[] = [];
  private readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;

  constructor(readonly o: ControllerOptions) {
    super();
    this.style = o.style;
    this.settings = o.settings;
    this.env = o.env ?? process.env;
    this.now = o.now ?? (() => Date.now());
    this.config = { ...o.settings.loaded.config };
    this.transcript = new Transcript({ style: o.style, hideReasoning: this.config.hide_agent_reasoning === true, cwd: o.settings.cwd, now: this.now });
    this.editor = emptyEditor(o.persistence?.recall ?? []);
    this.mcp = o.mcp;
    this.agent = this.makeAgent();
    this.tools = this.agent.tools;
    this.approvals = this.agent.approvals;
  }

  makeAgent(resume?: PreparedResume): Agent {
    if (this.o.makeAgent) return this.o.makeAgent(this, resume);
    const s = this.settings;
    const rollout = this.o.rollout;
    return createAgent({
      loaded: { ...s.loaded, config: this.config },
      catalog: s.catalog,
      model: s.model,
      provider: s.provider,
      cwd: s.cwd,
      addDirs: s.addDirs,
      approvalPolicy: s.approvalPolicy,
      approver: this,
      exec: false,
      env: this.env,
      ...(this.mcp ? { mcp: this.mcp } : {}),
      ...(rollout ? { rollout: { source: 'cli' as const, originator: this.env.CODEX_INTERNAL_ORIGINATOR_OVERRIDE ?? 'opencodex_cli', token: rollout.token } } : {}),
      ...(resume
        ? {
            threadId: resume.rollout.meta.id,
            resume: {
              history: resume.history,
              usage: resume.rollout.usage,
              lastUsage: resume.rollout.lastUsage,
              instructions: resume.rollout.meta.base_instructions.text,
              path: resume.rollout.path,
              collab: resume.rollout.collab,
            },
          }
        : {}),
    });
  }

  /** Continues a recorded thread: its model and provider, its history shown, then new turns appended. */
  resumeFrom(prepared: PreparedResume, entries: readonly string[], notice = `resumed session ${prepared.rollout.meta.id}`): void {
    this.interrupt();
    // Another conversation: the commands the old one left running end with it.
    void this.agent.subagents?.shutdown();
    this.agent.execSessions.terminateAll();
    this.settings = { ...this.settings, model: prepared.model, provider: prepared.provider };
    this.config = { ...this.config, model: prepared.model.requested, model_provider: prepared.provider.id };
    const effort = prepared.rollout.lastTurnContext?.effort;
    const takes = prepared.model.facts.reasoningEfforts;
    if (isReasoningEffort(effort) && (takes === null || takes.includes(effort))) this.config.model_reasoning_effort = effort;
    this.agent = this.makeAgent(prepared);
    this.tools = this.agent.tools;
    this.approvals = this.agent.approvals;
    this.threadName = prepared.rollout.threadName ?? null;
    this.transcript.notice(notice);
    this.transcript.printAll(entries);
    for (const n of prepared.notes) this.transcript.notice(n);
    this.meter.restore(this.session.usage, prepared.rollout.lastUsage, this.session.history);
    this.usedSession = true;
    this.changed();
  }

  get session(): AgentSession {
    return this.agent.session;
  }

  get running(): boolean {
    return this.abort !== null;
  }

  // --- the snapshot the components draw (Store gives subscribe, getSnapshot, changed, flush) ---

  protected makeSnapshot(): Snapshot {
    return {
      history: this.transcript.history,
      live: this.transcript.live,
      editor: this.editor,
      overlay: this.overlay,
      running: this.running,
      turnStartedAt: this.turnStartedAt,
      queued: this.queued,
      hint: this.hint,
      status: this.statusInfo(),
      columns: this.columns,
      rows: this.rows,
      exiting: this.exiting,
      mcpStarting: this.mcpStarting,
      extras: this.extras,
    };
  }

  resize(columns: number, rows: number): void {
    this.columns = Math.max(10, columns);
    this.rows = Math.max(5, rows);
    this.changed();
  }

  effort(): string {
    return chooseEffort(this.session.model, this.config.model_reasoning_effort).effort ?? 'none';
  }

  statusInfo(): StatusInfo {
    const config = this.config;
    const agents = discoverAgentsMd({
      home: this.settings.loaded.home,
      cwd: this.settings.cwd,
      projectRootMarkers: config.project_root_markers ?? ['.git'],
      fallbackFilenames: config.project_doc_fallback_filenames ?? [],
      maxBytes: config.project_doc_max_bytes ?? 32768,
    });
    return {
      model: this.session.model,
      effort: this.effort(),
      provider: this.settings.provider.id,
      sandbox: config.sandbox_mode ?? 'read-only',
      approval: basePolicy(this.approvals.policy),
      usage: this.meter.usage,
      contextTokens: this.meter.contextTokens,
      contextEstimated: this.meter.estimated,
      sessionId: this.session.threadId,
      threadName: this.threadName,
      agentsFiles: agents.files,
    };
  }

  sandboxDetail(): string {
    return describePolicy(this.agent.sandbox);
  }

  // --- turns ---

  /** Attaches images (`-i`) to the next prompt. */
  attachImages(paths: readonly string[]): void {
    for (const p of paths) this.images.push(loadImage(p, this.settings.cwd));
    this.imagePaths.push(...paths);
    if (this.images.length > 0 && !this.session.model.facts.inputModalities.includes('image')) {
      this.transcript.notice(`model ${this.session.model.requested} takes text only; the attached images are not sent`);
      this.images = [];
      this.imagePaths = [];
    }
  }

  /** Refuses a prompt that cannot be sent (over 1 MiB characters), saying why in the transcript. */
  refusePrompt(text: string): boolean {
    const problem = promptTooLong(text);
    if (problem === undefined) return false;
    this.transcript.error(problem);
    this.changed();
    return true;
  }

  /** Sends a prompt: now, or after the running turn (or once the MCP servers have started). */
  send(text: string): void {
    if (this.refusePrompt(text)) return;
    if (this.running || this.mcpStarting) {
      this.queued = [...this.queued, text];
      this.changed();
      return;
    }
    void this.runTurn(text);
  }

  async runTurn(text: string): Promise<void> {
    // `!cmd` runs a shell command instead of a turn.
    const shell = shellCommandOf(text);
    if (shell !== null) {
      this.o.persistence?.rememberPrompt?.(text, this.session.threadId);
      return runUserShell(this, shell);
    }
    const images = this.images;
    const paths = this.imagePaths;
    this.images = [];
    this.imagePaths = [];
    this.transcript.user(text, paths);
    this.o.persistence?.rememberPrompt?.(text, this.session.threadId);
    this.usedSession = true;
    const abort = new AbortController();
    this.abort = abort;
    this.turnStartedAt = this.now();
    this.changed();
    const emit = (event: UiEvent): void => this.handleEvent(event);
    try {
      const outcome = await this.session.runTurn({ text, images }, { signal: abort.signal, emit });
      if (outcome.status === 'interrupted') this.transcript.finishTurn(true);
    } catch (err) {
      this.transcript.finishTurn();
      this.transcript.error(err instanceof Error ? err.message : String(err));
    } finally {
      this.settle();
    }
    this.afterRun(abort);
  }

  /**
   * Runs `work` as the session's running task, as a turn runs: Esc interrupts it, prompts sent meanwhile
   * are queued, its events go to the transcript (a `!cmd`).
   */
  async runTask(work: (control: { signal: AbortSignal; emit: (event: UiEvent) => void }) => Promise<void>): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    this.turnStartedAt = this.now();
    this.changed();
    try {
      await work({ signal: abort.signal, emit: (event) => this.handleEvent(event) });
    } catch (err) {
      this.transcript.error(err instanceof Error ? err.message : String(err));
    } finally {
      this.settle();
    }
    this.afterRun(abort);
  }

  /** `/compact`: summarizes the conversation so far; it runs like a turn (Esc interrupts it). */
  async compact(): Promise<void> {
    if (this.running) return;
    if (this.session.history.length === 0) {
      this.transcript.notice('nothing to compact yet');
      this.changed();
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.turnStartedAt = this.now();
    this.transcript.notice('Compacting the conversation…');
    this.changed();
    try {
      const emit = (event: UiEvent): void => this.handleEvent(event);
      const r = await this.session.compact({ signal: abort.signal, emit, trigger: 'manual' });
      if (r.status === 'failed') this.transcript.error(`compacting the conversation failed: ${r.message}`);
      else if (r.status === 'interrupted') this.transcript.error('Compaction interrupted; the conversation is unchanged.');
    } catch (err) {
      this.transcript.error(err instanceof Error ? err.message : String(err));
    } finally {
      this.settle();
    }
    this.afterRun(abort);
  }

  /** An event of the running turn or compaction: to the transcript and the token figures. */
  private handleEvent(event: UiEvent): void {
    this.transcript.handle(event);
    this.meter.handle(event);
    this.changed();
  }

  /** A turn or compaction ended: nothing runs any more. */
  private settle(): void {
    this.abort = null;
    this.turnStartedAt = null;
    this.meter.settle(this.session.usage, this.session.history);
    this.changed();
  }

  /** Runs the next queued prompt, when nothing runs and nothing is starting. */
  runQueued(): void {
    const next = this.queued[0];
    if (next === undefined || this.running || this.mcpStarting || this.exiting) return;
    this.queued = this.queued.slice(1);
    void this.runTurn(next);
  }

  /** The MCP servers have started: their tools are offered from the next request on. */
  useMcp(mcp: McpConnections): void {
    this.mcp = mcp;
    this.rebind({ model: this.session.model, provider: this.settings.provider, config: this.config });
  }

  /** After a turn or compaction: the next queued prompt runs, or after an interrupt they go back to the editor. */
  private afterRun(abort: AbortController): void {
    if (!abort.signal.aborted) this.runQueued();
    else if (abort.signal.aborted && this.queued.length > 0) {
      // After an interrupt the queued prompts go back to the editor rather than being sent.
      this.editor = { ...this.editor, text: this.queued.join('\n'), cursor: this.queued.join('\n').length };
      this.queued = [];
      this.changed();
    }
  }

  /** Esc / Ctrl-C during a turn. */
  interrupt(): void {
    if (!this.abort) return;
    this.abort.abort();
    this.answerApproval({ answer: 'deny' });
  }

  // --- approvals (the Approver the agent asks) ---

  ask(question: ApprovalQuestion): Promise<ApprovalReply> {
    return new Promise((resolve) => {
      if (this.abort?.signal.aborted) return resolve({ answer: 'deny' });
      this.pendingApproval = resolve;
      this.overlay = { kind: 'approval', question, selected: 0, explaining: null };
      this.changed();
    });
  }

  answerApproval(reply: ApprovalReply): void {
    const resolve = this.pendingApproval;
    this.pendingApproval = null;
    if (this.overlay?.kind === 'approval') this.overlay = null;
    this.changed();
    resolve?.(reply);
  }

  // --- pickers ---

  pick<T>(title: string, items: readonly PickerItem<T>[], selected = 0): Promise<T | null> {
    this.pendingPick?.cancel();
    return new Promise((resolve) => {
      this.overlay = { kind: 'picker', title, items, selected: Math.max(0, Math.min(selected, items.length - 1)) };
      this.pendingPick = { pick: (v) => resolve(v as T), cancel: () => resolve(null) };
      this.changed();
    });
  }

  endPick(value: unknown | null): void {
    const p = this.pendingPick;
    this.pendingPick = null;
    this.overlay = null;
    this.changed();
    if (p) {
      if (value === null) p.cancel();
      else p.pick(value);
    }
  }

  // --- switching what the next turn uses ---

  /** Rebinds the session's client and tools (after a model, provider or approval policy change). */
  rebind(next: { model: ResolvedModel; provider: ProviderInfo; config: Config; approvals?: ApprovalSession }): void {
    const approvals = next.approvals ?? this.approvals;
    const { client, tools } = modelBinding({
      loaded: { ...this.settings.loaded, config: next.config },
      provider: next.provider,
      cwd: this.settings.cwd,
      exec: false,
      env: this.env,
      ...(this.mcp ? { mcp: this.mcp } : {}),
      model: next.model,
      sandbox: this.agent.sandbox,
      approvals,
      execSessions: this.agent.execSessions,
    });
    this.session.switchModel({ model: next.model, client, tools: tools.handlers, hostedTools: tools.hosted, config: next.config, beforeComplete: () => tools.finishTurn() });
    this.tools = tools;
    this.approvals = approvals;
    this.config = next.config;
    this.settings = { ...this.settings, model: next.model, provider: next.provider };
    this.agent = { ...this.agent, tools, approvals };
    this.changed();
  }

  setApprovalPolicy(policy: ApprovalPolicySetting): void {
    const approvals = new ApprovalSession({ policy, sandbox: this.agent.sandbox, root: this.settings.cwd, approver: this, env: this.env });
    this.settings = { ...this.settings, approvalPolicy: policy };
    this.rebind({ model: this.session.model, provider: this.settings.provider, config: { ...this.config, approval_policy: policy }, approvals });
    this.session.updatePermissions(permissionsFor(this.agent.sandbox, policy, this.settings.cwd, this.env));
  }

  /** `/new`: a fresh conversation with the current settings. */
  newSession(): void {
    this.interrupt();
    void this.agent.subagents?.shutdown();
    this.agent.execSessions.terminateAll();
    this.agent = this.makeAgent();
    this.tools = this.agent.tools;
    this.approvals = this.agent.approvals;
    this.meter.reset();
    this.usedSession = false;
    this.threadName = null;
    this.transcript.notice(`new session ${this.session.threadId}`);
    this.changed();
  }

  /** Leaves: stops the turn, declines the open question, and tells the front end to exit. */
  exit(): void {
    this.interrupt();
    void this.agent.subagents?.shutdown();
    this.agent.execSessions.terminateAll();
    this.endPick(null);
    this.exiting = true;
    this.changed();
    this.o.onExit();
  }
}
