/** What the agent asks for in one model call, independent of the wire API. */
import { chooseEffort, type ReasoningEffort, type ReasoningSummary, type ResolvedModel, type Verbosity } from '../catalog/index.js';
import type { JsonObject, ResponseItem, ToolSpec } from './items.js';

export type ToolChoice = 'auto' | 'none' | 'required';

export interface TurnRequest {
  /** The model as resolved against the catalog: `requested` is sent, `facts` decide which parameters are sent. */
  model: Pick<ResolvedModel, 'requested' | 'facts'>;
  /** Base instructions (Responses `instructions`; the first system/developer message over Chat). */
  instructions?: string;
  /** The full history, oldest first. Every request is stateless (`store:false`). */
  input: readonly ResponseItem[];
  tools?: readonly ToolSpec[];
  /** Default "auto". */
  toolChoice?: ToolChoice;
  /**
   * `model_reasoning_effort`: sent as asked, unless the catalog says the model does not take it (then the
   * nearest it takes, see catalog/effort.ts).
   */
  reasoningEffort?: ReasoningEffort;
  /** `model_reasoning_summary`; sent only when the model supports reasoning summaries. */
  reasoningSummary?: ReasoningSummary;
  /** `model_verbosity`; sent only when the model supports it. */
  verbosity?: Verbosity;
  /** JSON Schema the final answer must follow (`--output-schema`). */
  outputSchema?: JsonObject;
  /** The session's thread id: `prompt_cache_key` and the `session_id` header. */
  threadId: string;
  /** `service_tier` config value; "fast" is sent as "priority" (Codex 0.171 also takes "priority" itself). */
  serviceTier?: 'fast' | 'flex' | 'priority';
  /** Upper bound on output tokens; not sent unless set (Codex never sends one). */
  maxOutputTokens?: number;
  signal?: AbortSignal;
}

/** The effort to send (catalog/effort.ts decides); undefined sends none. */
export function effortFor(req: TurnRequest): ReasoningEffort | undefined {
  return chooseEffort(req.model, req.reasoningEffort).effort;
}

export function verbosityFor(req: TurnRequest): Verbosity | undefined {
  const { facts } = req.model;
  if (!facts.supportsVerbosity) return undefined;
  return req.verbosity ?? facts.defaultVerbosity ?? undefined;
}

export const OUTPUT_SCHEMA_NAME = 'codex_output_schema';
