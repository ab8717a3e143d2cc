/** What the agent asks for in one model call, independent of the wire API. */
import type { ReasoningEffort, ReasoningSummary, ResolvedModel, Verbosity } from '../catalog/index.js';
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
  /** `model_reasoning_effort`; sent only when the catalog lists it for the model. */
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

/**
 * The effort to send: the configured one when the catalog lists it for the model, else the model's
 * default; undefined when the model takes none.
 */
export function effortFor(req: TurnRequest): ReasoningEffort | undefined {
  const { facts } = req.model;
  if (req.reasoningEffort !== undefined && facts.reasoningEfforts.includes(req.reasoningEffort)) return req.reasoningEffort;
  const fallback = facts.defaultReasoningEffort;
  return fallback !== null && facts.reasoningEfforts.includes(fallback) ? fallback : undefined;
}

export function verbosityFor(req: TurnRequest): Verbosity | undefined {
  const { facts } = req.model;
  if (!facts.supportsVerbosity) return undefined;
  return req.verbosity ?? facts.defaultVerbosity ?? undefined;
}

export const OUTPUT_SCHEMA_NAME = 'codex_output_schema';
