/**
 * A conversation with the model: the thread id, the history it replays, the cumulative usage, and the
 * per-thread context (instructions, permissions, AGENTS.md, environment) it starts with.
 */
import type { ResolvedModel } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import type { ContentPart, InputImage, JsonObject, ModelClient, ResponseItem, TurnRequest } from '../providers/index.js';
import { uuidv7 } from '../shared/index.js';
import { ZERO_USAGE, type AgentEvent, type Usage } from './events.js';
import { discoverAgentsMd } from './prompt/agents-md.js';
import { BASE_INSTRUCTIONS } from './prompt/base-instructions.js';
import { agentsMdText, environmentContext, environmentContextText } from './prompt/environment.js';
import { permissionsText, type PermissionsContext } from './prompt/permissions.js';
import type { ToolHandler } from './tool-types.js';
import { runTurn, type TurnOutcome } from './turn.js';

export interface SessionOptions {
  home: string;
  cwd: string;
  config: Config;
  model: ResolvedModel;
  client: ModelClient;
  permissions: PermissionsContext;
  tools: readonly ToolHandler[];
  /** Base instructions (default: ours, or the `model_instructions_file` text given by the caller). */
  instructions?: string;
  env?: NodeJS.ProcessEnv;
  threadId?: string;
  /** Runs before `turn.completed` (the plan tool completes its todo list there). */
  beforeComplete?: () => void;
}

export interface UserInput {
  text: string;
  images?: InputImage[];
}

export class AgentSession {
  readonly threadId: string;
  readonly history: ResponseItem[] = [];
  usage: Usage = { ...ZERO_USAGE };
  private itemCounter = 0;

  private o: SessionOptions;

  constructor(options: SessionOptions) {
    this.o = { ...options };
    this.threadId = options.threadId ?? uuidv7();
  }

  /** The model the next turn uses. */
  get model(): ResolvedModel {
    return this.o.model;
  }

  /**
   * Uses another model (with its client and tools) from the next turn on; the history is kept.
   * `config` carries the settings that go with it (reasoning effort, provider).
   */
  switchModel(next: { model: ResolvedModel; client: ModelClient; tools: readonly ToolHandler[]; config?: Config; beforeComplete?: () => void }): void {
    this.o = {
      ...this.o,
      model: next.model,
      client: next.client,
      tools: next.tools,
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
    if (config.include_permissions_instructions !== false) developer.push({ type: 'input_text', text: permissionsText(this.o.permissions) });
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
      context.push({ type: 'input_text', text: environmentContextText(environmentContext(cwd, this.o.env ?? process.env)) });
    }
    if (context.length) items.push({ type: 'message', role: 'user', content: context });
    return items;
  }

  /** The request fields that stay the same for every call of the session. */
  private baseRequest(outputSchema: JsonObject | undefined): Omit<TurnRequest, 'input' | 'tools' | 'signal'> {
    const { config, model } = this.o;
    const req: Omit<TurnRequest, 'input' | 'tools' | 'signal'> = {
      model,
      instructions: this.o.instructions ?? BASE_INSTRUCTIONS,
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

  async runTurn(
    input: UserInput,
    run: { signal: AbortSignal; emit: (event: AgentEvent) => void; outputSchema?: JsonObject | undefined },
  ): Promise<TurnOutcome> {
    if (this.history.length === 0) this.history.push(...this.initialContext());
    const content: ContentPart[] = [...(input.images ?? []), { type: 'input_text', text: input.text }];
    this.history.push({ type: 'message', role: 'user', content });
    const state = { history: this.history, usage: this.usage };
    const outcome = await runTurn(state, {
      request: this.baseRequest(run.outputSchema),
      model: (req) => this.o.client.stream(req),
      tools: this.o.tools,
      parallelToolCalls: this.o.model.facts.parallelToolCalls,
      signal: run.signal,
      emit: run.emit,
      nextItemId: this.nextItemId,
      ...(this.o.beforeComplete ? { beforeComplete: this.o.beforeComplete } : {}),
    });
    this.usage = state.usage;
    return outcome;
  }
}
