/** Turning catalog entries (with unknowns) into the concrete facts the agent acts on. */
import type { ModelEntry, ModelFacts, ReasoningEffort } from './types.js';

/**
 * What an unknown model gets (as Codex's fallback metadata): function-style tools only, since many
 * compatible servers reject custom tools; no default reasoning effort (one the user sets is sent as
 * set: nobody has told us the model refuses it); no parallel calls; 272k context.
 */
export const FALLBACK_FACTS: ModelFacts = Object.freeze({
  contextWindow: 272_000,
  inputModalities: ['text', 'image'],
  reasoningEfforts: null,
  defaultReasoningEffort: null,
  supportsReasoningSummaries: false,
  defaultReasoningSummary: 'none',
  applyPatchToolType: 'function',
  shellType: 'default',
  webSearchToolType: 'text',
  parallelToolCalls: false,
  supportsVerbosity: false,
  defaultVerbosity: null,
  truncation: { mode: 'bytes', limit: 10_000 },
}) as ModelFacts;

/** Families of models that are not in the catalog but whose basic facts are well known (codex-compat.md §3.4). */
interface Family {
  prefixes: string[];
  facts: Partial<ModelFacts>;
}

const FAMILIES: Family[] = [
  { prefixes: ['o3', 'o4-mini', 'codex-mini-latest'], facts: { contextWindow: 200_000, supportsReasoningSummaries: true } },
  { prefixes: ['gpt-4.1'], facts: { contextWindow: 1_047_576 } },
  { prefixes: ['gpt-oss'], facts: { contextWindow: 96_000 } },
  { prefixes: ['gpt-4o'], facts: { contextWindow: 128_000 } },
  { prefixes: ['gpt-3.5'], facts: { contextWindow: 16_385 } },
];

/**
 * A family prefix covers a slug only up to a separator: `gpt-4.1` covers `gpt-4.1`, `gpt-4.1-mini` and
 * `gpt-4.1:latest` but not `gpt-4.10` or `gpt-4.1.5` (other version numbers); `o3` covers `o3-mini`, not `o30`.
 */
const FAMILY_BOUNDARY = /^(?:$|[-:_@])/;

/** The well-known family of a slug (without provider namespaces), or null. */
export function familyOf(slug: string): { name: string; facts: ModelFacts } | null {
  let best: { name: string; facts: Partial<ModelFacts> } | null = null;
  for (const family of FAMILIES) {
    for (const prefix of family.prefixes) {
      const covers = slug.startsWith(prefix) && FAMILY_BOUNDARY.test(slug.slice(prefix.length));
      if (covers && (!best || prefix.length > best.name.length)) best = { name: prefix, facts: family.facts };
    }
  }
  return best ? { name: best.name, facts: { ...FALLBACK_FACTS, ...best.facts } } : null;
}

function known<T>(value: T | 'unknown', fallback: T): T {
  return value === 'unknown' ? fallback : value;
}

/** The concrete facts for a catalog entry: stated facts win, unknown ones take the fallback's value. */
export function factsOf(entry: ModelEntry): ModelFacts {
  const efforts: ReasoningEffort[] | null = known(entry.reasoning_efforts, null);
  const defaultEffort = known(entry.default_reasoning_effort, null);
  const applyPatch = known(entry.apply_patch_tool_type, null);
  return {
    contextWindow: known(entry.context_window, FALLBACK_FACTS.contextWindow),
    inputModalities: known(entry.input_modalities, FALLBACK_FACTS.inputModalities),
    reasoningEfforts: efforts,
    // A stated default the stated list leaves out is not used; with no list, the stated default stands.
    defaultReasoningEffort: defaultEffort !== null && (efforts === null || efforts.includes(defaultEffort)) ? defaultEffort : null,
    supportsReasoningSummaries: known(entry.supports_reasoning_summaries, false),
    defaultReasoningSummary: known(entry.default_reasoning_summary, 'none'),
    applyPatchToolType: applyPatch ?? FALLBACK_FACTS.applyPatchToolType,
    shellType: known(entry.shell_type, FALLBACK_FACTS.shellType),
    webSearchToolType: known(entry.web_search_tool_type, FALLBACK_FACTS.webSearchToolType),
    parallelToolCalls: known(entry.supports_parallel_tool_calls, false),
    supportsVerbosity: known(entry.supports_verbosity, false),
    defaultVerbosity: known(entry.default_verbosity, null),
    truncation: known(entry.truncation, FALLBACK_FACTS.truncation),
  };
}

/** Config keys that adjust a model's facts (codex-compat.md §3.2, "with_config_overrides"). */
export interface FactOverrides {
  model_context_window?: number | undefined;
  model_supports_reasoning_summaries?: boolean | undefined;
  tool_output_token_limit?: number | undefined;
}

export function withOverrides(facts: ModelFacts, overrides: FactOverrides, maxContextWindow?: number): ModelFacts {
  const out: ModelFacts = { ...facts };
  if (overrides.model_context_window !== undefined) {
    out.contextWindow =
      maxContextWindow === undefined ? overrides.model_context_window : Math.min(overrides.model_context_window, maxContextWindow);
  }
  if (overrides.model_supports_reasoning_summaries === true) out.supportsReasoningSummaries = true;
  if (overrides.tool_output_token_limit !== undefined) {
    const tokens = overrides.tool_output_token_limit;
    out.truncation =
      facts.truncation.mode === 'tokens' ? { mode: 'tokens', limit: tokens } : { mode: 'bytes', limit: tokens * 4 };
  }
  return out;
}
