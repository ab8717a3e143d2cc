/**
 * The interactive session's behaviour, apart from React: the agent, its turns and compactions, the
 * settings the next turn uses. The state the screen shows is the `ViewStore` it extends (private, changed
 * through named actions); the terminal components only draw a snapshot of it and pass keys in; tests and
 * the benchmark drive it directly.
 */
import { createAgent, discoverAgentsMd, loadImage, modelBinding, permissionsFor, type Agent, type AgentSession, type ToolSet } from '../agent/index.js';
import { chooseEffort, isReasoningEffort, type Catalog, type ResolvedModel } from '../catalog/index.js';
import type { ApprovalPolicySetting, Config, LoadedConfig, ProviderInfo } from '../config/index.js';
import type { McpConnections } from '../mcp/index.js';
import type { InputImage } from '../providers/index.js';
import type { PreparedResume } from '../sessions/index.js';
import { ApprovalSession, basePolicy, describePolicy, type Approver } from '../sandbox/index.js';
import { promptTooLong } from '../shared/index.js';
import { scrolled } from './alt-history.js';
import { formatWorked } from './format.js';
import { UsageMeter } from './meter.js';
import type { StatusInfo } from './status.js';
import type { Style } from './style.js';
import type { UiEvent } from './transcript.js';
import { runUserShell, shellCommandOf } from './user-shell.js';
import { ViewStore } from './view-state.js';
import { altScreenParts, drawnFrame } from './views.js';

export type { Overlay, Snapshot } from './view-state.js';

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
  /** The UI runs on the terminal's alternate screen (`--alt-screen`): it draws the history itself, PgUp/PgDn scroll it. */
  altScreen?: boolean;
}

/** The token figures, read-only outside the controller. */
export type MeterView = Readonly<Pick<UsageMeter, 'usage' | 'contextTokens' | 'estimated'>>;

export class UiController extends ViewStore {
  private current: { settings: UiSettings; config: Config; agent: Agent };
  /** The MCP servers the session's tools come from. */
  private mcp: McpConnections | undefined;
  private abort: AbortController | null = null;
  /** Tokens used and context left, as the agent reports them. */
  private readonly usage = new UsageMeter();
  private images: InputImage[] = [];
  private imagePaths: string[] = [];
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;

  constructor(private readonly o: ControllerOptions) {
    const now = o.now ?? (() => Date.now());
    const config = { ...o.settings.loaded.config };
    super({ style: o.style, cwd: o.settings.cwd, hideReasoning: config.hide_agent_reasoning === true, recall: o.persistence?.recall ?? [], now });
    this.now = now;
    this.env = o.env ?? process.env;
    this.mcp = o.mcp;
    this.current = { settings: o.settings, config, agent: this.makeAgent(o.settings, config) };
  }

  // --- reading ---

  get altScreen(): boolean {
    return this.o.altScreen === true;
  }

  /** On the alternate screen, scrolls the history view a page up (-1) or down (1). */
  scrollHistoryPage(direction: -1 | 1): void {
    if (!this.altScreen) return;
    const snap = this.getSnapshot();
    const view = altScreenParts(snap, this.style, this.frameOptions());
    const page = Math.max(1, view.historyHeight - 1);
    this.setHistoryScroll(scrolled(snap.historyScroll, direction * page, view.historyTotal, view.historyHeight));
  }

  /** What drawing a frame needs beyond the snapshot. */
  private frameOptions(): { hideReasoning: boolean; now: number; cwd: string } {
    return { hideReasoning: this.config.hide_agent_reasoning === true, now: this.now(), cwd: this.settings.cwd };
  }

  /** The rows of the redrawn part of the screen as last drawn (before a resize is applied). */
  drawnFrame(): string[] {
    return drawnFrame(this.getSnapshot(), this.style, this.frameOptions(), this.altScreen);
  }

  get settings(): Readonly<UiSettings> {
    return this.current.settings;
  }
  /** The configuration the next turn uses (model, effort, approval policy as chosen in the session). */
  get config(): Readonly<Config> {
    return this.current.config;
  }
  get agent(): Agent {
    return this.current.agent;
  }
  get session(): AgentSession {
    return this.current.agent.session;
  }
  get tools(): ToolSet {
    return this.current.agent.tools;
  }
  get approvals(): ApprovalSession {
    return this.current.agent.approvals;
  }
  get meter(): MeterView {
    return this.usage;
  }
  /** The API key the rollout keeps out of the file, when the session is recorded. */
  get rolloutToken(): string | null | undefined {
    return this.o.rollout?.token;
  }

  effort(): string {
    return chooseEffort(this.session.model, this.config.model_reasoning_effort).effort ?? 'none';
  }

  statusInfo(): StatusInfo {
    return {
      model: this.session.model,
      effort: this.effort(),
      provider: this.settings.provider.id,
      sandbox: this.config.sandbox_mode ?? 'read-only',
      approval: basePolicy(this.approvals.policy),
      usage: this.usage.usage,
      contextTokens: this.usage.contextTokens,
      contextEstimated: this.usage.estimated,
      sessionId: this.session.threadId,
      threadName: this.threadName,
    };
  }

  /** The AGENTS.md files the session directory has (read from disk: for /status, never for a frame). */
  agentsFiles(): readonly string[] {
    const config = this.config;
    return discoverAgentsMd({
      home: this.settings.loaded.home,
      cwd: this.settings.cwd,
      projectRootMarkers: config.project_root_markers ?? ['.git'],
      fallbackFilenames: config.project_doc_fallback_filenames ?? [],
      maxBytes: config.project_doc_max_bytes ?? 32768,
    }).files;
  }

  sandboxDetail(): string {
    return describePolicy(this.agent.sandbox);
  }

  // --- the agent ---

  /** An agent for these settings and configuration (a new conversation, or `resume`'s). */
  private makeAgent(s: UiSettings, config: Config, resume?: PreparedResume): Agent {
    const agent = this.buildAgent(s, config, resume);
    // Its subagents' lists and transcripts (events come at any time, also between turns).
    agent.subagents?.setSink((event) => this.applyEvent(event));
    return agent;
  }

  private buildAgent(s: UiSettings, config: Config, resume?: PreparedResume): Agent {
    if (this.o.makeAgent) return this.o.makeAgent(this, resume);
    const rollout = this.o.rollout;
    return createAgent({
      loaded: { ...s.loaded, config },
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
    this.endSubagents();
    this.agent.execSessions.terminateAll();
    const config = { ...this.current.config, model: prepared.model.requested, model_provider: prepared.provider.id };
    const effort = prepared.rollout.lastTurnContext?.effort;
    const takes = prepared.model.facts.reasoningEfforts;
    if (isReasoningEffort(effort) && (takes === null || takes.includes(effort))) config.model_reasoning_effort = effort;
    const settings = { ...this.settings, model: prepared.model, provider: prepared.provider };
    this.current = { settings, config, agent: this.makeAgent(settings, config, prepared) };
    this.resetAgents(this.agent.subagents?.list() ?? []);
    this.setThreadName(prepared.rollout.threadName ?? null);
    this.notice(notice);
    this.printAll(entries);
    for (const n of prepared.notes) this.notice(n);
    this.usage.restore(this.session.usage, prepared.rollout.lastUsage, this.session.history);
    this.markUsed();
  }

  // --- turns ---

  /** Attaches images (`-i`) to the next prompt. */
  attachImages(paths: readonly string[]): void {
    for (const p of paths) this.images.push(loadImage(p, this.settings.cwd));
    this.imagePaths.push(...paths);
    if (this.images.length > 0 && !this.session.model.facts.inputModalities.includes('image')) {
      this.notice(`model ${this.session.model.requested} takes text only; the attached images are not sent`);
      this.images = [];
      this.imagePaths = [];
    }
  }

  /** Refuses a prompt that cannot be sent (over 1 MiB characters), saying why in the transcript. */
  refusePrompt(text: string): boolean {
    const problem = promptTooLong(text);
    if (problem === undefined) return false;
    this.error(problem);
    return true;
  }

  /** Sends a prompt: now, or after the running turn (or once the MCP servers have started). */
  send(text: string): void {
    if (this.refusePrompt(text)) return;
    if (this.running || this.mcpStarting) {
      this.queuePrompt(text);
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
    this.user(text, paths);
    this.o.persistence?.rememberPrompt?.(text, this.session.threadId);
    this.markUsed();
    const began = this.now();
    const abort = this.begin();
    const emit = (event: UiEvent): void => this.applyEvent(event);
    try {
      const outcome = await this.session.runTurn({ text, images }, { signal: abort.signal, emit });
      if (outcome.status === 'interrupted') this.finishTurn(true);
      else if (outcome.status === 'completed') this.print(formatWorked(this.now() - began, this.style));
    } catch (err) {
      this.finishTurn();
      this.error(err instanceof Error ? err.message : String(err));
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
    const abort = this.begin();
    try {
      await work({ signal: abort.signal, emit: (event) => this.applyEvent(event) });
    } catch (err) {
      this.error(err instanceof Error ? err.message : String(err));
    } finally {
      this.settle();
    }
    this.afterRun(abort);
  }

  /** `/compact`: summarizes the conversation so far; it runs like a turn (Esc interrupts it). */
  async compact(): Promise<void> {
    if (this.running) return;
    if (this.session.history.length === 0) {
      this.notice('nothing to compact yet');
      return;
    }
    this.notice('Compacting the conversation…');
    const abort = this.begin();
    try {
      const emit = (event: UiEvent): void => this.applyEvent(event);
      const r = await this.session.compact({ signal: abort.signal, emit, trigger: 'manual' });
      if (r.status === 'failed') this.error(`compacting the conversation failed: ${r.message}`);
      else if (r.status === 'interrupted') this.error('Compaction interrupted; the conversation is unchanged.');
    } catch (err) {
      this.error(err instanceof Error ? err.message : String(err));
    } finally {
      this.settle();
    }
    this.afterRun(abort);
  }

  private begin(): AbortController {
    const abort = new AbortController();
    this.abort = abort;
    this.turnBegan(this.now());
    return abort;
  }

  /** An event of the running turn or compaction: to the token figures and the transcript. */
  override applyEvent(event: UiEvent): void {
    this.usage.handle(event);
    super.applyEvent(event);
  }

  /** A turn or compaction ended: nothing runs any more. */
  private settle(): void {
    this.abort = null;
    this.usage.settle(this.session.usage, this.session.history);
    this.turnSettled();
  }

  protected refuseQuestions(): boolean {
    return this.abort?.signal.aborted === true;
  }

  /** Runs the next queued prompt, when nothing runs and nothing is starting. */
  runQueued(): void {
    if (this.running || this.mcpStarting || this.exiting) return;
    const next = this.takeQueued();
    if (next !== undefined) void this.runTurn(next);
  }

  /** The MCP servers have started: their tools are offered from the next request on (and to helpers spawned from now on). */
  useMcp(mcp: McpConnections): void {
    this.mcp = mcp;
    this.agent.useMcp(mcp);
    this.rebind({ model: this.session.model, provider: this.settings.provider, config: this.current.config });
  }

  /** After a turn or compaction: the next queued prompt runs, or after an interrupt they go back to the editor. */
  private afterRun(abort: AbortController): void {
    if (!abort.signal.aborted) this.runQueued();
    else this.requeueToEditor();
  }

  /**
   * Esc / Ctrl-C during a turn: stops it, and the subagents with it (the agent interrupts a turn's
   * children when the turn is interrupted); with no turn running, stops the subagents still working.
   * Open questions are answered "no".
   */
  interrupt(): void {
    if (this.abort) {
      this.abort.abort();
    } else {
      if (!this.agentsBusy) return;
      this.agent.subagents?.interruptTree(this.session.threadId);
      this.notice('Interrupted the subagents');
    }
    this.cancelApprovals();
  }

  /** Ends the conversation's subagents; what they report from now on is no longer shown. */
  private endSubagents(): void {
    const subagents = this.agent.subagents;
    subagents?.setSink(null);
    void subagents?.shutdown();
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
    this.current = {
      settings: { ...this.settings, model: next.model, provider: next.provider },
      config: next.config,
      agent: { ...this.agent, tools, approvals },
    };
    this.tick();
  }

  setApprovalPolicy(policy: ApprovalPolicySetting): void {
    const approvals = new ApprovalSession({ policy, sandbox: this.agent.sandbox, root: this.settings.cwd, approver: this, env: this.env });
    this.current = { ...this.current, settings: { ...this.settings, approvalPolicy: policy } };
    this.rebind({ model: this.session.model, provider: this.settings.provider, config: { ...this.current.config, approval_policy: policy }, approvals });
    this.session.updatePermissions(permissionsFor(this.agent.sandbox, policy, this.settings.cwd, this.env));
  }

  /** `/new`: a fresh conversation with the current settings. */
  newSession(): void {
    this.interrupt();
    this.endSubagents();
    this.agent.execSessions.terminateAll();
    this.current = { ...this.current, agent: this.makeAgent(this.current.settings, this.current.config) };
    this.resetAgents([]);
    this.usage.reset();
    this.resetThread();
    this.notice(`new session ${this.session.threadId}`);
  }

  /** Leaves: stops the turn, declines the open question, and tells the front end to exit. */
  exit(): void {
    this.interrupt();
    void this.agent.subagents?.shutdown();
    this.agent.execSessions.terminateAll();
    this.endPick(null);
    this.markExiting();
    this.o.onExit();
  }
}
