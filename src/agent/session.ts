/**
 * A conversation with the model: the thread id, the history it replays, the cumulative usage, and the
 * per-thread context (instructions, permissions, AGENTS.md, environment) it starts with.
 */
import { join } from 'node:path';
import { chooseEffort, type ReasoningEffort, type ResolvedModel } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import { messageText, type ContentPart, type InputImage, type JsonObject, type ModelClient, type ResponseItem, type ToolSpec, type TurnRequest } from '../providers/index.js';
import { appendHistory, isUserPrompt, runNotify, type RolloutRecorder, type TokenUsage, type TurnContext } from '../sessions/index.js';
import { checkPromptLength, uuidv7 } from '../shared/index.js';
import { autoCompactLimit, compactedHistory, estimateTokens, requestSummary, type CompactOutcome, type CompactTrigger } from './compact.js';
import { addUsage, ZERO_USAGE, type AgentEvent, type Usage } from './events.js';
import { discoverAgentsMd } from './prompt/agents-md.js';
import { BASE_INSTRUCTIONS } from './prompt/base-instructions.js';
import { COMPACT_PROMPT } from './prompt/compact.js';
import { agentsMdText, environmentContext, environmentContextText } from './prompt/environment.js';
import { cachedTimezone } from './prompt/timezone.js';
import { PERMISSIONS_START, permissionsText, type PermissionsContext } from './prompt/permissions.js';
import type { ClientFiles, ToolHandler } from './tool-types.js';
import { runTurn, type CompactStep, type TurnOutcome, type TurnState } from './turn.js';

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

/** Usage read back from a rollout: the fields this version counts, missing ones 0. */
function restoreUsage(u: TokenUsage | undefined): Usage {
  const usage: Usage = { ...ZERO_USAGE };
  if (!u) return usage;
  const from = u as unknown as Record<string, unknown>;
  const to = usage as unknown as Record<string, number>;
  for (const k of Object.keys(usage)) if (typeof from[k] === 'number') to[k] = from[k];
  return usage;
}

export class AgentSession {
  readonly threadId: string;
  readonly history: ResponseItem[] = [];
  usage: Usage = { ...ZERO_USAGE };
  /** Where the thread is recorded; set it before the first turn (none: nothing is written). */
  recorder: RolloutRecorder | undefined;
  private itemCounter = 0;
  /** The permissions text the model was last told, when the thread has one. */
  private toldPermissions: string | undefined;
  /** Input + output tokens of the last response since the last compaction (unknown until one arrives). */
  private lastTokens: number | undefined;
  /** The running turn's state (its usage is the thread's until the turn ends). */
  private turnState: TurnState | null = null;
  /** Where the running turn's (or compaction's) events go; warnings outside one wait for the next. */
  private sink: ((event: AgentEvent) => void) | undefined;
  private heldWarnings: string[] = [];
  /** Input steered into the running turn, not yet sent. */
  private steered: UserInput[] = [];

  private o: SessionOptions;

  constructor(options: SessionOptions) {
    this.o = { ...options };
    this.threadId = options.threadId ?? uuidv7();
    this.recorder = options.recorder;
    if (options.restored) {
      // A loop, not push(...items): a long thread has more items than a call can take arguments.
      for (const item of options.restored.history) this.history.push(item);
      this.usage = restoreUsage(options.restored.usage);
      const last = options.restored.lastUsage;
      if (last) this.lastTokens = last.input_tokens + last.output_tokens;
      this.toldPermissions = lastPermissionsText(this.history);
    }
  }

  /**
   * The sandbox or approval policy changed (`/approvals`, or a resumed thread run with other flags):
   * the next turn tells the model, with a new permissions message, before the user's input.
   */
  updatePermissions(permissions: PermissionsContext): void {
    this.o = { ...this.o, permissions };
  }

  /** The permissions message for the next turn, when the model has not been told these permissions yet. */
  private permissionsUpdate(): ResponseItem | null {
    if (this.o.config.include_permissions_instructions === false) return null;
    const text = permissionsText(this.o.permissions);
    if (this.toldPermissions === undefined || this.toldPermissions === text) return null;
    this.toldPermissions = text;
    return { type: 'message', role: 'developer', content: [{ type: 'input_text', text }] };
  }

  /**
   * A problem to tell the user without stopping (the recorder cannot write the session file): a
   * `warning` event in the running turn, else at the start of the next one.
   */
  warn(message: string): void {
    if (this.sink) this.sink({ type: 'warning', message });
    else this.heldWarnings.push(message);
  }

  /** Sends events to `emit` (and the warnings held until now) until the returned function is called. */
  private attach(emit: (event: AgentEvent) => void): () => void {
    const previous = this.sink;
    this.sink = emit;
    for (const message of this.heldWarnings.splice(0)) emit({ type: 'warning', message });
    return () => {
      this.sink = previous;
    };
  }

  /** The base instructions every request of the thread carries (recorded in the session_meta). */
  get instructions(): string {
    return this.o.instructions ?? BASE_INSTRUCTIONS;
  }

  /** The provider the next turn uses. */
  get providerId(): string {
    return this.o.providerId ?? this.o.config.model_provider ?? 'openai';
  }

  /** The reasoning effort configured for the next turn (undefined: the model's default). */
  get reasoningEffort(): ReasoningEffort | undefined {
    return this.o.config.model_reasoning_effort;
  }

  /** The working directory of the thread. */
  get cwd(): string {
    return this.o.cwd;
  }

  /** The model the next turn uses. */
  get model(): ResolvedModel {
    return this.o.model;
  }

  /**
   * Uses another model (with its client and tools) from the next turn on; the history is kept.
   * `config` carries the settings that go with it (reasoning effort, provider).
   */
  switchModel(next: {
    model: ResolvedModel;
    client: ModelClient;
    tools: readonly ToolHandler[];
    hostedTools?: readonly ToolSpec[];
    config?: Config;
    beforeComplete?: () => void;
    providerId?: string;
  }): void {
    this.o = {
      ...this.o,
      ...(next.providerId ? { providerId: next.providerId } : {}),
      model: next.model,
      client: next.client,
      tools: next.tools,
      hostedTools: next.hostedTools ?? [],
      ...(next.config ? { config: next.config } : {}),
      ...(next.beforeComplete ? { beforeComplete: next.beforeComplete } : {}),
    };
  }

  readonly nextItemId = (): string => `item_${this.itemCounter++}`;

  /** The developer and contextual user messages a new thread starts with. */
  initialContext(): ResponseItem[] {
    const { config, cwd } = this.o;
    const items: ResponseItem[] = [];
    const developer: ContentPart[] = [];
    if (config.include_permissions_instructions !== false) {
      this.toldPermissions = permissionsText(this.o.permissions);
      developer.push({ type: 'input_text', text: this.toldPermissions });
    }
    if (config.developer_instructions) developer.push({ type: 'input_text', text: config.developer_instructions });
    if (developer.length) items.push({ type: 'message', role: 'developer', content: developer });

    const context: ContentPart[] = [];
    const agents = discoverAgentsMd({
      home: this.o.home,
      cwd,
      projectRootMarkers: config.project_root_markers ?? ['.git'],
      fallbackFilenames: config.project_doc_fallback_filenames ?? [],
      maxBytes: config.project_doc_max_bytes ?? 32768,
    });
    if (agents.text) context.push({ type: 'input_text', text: agentsMdText(cwd, agents.text) });
    if (config.include_environment_context !== false) {
      const timezone = cachedTimezone(join(this.o.home, 'cache', 'timezone.json'));
      context.push({ type: 'input_text', text: environmentContextText(environmentContext(cwd, this.o.env ?? process.env, new Date(), timezone)) });
    }
    if (context.length) items.push({ type: 'message', role: 'user', content: context });
    return items;
  }

  /** The request fields that stay the same for every call of the session. */
  private baseRequest(outputSchema: JsonObject | undefined): Omit<TurnRequest, 'input' | 'tools' | 'signal'> {
    const { config, model } = this.o;
    const req: Omit<TurnRequest, 'input' | 'tools' | 'signal'> = {
      model,
      instructions: this.instructions,
      threadId: this.threadId,
    };
    if (config.model_reasoning_effort) req.reasoningEffort = config.model_reasoning_effort;
    if (config.model_reasoning_summary) req.reasoningSummary = config.model_reasoning_summary;
    else if (model.facts.supportsReasoningSummaries) req.reasoningSummary = model.facts.defaultReasoningSummary;
    if (config.model_verbosity) req.verbosity = config.model_verbosity;
    if (config.service_tier) req.serviceTier = config.service_tier;
    if (outputSchema) req.outputSchema = outputSchema;
    return req;
  }

  /** The `turn_context` record of a turn. */
  private turnContext(turnId: string, outputSchema: JsonObject | undefined): TurnContext {
    const { config, model, permissions: p } = this.o;
    const sandbox: JsonObject = { type: p.sandboxMode };
    if (p.sandboxMode === 'workspace-write') {
      sandbox.writable_roots = [...p.writableRoots];
      sandbox.network_access = p.networkAccess;
    }
    const ctx: TurnContext = {
      turn_id: turnId,
      cwd: this.o.cwd,
      approval_policy: p.approvalPolicy,
      sandbox_policy: sandbox,
      model: model.requested,
      model_provider: this.o.providerId ?? config.model_provider ?? 'openai',
      summary: config.model_reasoning_summary ?? (model.facts.supportsReasoningSummaries ? model.facts.defaultReasoningSummary : 'none'),
    };
    // The effort the requests carry (catalog/effort.ts), which may differ from the configured one.
    const effort = chooseEffort(model, config.model_reasoning_effort).effort;
    if (effort) ctx.effort = effort;
    if (outputSchema) ctx.final_output_json_schema = outputSchema;
    return ctx;
  }

  /** Appends to the history and records the item. */
  private append(item: ResponseItem): void {
    this.history.push(item);
    this.recorder?.item(item);
  }

  /**
   * Adds a user message the front end made outside a turn (the record of a `!` shell command) to the
   * history the next request sends, and to the rollout. A new thread gets its initial context first.
   */
  recordContext(text: string): void {
    if (this.history.length === 0) for (const item of this.initialContext()) this.append(item);
    this.append({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
    this.recorder?.sync();
  }

  /**
   * Adds finished messages to the thread outside a turn (what a review run in its own thread found), recorded
   * as a turn's prompt and answer are, so the next turn and a resumed session see them.
   */
  appendExchange(items: readonly ResponseItem[]): void {
    if (this.history.length === 0) for (const item of this.initialContext()) this.append(item);
    for (const item of items) {
      this.append(item);
      if (item.type === 'message' && item.role === 'user') this.recorder?.event({ type: 'user_message', message: messageText(item) });
      if (item.type === 'message' && item.role === 'assistant') this.recorder?.event({ type: 'agent_message', message: messageText(item) });
    }
    this.recorder?.sync();
  }

  /** Records what a turn produced, as it is produced. */
  private recordItem(item: ResponseItem): void {
    const rec = this.recorder;
    if (!rec) return;
    rec.item(item);
    if (item.type === 'message' && item.role === 'assistant') {
      const text = item.content.map((c) => (c.type === 'input_image' ? '' : c.text)).join('');
      if (text !== '') rec.event({ type: 'agent_message', message: text });
    } else if (item.type === 'reasoning') {
      const text = item.summary.map((s) => s.text).filter((t) => t.trim() !== '').join('\n');
      if (text !== '') rec.event({ type: 'agent_reasoning', text });
    }
  }

  /** Records a response's usage (`token_count`). */
  private recordUsage(last: Usage, total: Usage): void {
    this.recorder?.event({
      type: 'token_count',
      info: { total_token_usage: withTotal(total), last_token_usage: withTotal(last), model_context_window: this.o.model.facts.contextWindow },
    });
  }

  /** The token count at which the thread is compacted automatically (none when unknown). */
  get autoCompactLimit(): number | undefined {
    return autoCompactLimit(this.o.config.model_auto_compact_token_limit, this.o.model.facts.contextWindow);
  }

  /** The last response said the context is at or past the auto-compact limit. */
  private overLimit(): boolean {
    const limit = this.autoCompactLimit;
    return limit !== undefined && this.lastTokens !== undefined && this.lastTokens >= limit;
  }

  /**
   * Compacts the thread (codex-compat.md §9.5, local): asks the model for a handoff summary (one request,
   * no tools), then replaces the history with the initial context, the user's most recent prompts and
   * the summary. The request's usage counts into the thread's; the result is recorded as a `compacted`
   * line and a `context_compacted` event, and `context.compacted` is emitted.
   */
  async compact(run: RunControl & { trigger?: CompactTrigger }): Promise<CompactOutcome> {
    const detach = this.attach(run.emit);
    try {
      return await this.compactHistory(run);
    } finally {
      detach();
    }
  }

  private async compactHistory(run: RunControl & { trigger?: CompactTrigger }): Promise<CompactOutcome> {
    if (this.history.length === 0) return { status: 'failed', message: 'there is nothing to compact yet' };
    const before = this.lastTokens ?? estimateTokens(this.history);
    const prompt = this.o.compactPrompt?.trim() ? this.o.compactPrompt : COMPACT_PROMPT;
    const result = await requestSummary({
      model: (req) => this.o.client.stream(req),
      request: this.baseRequest(undefined),
      history: this.history,
      prompt,
      keep: leadingContext(this.history),
      signal: run.signal,
      emit: run.emit,
    });
    if (result.status !== 'ok') return result;
    const owner = this.turnState ?? this;
    if (result.usage) {
      owner.usage = addUsage(owner.usage, result.usage);
      this.recordUsage(result.usage, owner.usage);
    }
    // Built only now: it marks the current permissions as told, which a failed compaction must not do.
    const replacement = compactedHistory({ initialContext: this.initialContext(), history: this.history, summary: result.summary });
    this.history.length = 0;
    for (const item of replacement) this.history.push(item);
    this.lastTokens = undefined;
    const rec = this.recorder;
    if (rec) {
      const summary = replacement[replacement.length - 1] as ResponseItem;
      rec.compacted(summary.type === 'message' ? messageText(summary) : '', replacement);
      rec.event({ type: 'context_compacted' });
      rec.sync();
    }
    const after = estimateTokens(replacement);
    run.emit({ type: 'context.compacted', trigger: run.trigger ?? 'manual', tokens_before: before, tokens_after: after });
    return { status: 'compacted', tokensBefore: before, tokensAfter: after };
  }

  /** An automatic compaction inside a turn; a failure is reported and the turn goes on with the full history. */
  private async autoCompact(run: RunControl, trigger: CompactTrigger): Promise<CompactStep> {
    const r = await this.compact({ ...run, trigger });
    if (r.status === 'failed') run.emit({ type: 'error', message: `compacting the conversation failed: ${r.message}` });
    return r.status;
  }

  /** A turn is running (between `runTurn` being called and its outcome). */
  get turnRunning(): boolean {
    return this.turnState !== null;
  }

  /**
   * Adds input to the running turn ("steer"): sent with the turn's next request, after the tool outputs
   * of the current one. False (nothing taken) when no turn runs; the front end then starts a turn instead.
   */
  steer(input: UserInput): boolean {
    if (this.turnState === null) return false;
    checkPromptLength(input.text);
    this.steered.push(input);
    return true;
  }

  /** The steered input as user messages, recorded as the turn's own prompt is. */
  private takeSteered(): ResponseItem[] {
    const inputs = this.steered.splice(0);
    return inputs.map((input) => {
      this.recorder?.event({ type: 'user_message', message: input.text });
      if (this.recorder) appendHistory(this.o.home, this.o.config, { conversation_id: this.threadId, text: input.text }, { secrets: this.o.secrets ?? [] });
      return { type: 'message', role: 'user', content: [...(input.images ?? []), { type: 'input_text', text: input.text }] };
    });
  }

  async runTurn(input: UserInput, run: RunControl & { outputSchema?: JsonObject | undefined; turnId?: string; files?: ClientFiles | undefined }): Promise<TurnOutcome> {
    const detach = this.attach(run.emit);
    try {
      return await this.turn(input, run);
    } finally {
      detach();
    }
  }

  private async turn(input: UserInput, run: RunControl & { outputSchema?: JsonObject | undefined; turnId?: string; files?: ClientFiles | undefined }): Promise<TurnOutcome> {
    // Front ends refuse it first; this keeps any other caller from sending (or recording) it.
    checkPromptLength(input.text);
    const rec = this.recorder;
    const turnId = run.turnId ?? uuidv7();
    const window = this.o.model.facts.contextWindow;
    rec?.event({ type: 'task_started', turn_id: turnId, model_context_window: window });
    rec?.turnContext(this.turnContext(turnId, run.outputSchema));
    if (this.history.length > 0 && this.overLimit() && (await this.autoCompact(run, 'auto')) === 'interrupted') {
      rec?.event({ type: 'turn_aborted', turn_id: turnId, reason: 'interrupted' });
      rec?.sync();
      return { status: 'interrupted' };
    }
    if (this.history.length === 0) for (const item of this.initialContext()) this.append(item);
    const update = this.permissionsUpdate();
    if (update) this.append(update);
    const content: ContentPart[] = [...(input.images ?? []), { type: 'input_text', text: input.text }];
    this.append({ type: 'message', role: 'user', content });
    rec?.event({ type: 'user_message', message: input.text });
    if (rec && this.o.subagent !== true) appendHistory(this.o.home, this.o.config, { conversation_id: this.threadId, text: input.text }, { secrets: this.o.secrets ?? [] });

    this.o.onTurnSignal?.(run.signal);
    const state: TurnState = { history: this.history, usage: this.usage };
    this.turnState = state;
    let outcome: TurnOutcome;
    try {
      outcome = await runTurn(state, {
        request: this.baseRequest(run.outputSchema),
        model: (req) => this.o.client.stream(req),
        tools: [...this.o.tools, ...(this.o.sessionTools ?? [])],
        ...(this.o.hostedTools ? { hostedTools: this.o.hostedTools } : {}),
        parallelToolCalls: this.o.model.facts.parallelToolCalls,
        signal: run.signal,
        emit: run.emit,
        nextItemId: this.nextItemId,
        turnId,
        ...(this.o.pendingInput ? { pendingInput: this.o.pendingInput } : {}),
        ...(run.files ? { files: run.files } : {}),
        ...(this.o.beforeComplete ? { beforeComplete: this.o.beforeComplete } : {}),
        onItem: (item) => this.recordItem(item),
        onUsage: (last, total) => {
          this.lastTokens = last.input_tokens + last.output_tokens;
          this.recordUsage(last, total);
        },
        compactIfNeeded: () => (this.overLimit() ? this.autoCompact(run, 'auto') : Promise.resolve('skipped')),
        compactForOverflow: () => this.autoCompact(run, 'overflow'),
        takeSteered: () => this.takeSteered(),
      });
    } finally {
      // Steered input the turn never sent (it was interrupted or failed first) is dropped with it.
      this.steered.length = 0;
      this.turnState = null;
      this.usage = state.usage;
    }
    if (rec) {
      if (outcome.status === 'interrupted') rec.event({ type: 'turn_aborted', turn_id: turnId, reason: 'interrupted' });
      else if (outcome.status === 'failed') rec.event({ type: 'task_complete', turn_id: turnId, last_agent_message: null, error: { message: outcome.message } });
      else rec.event({ type: 'task_complete', turn_id: turnId, last_agent_message: outcome.lastMessage });
      rec.sync();
    }
    if (outcome.status === 'completed' && this.o.subagent !== true) {
      runNotify(this.o.config.notify, {
        type: 'agent-turn-complete',
        'thread-id': this.threadId,
        'turn-id': turnId,
        cwd: this.o.cwd,
        'input-messages': [input.text],
        'last-assistant-message': outcome.lastMessage,
      });
    }
    return outcome;
  }
}

/** How many items at the start of a history are the initial context (before the first user prompt). */
function leadingContext(history: readonly ResponseItem[]): number {
  const first = history.findIndex((item) => isUserPrompt(item));
  return first === -1 ? 0 : first;
}

/** The text of the latest permissions message in a history (ours start with the sandbox line). */
function lastPermissionsText(history: readonly ResponseItem[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const item = history[i] as ResponseItem;
    if (item.type !== 'message' || item.role !== 'developer') continue;
    for (const part of item.content) if (part.type === 'input_text' && PERMISSIONS_START.test(part.text)) return part.text;
  }
  return undefined;
}

/** Codex's TokenUsage carries `total_tokens` too. */
function withTotal(u: Usage): TokenUsage & { total_tokens: number } {
  return { ...u, total_tokens: u.input_tokens + u.output_tokens };
}
