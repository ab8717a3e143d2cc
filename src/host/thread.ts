/**
 * A thread loaded in a server: one agent (the same `createAgent` session `exec` and the interactive UI
 * run), one turn at a time, its events fanned out to whoever listens, its approval questions put to the
 * client that started the running turn.
 */
import { modelBinding, permissionsFor, prepareReviewRun, type Agent, type AgentEvent, type ClientFiles, type FrontEndContext, type ReviewTarget, type TurnOutcome, type UserInput } from '../agent/index.js';
import { isReasoningEffort, lookupModel, type ResolvedModel } from '../catalog/index.js';
import type { ApprovalPolicySetting, Config } from '../config/index.js';
import type { JsonObject } from '../providers/index.js';
import type { McpConnections } from '../mcp/index.js';
import { ApprovalSession, type ApprovalQuestion, type ApprovalReply, type Approver, type SandboxPolicy } from '../sandbox/index.js';
import { uuidv7 } from '../shared/index.js';
import { runReview } from './review.js';
import type { Asker, ThreadEvent, ThreadInfo } from './types.js';

/** Told to the model when a question comes up with no client left to ask (it disconnected). */
export const NO_CLIENT_TO_ASK = 'no client is connected to approve this, so it was declined; continue without it, or tell the user what needs approval';

interface RunningTurn {
  turnId: string;
  abort: AbortController;
  asker: Asker | null;
  done: Promise<TurnOutcome>;
}

export interface LiveThreadOptions {
  agent: Agent;
  settings: FrontEndContext;
  mcp: McpConnections;
  info: Omit<ThreadInfo, 'status' | 'model' | 'modelProvider' | 'updatedAt'>;
  /** The environment the thread's commands and reviews see (default: the process's). */
  env?: NodeJS.ProcessEnv;
}

export class LiveThread implements Approver {
  agent: Agent;
  settings: FrontEndContext;
  private readonly mcp: McpConnections;
  private readonly env: NodeJS.ProcessEnv;
  private readonly base: LiveThreadOptions['info'];
  private readonly listeners = new Set<(event: ThreadEvent) => void>();
  private running: RunningTurn | null = null;
  private updatedAt: number;
  name: string | null;
  preview: string;
  closed = false;

  constructor(o: LiveThreadOptions) {
    this.agent = o.agent;
    this.settings = o.settings;
    this.mcp = o.mcp;
    this.env = o.env ?? process.env;
    this.base = o.info;
    // Subagents' events (their items, statuses) reach the listeners within the turn that runs them.
    this.agent.subagents?.setSink((event) => {
      if (this.running) this.publish({ kind: 'agent', turnId: this.running.turnId, event });
    });
    this.name = o.info.name;
    this.preview = o.info.preview;
    this.updatedAt = o.info.createdAt;
  }

  get id(): string {
    return this.agent.session.threadId;
  }

  get info(): ThreadInfo {
    return {
      ...this.base,
      name: this.name,
      preview: this.preview,
      path: this.base.ephemeral ? null : (this.agent.session.recorder?.path ?? this.base.path),
      model: this.agent.session.model.requested,
      modelProvider: this.settings.provider.id,
      updatedAt: this.updatedAt,
      status: this.running ? 'active' : 'idle',
    };
  }

  /** The running turn's id, or null. */
  get turnId(): string | null {
    return this.running?.turnId ?? null;
  }

  /** Listens to the thread's events until the returned function is called. */
  subscribe(listener: (event: ThreadEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(event: ThreadEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A listener that fails (its client went away mid-write) must not stop the turn or the others.
      }
    }
  }

  /**
   * Starts a turn (throws when one runs: a client steers or interrupts instead). Events start with
   * `turn.begin` right away; `done` settles when the turn ends, after `turn.end`.
   */
  startTurn(input: UserInput, o: { asker?: Asker | null; outputSchema?: JsonObject | undefined; files?: ClientFiles | undefined } = {}): { turnId: string; done: Promise<TurnOutcome> } {
    if (this.preview === '' && !this.running && !this.closed) this.preview = input.text;
    return this.begin(input, {}, o.asker ?? null, (run) => this.agent.session.runTurn(input, { ...run, outputSchema: o.outputSchema, files: o.files }));
  }

  /**
   * Starts a code review of `target` as a turn (`turn.begin` marked `review`, the reviewer's items,
   * `review.exited` with the review, `turn.end`): a read-only run of its own, as `/review` does in the
   * terminal; the thread then gets the request and the review as one exchange. Throws a UserError when
   * there is nothing to review, and when a turn runs.
   */
  startReview(target: ReviewTarget, o: { asker?: Asker | null } = {}): { turnId: string; done: Promise<TurnOutcome>; hint: string } {
    if (this.running) throw new TurnRunningError(this.id, this.running.turnId);
    const prepared = prepareReviewRun(this.settings.loaded, this.settings.provider, this.settings.cwd, target);
    if (this.preview === '' && !this.closed) this.preview = prepared.shown;
    const hint = prepared.request.hint;
    const started = this.begin({ text: prepared.shown }, { review: hint }, o.asker ?? null, (run) =>
      runReview(
        { settings: this.settings, session: this.agent.session, approvalPolicy: this.agent.approvals.policy, approver: this, env: this.env },
        prepared,
        run,
        (end) => this.publish({ kind: 'review.exited', turnId: run.turnId, text: end.text, review: end.review }),
      ),
    );
    return { ...started, hint };
  }

  /**
   * Compacts the history now (as `/compact` does), run like a turn: `turn.begin` (marked `compaction`),
   * the `context.compacted` event, `turn.end`. Throws when a turn runs.
   */
  startCompaction(): { turnId: string; done: Promise<TurnOutcome> } {
    return this.begin({ text: '' }, { compaction: true }, null, async (run) => {
      const r = await this.agent.session.compact({ ...run, trigger: 'manual' });
      return r.status === 'compacted' ? { status: 'completed', lastMessage: null } : r;
    });
  }

  private begin(
    input: UserInput,
    mark: { compaction?: true; review?: string },
    asker: Asker | null,
    work: (run: { signal: AbortSignal; turnId: string; emit: (event: AgentEvent) => void }) => Promise<TurnOutcome>,
  ): { turnId: string; done: Promise<TurnOutcome> } {
    if (this.closed) throw new Error(`thread ${this.id} is closed`);
    if (this.running) throw new TurnRunningError(this.id, this.running.turnId);
    const turnId = uuidv7();
    const abort = new AbortController();
    const startedAt = Date.now();
    this.updatedAt = Math.floor(startedAt / 1000);
    const running: RunningTurn = { turnId, abort, asker, done: Promise.resolve({ status: 'interrupted' }) };
    this.running = running;
    this.publish({ kind: 'turn.begin', turnId, input, startedAt, ...mark });
    running.done = work({
      signal: abort.signal,
      turnId,
      // A stream cut by the interrupt itself is not a retry worth telling anyone about.
      emit: (event) => {
        if (event.type === 'error' && abort.signal.aborted) return;
        this.publish({ kind: 'agent', turnId, event });
      },
    })
      .catch((err: unknown): TurnOutcome => {
        const message = err instanceof Error ? err.message : String(err);
        this.publish({ kind: 'agent', turnId, event: { type: 'turn.failed', error: { message } } });
        return { status: 'failed', message };
      })
      .then((outcome) => {
        this.running = null;
        const completedAt = Date.now();
        this.updatedAt = Math.floor(completedAt / 1000);
        this.publish({ kind: 'turn.end', turnId, outcome, startedAt, completedAt });
        return outcome;
      });
    return { turnId, done: running.done };
  }

  /**
   * Uses another model and/or reasoning effort from the next turn on (the history is kept), as `/model`
   * does in the terminal. Not while a turn runs.
   */
  setModel(o: { model?: string | undefined; effort?: string | undefined }, env: NodeJS.ProcessEnv = this.env): void {
    if (this.running) throw new TurnRunningError(this.id, this.running.turnId);
    const current = this.settings.loaded.config;
    const config = { ...current, ...(o.model ? { model: o.model } : {}), ...(isReasoningEffort(o.effort) ? { model_reasoning_effort: o.effort } : {}) };
    const model = o.model && o.model !== this.agent.session.model.requested ? lookupModel(this.settings.catalog, o.model, config) : this.agent.session.model;
    this.rebind({ model, config, sandbox: this.agent.sandbox, approvals: this.agent.approvals }, env);
  }

  /**
   * Another approval policy and/or sandbox from the next turn on (a client's per-turn choice, as Codex's
   * `/permissions`): the model is told the new permissions with its next request. Not while a turn runs.
   * False when nothing changes.
   */
  setPermissions(o: { approvalPolicy?: ApprovalPolicySetting | undefined; sandbox?: SandboxPolicy | undefined }, env: NodeJS.ProcessEnv = this.env): boolean {
    if (this.running) throw new TurnRunningError(this.id, this.running.turnId);
    const policy = o.approvalPolicy ?? this.agent.approvals.policy;
    const sandbox = o.sandbox ?? this.agent.sandbox;
    if (JSON.stringify(policy) === JSON.stringify(this.agent.approvals.policy) && JSON.stringify(sandbox) === JSON.stringify(this.agent.sandbox)) return false;
    const approvals = new ApprovalSession({ policy, sandbox, root: this.settings.cwd, approver: this, env });
    const config = { ...this.settings.loaded.config, approval_policy: policy, sandbox_mode: sandbox.type };
    this.rebind({ model: this.agent.session.model, config, sandbox, approvals }, env);
    this.agent.session.updatePermissions(permissionsFor(sandbox, policy, this.settings.cwd, env));
    return true;
  }

  /** The agent's model client and tools made again for this model, config, sandbox and approvals. */
  private rebind(o: { model: ResolvedModel; config: Config; sandbox: SandboxPolicy; approvals: ApprovalSession }, env: NodeJS.ProcessEnv): void {
    const loaded = { ...this.settings.loaded, config: o.config };
    const { client, tools } = modelBinding({
      loaded,
      provider: this.settings.provider,
      cwd: this.settings.cwd,
      exec: false,
      env,
      mcp: this.mcp,
      model: o.model,
      sandbox: o.sandbox,
      approvals: o.approvals,
      execSessions: this.agent.execSessions,
    });
    this.agent.session.switchModel({ model: o.model, client, tools: tools.handlers, hostedTools: tools.hosted, config: o.config, beforeComplete: () => tools.finishTurn(), providerId: this.settings.provider.id });
    this.agent = { ...this.agent, tools, sandbox: o.sandbox, approvals: o.approvals };
    this.settings = { ...this.settings, model: o.model, loaded };
  }

  /** Adds input to the running turn; false when `expectedTurnId` is not the running turn. */
  steer(input: UserInput, expectedTurnId?: string): boolean {
    const running = this.running;
    if (!running || (expectedTurnId !== undefined && expectedTurnId !== running.turnId)) return false;
    if (!this.agent.session.steer(input)) return false;
    this.publish({ kind: 'turn.steered', turnId: running.turnId, input });
    return true;
  }

  /** Interrupts the running turn (if `turnId` is given, only that one); resolves once it has ended. */
  async interrupt(turnId?: string): Promise<boolean> {
    const running = this.running;
    if (!running || (turnId !== undefined && turnId !== running.turnId)) return false;
    running.abort.abort();
    await running.done;
    return true;
  }

  /** The client that asks this turn's questions went away: later questions are declined. */
  dropAsker(asker: Asker): void {
    if (this.running?.asker === asker) this.running.asker = null;
  }

  /** Approver: puts the question to the client that started the running turn. */
  async ask(question: ApprovalQuestion): Promise<ApprovalReply> {
    const running = this.running;
    if (!running || running.abort.signal.aborted) return { answer: 'deny' };
    if (!running.asker) return { answer: 'deny', message: NO_CLIENT_TO_ASK };
    try {
      return await running.asker(question, { turnId: running.turnId, signal: running.abort.signal });
    } catch {
      return { answer: 'deny', message: NO_CLIENT_TO_ASK };
    }
  }

  /** Unloads the thread: the running turn is interrupted, its helpers and the commands it left running end, the file is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.interrupt();
    // Its helpers end with it (and the MCP servers their agent types started).
    await this.agent.subagents?.shutdown();
    this.agent.execSessions.terminateAll();
    this.agent.session.recorder?.close();
    this.listeners.clear();
    await this.mcp.close();
  }
}

export class TurnRunningError extends Error {
  constructor(
    readonly threadId: string,
    readonly turnId: string,
  ) {
    super(`thread ${threadId} is already running turn ${turnId}; steer it (turn/steer) or interrupt it first`);
  }
}
