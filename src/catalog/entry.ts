/** Building catalog entries: every fact nobody states is 'unknown' (or the neutral value where one exists). */
import type { ModelEntry, Price, Surfaces } from './types.js';

const UNKNOWN_PRICE: Price = { input: 'unknown', cached_input: 'unknown', output: 'unknown' };

export function surfaces(partial: Partial<Surfaces> = {}): Surfaces {
  return {
    cli_sdk: 'unknown',
    ide_extension: 'unknown',
    cloud: 'unknown',
    chatgpt_credits: 'unknown',
    api: 'unknown',
    ...partial,
  };
}

export type Identity = Pick<ModelEntry, 'slug' | 'display_name' | 'description' | 'status'>;

/** Every fact of an entry besides its identity, as 'unknown' (or the neutral value where one exists). */
export function unknownFacts(): Omit<ModelEntry, keyof Identity> {
  return {
    preview: false,
    successor: null,
    upgrade: null,
    priority: 'unknown',
    hidden: false,
    capability: 'unknown',
    speed: 'unknown',
    input_modalities: 'unknown',
    context_window: 'unknown',
    max_context_window: 'unknown',
    reasoning_efforts: 'unknown',
    default_reasoning_effort: 'unknown',
    supports_reasoning_summaries: 'unknown',
    default_reasoning_summary: 'unknown',
    apply_patch_tool_type: 'unknown',
    shell_type: 'unknown',
    web_search_tool_type: 'unknown',
    supports_parallel_tool_calls: 'unknown',
    supports_verbosity: 'unknown',
    default_verbosity: 'unknown',
    truncation: 'unknown',
    price: { ...UNKNOWN_PRICE },
    surfaces: surfaces(),
    access_note: null,
  };
}

/** An entry whose every unstated fact is 'unknown'. */
export function model(facts: Identity & Partial<ModelEntry>): ModelEntry {
  return { ...unknownFacts(), ...facts };
}
