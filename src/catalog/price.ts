/** What tokens cost, where the catalog knows a model's prices (USD per million tokens). */
import type { ModelEntry } from './types.js';

export interface TokenCounts {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
}

/**
 * The estimated cost in USD of `usage` on the model `entry` describes, or null when the catalog does not
 * know its input and output prices. Cached input is billed at the cached price when known, else at the
 * input price.
 */
export function estimateCost(entry: ModelEntry | undefined, usage: TokenCounts): number | null {
  const p = entry?.price;
  if (!p || typeof p.input !== 'number' || typeof p.output !== 'number') return null;
  const cachedRate = typeof p.cached_input === 'number' ? p.cached_input : p.input;
  const uncached = usage.input_tokens - usage.cached_input_tokens;
  return (uncached * p.input + usage.cached_input_tokens * cachedRate + usage.output_tokens * p.output) / 1e6;
}
