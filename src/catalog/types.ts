/** Facts about models. `'unknown'` marks a fact nobody has told us; it is never guessed. */
export type Unknown = 'unknown';
export type Tri = boolean | Unknown;

export const MODEL_STATUSES = ['recommended', 'alternative', 'retired'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export const REASONING_SUMMARIES = ['auto', 'concise', 'detailed', 'none'] as const;
export type ReasoningSummary = (typeof REASONING_SUMMARIES)[number];

export const VERBOSITIES = ['low', 'medium', 'high'] as const;
export type Verbosity = (typeof VERBOSITIES)[number];

export const INPUT_MODALITIES = ['text', 'image'] as const;
export type InputModality = (typeof INPUT_MODALITIES)[number];

/** How the model prefers to receive apply_patch: a Responses custom tool with a grammar, or a JSON function. */
export type ApplyPatchToolType = 'freeform' | 'function';
/** What the hosted web search returns to the model: text results, or text and images. */
export type WebSearchToolType = 'text' | 'text_and_image';
/**
 * `shell_command`: one script string; `default`: an argv array (Codex's `shell`); `unified_exec`: the
 * `exec_command` / `write_stdin` pair (long-running and interactive processes, optionally on a terminal).
 */
export type ShellType = 'shell_command' | 'default' | 'unified_exec';

export interface TruncationPolicy {
  mode: 'bytes' | 'tokens';
  limit: number;
}

/** USD per million tokens. */
export interface Price {
  input: number | Unknown;
  cached_input: number | Unknown;
  output: number | Unknown;
}

/** Where the model can be used, as the Codex models page lists it. */
export interface Surfaces {
  cli_sdk: Tri;
  ide_extension: Tri;
  cloud: Tri;
  chatgpt_credits: Tri;
  api: Tri;
}

export const SURFACE_LABELS: Record<keyof Surfaces, string> = {
  cli_sdk: 'CLI & SDK',
  ide_extension: 'App & IDE extension',
  cloud: 'Cloud',
  chatgpt_credits: 'ChatGPT credits',
  api: 'API access',
};

export interface ModelEntry {
  slug: string;
  display_name: string;
  /** One line, in our own words. */
  description: string;
  status: ModelStatus;
  /** True for research previews. */
  preview: boolean;
  /** For retired models: the model that replaced it (which may itself be retired or absent from the catalog). */
  successor: string | null;
  /** Relative ratings on a 1–5 scale. */
  capability: number | Unknown;
  speed: number | Unknown;
  input_modalities: InputModality[] | Unknown;
  /** Tokens the model works with by default, and the most it accepts. */
  context_window: number | Unknown;
  max_context_window: number | Unknown;
  reasoning_efforts: ReasoningEffort[] | Unknown;
  default_reasoning_effort: ReasoningEffort | null | Unknown;
  supports_reasoning_summaries: Tri;
  default_reasoning_summary: ReasoningSummary | Unknown;
  apply_patch_tool_type: ApplyPatchToolType | null | Unknown;
  shell_type: ShellType | Unknown;
  web_search_tool_type: WebSearchToolType | Unknown;
  supports_parallel_tool_calls: Tri;
  supports_verbosity: Tri;
  default_verbosity: Verbosity | null | Unknown;
  truncation: TruncationPolicy | Unknown;
  price: Price;
  surfaces: Surfaces;
  /** Who may use it, when that is restricted. */
  access_note: string | null;
}

export interface Catalog {
  /** The model used when nothing chooses one. */
  default_model: string;
  /** The recommended small model for subagents and background helpers, when the catalog names one. */
  small_model: string | null;
  models: ModelEntry[];
}

/** Concrete facts the agent acts on: catalog facts, with safe defaults where a fact is unknown. */
export interface ModelFacts {
  contextWindow: number;
  inputModalities: InputModality[];
  /** Empty when no effort may be sent. */
  reasoningEfforts: ReasoningEffort[];
  defaultReasoningEffort: ReasoningEffort | null;
  supportsReasoningSummaries: boolean;
  defaultReasoningSummary: ReasoningSummary;
  applyPatchToolType: ApplyPatchToolType;
  shellType: ShellType;
  /** `text_and_image`: the web_search tool is offered with `search_content_types: ["text","image"]`. */
  webSearchToolType: WebSearchToolType;
  parallelToolCalls: boolean;
  supportsVerbosity: boolean;
  defaultVerbosity: Verbosity | null;
  truncation: TruncationPolicy;
}

export type LookupMatch =
  | { kind: 'exact'; entry: ModelEntry }
  | { kind: 'prefix'; entry: ModelEntry }
  | { kind: 'namespace'; entry: ModelEntry; stripped: string }
  | { kind: 'unknown'; family: string | null };

export interface ResolvedModel {
  /** The slug as the user asked for it; this is what is sent to the provider. */
  requested: string;
  match: LookupMatch;
  /** The catalog entry that describes the model, if any. */
  entry: ModelEntry | undefined;
  facts: ModelFacts;
}
