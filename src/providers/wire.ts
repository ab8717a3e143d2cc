/** The contract between the transport (SSE bytes) and a wire API's stream decoder. */
import type { ProviderEvent } from './events.js';
import type { ResponseItem, Usage } from './items.js';

export interface StreamDecoder {
  /**
   * Handles one SSE event and appends the normalized events it yields to `out`. Throws a ProviderError
   * when the server reports a failure inside the stream.
   */
  onEvent(event: string | undefined, data: string, out: ProviderEvent[]): void;
  /** True once the terminal event was emitted; later input is ignored. */
  readonly finished: boolean;
  /** The body ended. Emits the terminal event if the stream is complete, else throws a retryable stream error. */
  onEnd(out: ProviderEvent[]): void;
}

/** Context a decoder needs to word failures. */
export interface DecoderContext {
  provider: string;
  model: string;
  secrets: readonly string[];
  maxRetryAfterMs: number;
}

export function usageOf(input: number, cached: number, output: number, reasoning: number, total?: number, cacheWrite = 0): Usage {
  return { inputTokens: input, cachedInputTokens: cached, cacheWriteInputTokens: cacheWrite, outputTokens: output, reasoningTokens: reasoning, totalTokens: total ?? input + output };
}

export function stopReasonOf(items: readonly ResponseItem[]): 'stop' | 'tool_calls' {
  return items.some((i) => i.type === 'function_call' || i.type === 'custom_tool_call') ? 'tool_calls' : 'stop';
}

/** Reads a number that may be missing or of the wrong type. */
export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
