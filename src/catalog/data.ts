/**
 * The shipped model catalog.
 *
 * Sources: the Codex "Models" page (old and new versions, ../shared/seed/) for status, successors, access
 * and descriptions (rewritten in our words); Codex's own bundled catalog and historical model families
 * (../shared/spec/codex-compat.md §3.3–3.4) for context windows, efforts and tool styles. Anything neither
 * source states is 'unknown'. Capability and speed ratings are not stated by either, so they are unknown.
 * The models Codex 0.171 ships are in data-codex.ts.
 */
import { CODEX_0171_MODELS } from './data-codex.js';
import { model, surfaces } from './entry.js';
import type { Catalog, ModelEntry } from './types.js';

/** Facts Codex's bundled catalog gives every current OpenAI model (codex-compat.md §3.3). */
const CODEX_CATALOG_COMMON = {
  input_modalities: ['text', 'image'],
  reasoning_efforts: ['low', 'medium', 'high', 'xhigh'],
  supports_reasoning_summaries: true,
  shell_type: 'shell_command',
  apply_patch_tool_type: 'freeform',
  supports_parallel_tool_calls: true,
  supports_verbosity: true,
  surfaces: surfaces({ api: true }),
} as const satisfies Partial<ModelEntry>;

/** Facts of the Dec 2025 gpt-5-codex family (codex-compat.md §3.4). */
const CODEX_FAMILY_2025 = {
  context_window: 272_000,
  max_context_window: 272_000,
  shell_type: 'shell_command',
  apply_patch_tool_type: 'freeform',
  supports_parallel_tool_calls: false,
  truncation: { mode: 'tokens', limit: 10_000 },
} as const satisfies Partial<ModelEntry>;

/** The seed's models: the ones the models page names, current and retired, with its successors. */
const SEED_MODELS: ModelEntry[] = [
  model({
    slug: 'gpt-5.4',
    display_name: 'GPT-5.4',
    description:
      'Flagship model for professional work: the coding strength of gpt-5.3-codex with stronger reasoning, tool use and agentic workflows. The place to start for most tasks.',
    status: 'recommended',
    ...CODEX_CATALOG_COMMON,
    context_window: 272_000,
    max_context_window: 1_000_000,
    default_reasoning_effort: 'xhigh',
    default_reasoning_summary: 'none',
    default_verbosity: 'low',
    web_search_tool_type: 'text_and_image',
    truncation: { mode: 'tokens', limit: 10_000 },
  }),
  model({
    slug: 'gpt-5.4-mini',
    display_name: 'GPT-5.4 mini',
    description:
      'Fast, lower-cost model for responsive, lighter coding tasks; the default choice for subagents.',
    status: 'recommended',
    ...CODEX_CATALOG_COMMON,
    context_window: 272_000,
    max_context_window: 272_000,
    default_reasoning_effort: 'medium',
    default_reasoning_summary: 'none',
    default_verbosity: 'medium',
    web_search_tool_type: 'text_and_image',
    truncation: { mode: 'tokens', limit: 10_000 },
  }),
  model({
    slug: 'gpt-5.3-codex',
    display_name: 'GPT-5.3-Codex',
    description:
      'Coding model for complex software engineering; its coding abilities are also what powers gpt-5.4.',
    status: 'recommended',
    ...CODEX_CATALOG_COMMON,
    context_window: 272_000,
    max_context_window: 272_000,
    default_reasoning_effort: 'medium',
    default_reasoning_summary: 'none',
    default_verbosity: 'low',
    web_search_tool_type: 'text',
    truncation: { mode: 'tokens', limit: 10_000 },
    // The old models page: available to ChatGPT-authenticated sessions in the app, CLI, IDE extension
    // and Cloud; Codex's current catalog marks it supported in the API.
    surfaces: surfaces({ cli_sdk: true, ide_extension: true, cloud: true, api: true }),
  }),
  model({
    slug: 'gpt-5.3-codex-spark',
    display_name: 'GPT-5.3-Codex-Spark',
    description:
      'Text-only research preview tuned for near-instant, real-time coding iteration.',
    status: 'recommended',
    preview: true,
    input_modalities: ['text'],
    access_note: 'ChatGPT Pro subscribers only (research preview)',
  }),
  model({
    slug: 'gpt-5.2',
    display_name: 'GPT-5.2',
    description:
      'The previous general-purpose model; still a good pick for hard debugging that rewards deeper deliberation.',
    status: 'alternative',
    ...CODEX_CATALOG_COMMON,
    context_window: 272_000,
    max_context_window: 272_000,
    default_reasoning_effort: 'medium',
    default_reasoning_summary: 'auto',
    default_verbosity: 'low',
    web_search_tool_type: 'text',
    truncation: { mode: 'bytes', limit: 10_000 },
  }),
  model({
    slug: 'gpt-5.2-codex',
    display_name: 'GPT-5.2-Codex',
    description: 'Earlier coding model for real-world engineering.',
    status: 'retired',
    successor: 'gpt-5.3-codex',
    context_window: 272_000,
    max_context_window: 272_000,
    shell_type: 'shell_command',
    apply_patch_tool_type: 'freeform',
    supports_parallel_tool_calls: true,
  }),
  model({
    slug: 'gpt-5.1-codex-max',
    display_name: 'GPT-5.1-Codex-Max',
    description: 'Earlier model for long-horizon, agentic coding sessions.',
    status: 'retired',
    ...CODEX_FAMILY_2025,
    reasoning_efforts: ['low', 'medium', 'high', 'xhigh'],
  }),
  model({
    slug: 'gpt-5.1',
    display_name: 'GPT-5.1',
    description: 'Earlier general model for coding and agentic work across domains.',
    status: 'retired',
    successor: 'gpt-5.2',
    context_window: 272_000,
    max_context_window: 272_000,
    apply_patch_tool_type: 'freeform',
    supports_parallel_tool_calls: true,
    supports_verbosity: true,
    default_verbosity: 'low',
    default_reasoning_effort: 'medium',
    truncation: { mode: 'bytes', limit: 10_000 },
  }),
  model({
    slug: 'gpt-5.1-codex',
    display_name: 'GPT-5.1-Codex',
    description: 'Earlier model for long-running, agentic coding sessions.',
    status: 'retired',
    successor: 'gpt-5.1-codex-max',
    ...CODEX_FAMILY_2025,
  }),
  model({
    slug: 'gpt-5-codex',
    display_name: 'GPT-5-Codex',
    description: 'GPT-5 adapted for long-running, agentic coding sessions.',
    status: 'retired',
    successor: 'gpt-5.1-codex',
    ...CODEX_FAMILY_2025,
  }),
  model({
    slug: 'gpt-5-codex-mini',
    display_name: 'GPT-5-Codex-Mini',
    description: 'Smaller, cheaper variant of gpt-5-codex.',
    status: 'retired',
    successor: 'gpt-5.1-codex-mini',
    ...CODEX_FAMILY_2025,
  }),
  model({
    slug: 'gpt-5',
    display_name: 'GPT-5',
    description: 'The first GPT-5 reasoning model for coding and agentic tasks.',
    status: 'retired',
    successor: 'gpt-5.1',
    context_window: 272_000,
    max_context_window: 272_000,
    shell_type: 'default',
    supports_verbosity: true,
    reasoning_efforts: ['minimal', 'low', 'medium', 'high'],
  }),
];

/**
 * The seed's models first (its recommendation, gpt-5.4, stays the default this product documents), then
 * the models Codex 0.171 ships (data-codex.ts) in its priority order.
 */
export const SHIPPED_CATALOG: Catalog = {
  default_model: 'gpt-5.4',
  default_from: 'shipped',
  origin: { kind: 'shipped' },
  small_model: 'gpt-5.4-mini',
  models: [...SEED_MODELS, ...CODEX_0171_MODELS],
};
