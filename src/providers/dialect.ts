/**
 * Chat Completions dialects (wire.md §4–6): named, explicit settings per provider. A provider's
 * `dialect` key picks a preset; `chat_*` keys override single settings. Nothing is guessed from the URL:
 * the built-in providers get their own preset, user providers get `generic` unless they name one.
 */
import type { ProviderInfo } from '../config/index.js';

export type DialectName = 'openai' | 'generic' | 'ollama' | 'lmstudio' | 'vllm' | 'llamacpp' | 'openrouter';

export interface ChatDialect {
  name: DialectName;
  /** Role of the instructions and developer messages: many local chat templates only know `system`. */
  instructionsRole: 'system' | 'developer';
  /** Field carrying the output-token limit (Ollama reads only `max_tokens`). */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** How a reasoning effort is sent: `reasoning_effort: "high"`, `reasoning: {effort}` (OpenRouter), or not at all. */
  reasoningEffort: 'reasoning_effort' | 'reasoning' | 'none';
  /**
   * Field on an assistant tool-call message that carries the reasoning text back (DeepSeek and llama.cpp
   * want `reasoning_content`, Ollama and vLLM `reasoning`), or `none` to never send it.
   */
  reasoningEcho: 'reasoning_content' | 'reasoning' | 'none';
  /** Send `tool_choice` (Ollama does not support it). */
  toolChoice: boolean;
  /** Send `parallel_tool_calls`. */
  parallelToolCalls: boolean;
  /** Ask for a usage chunk with `stream_options.include_usage`. */
  streamUsage: boolean;
  /**
   * The server honours `response_format: {type: "json_schema"}` while the model keeps calling tools. Many
   * local servers constrain every token to the schema instead, so the model can no longer call a tool:
   * features that need both (the review) then ask for the JSON in the prompt and parse the answer leniently.
   * `--output-schema` is sent whatever this says (the user asked for it).
   */
  structuredOutput: boolean;
}

type Settings = Omit<ChatDialect, 'name'>;

const GENERIC: Settings = {
  instructionsRole: 'system',
  maxTokensField: 'max_tokens',
  reasoningEffort: 'reasoning_effort',
  reasoningEcho: 'reasoning_content',
  toolChoice: true,
  parallelToolCalls: true,
  streamUsage: true,
  structuredOutput: false,
};

export const DIALECT_PRESETS: Readonly<Record<DialectName, Readonly<Settings>>> = {
  openai: { ...GENERIC, instructionsRole: 'developer', maxTokensField: 'max_completion_tokens', reasoningEcho: 'none', structuredOutput: true },
  generic: GENERIC,
  ollama: { ...GENERIC, reasoningEcho: 'reasoning', toolChoice: false, parallelToolCalls: false },
  lmstudio: { ...GENERIC, reasoningEcho: 'none' },
  vllm: { ...GENERIC, reasoningEcho: 'reasoning' },
  llamacpp: GENERIC,
  openrouter: { ...GENERIC, reasoningEffort: 'reasoning', reasoningEcho: 'none' },
};

/**
 * Whether a provider takes a structured-output format alongside tools: the Responses API does (`text.format`),
 * a Chat Completions server when its dialect says so (`chat_structured_output`; the `openai` preset).
 */
export function takesStructuredOutput(provider: ProviderInfo): boolean {
  return provider.wire_api === 'responses' || resolveDialect(provider).structuredOutput;
}

const BUILTIN_DIALECT: Record<string, DialectName> = { openai: 'openai', ollama: 'ollama', lmstudio: 'lmstudio' };

export function dialectName(provider: Pick<ProviderInfo, 'id' | 'builtin' | 'dialect'>): DialectName {
  return provider.dialect ?? (provider.builtin ? BUILTIN_DIALECT[provider.id] : undefined) ?? 'generic';
}

export function resolveDialect(provider: ProviderInfo): ChatDialect {
  const name = dialectName(provider);
  const p = DIALECT_PRESETS[name];
  return {
    name,
    instructionsRole: provider.chat_instructions_role ?? p.instructionsRole,
    maxTokensField: provider.chat_max_tokens_field ?? p.maxTokensField,
    reasoningEffort: provider.chat_reasoning_effort ?? p.reasoningEffort,
    reasoningEcho: provider.chat_reasoning_echo ?? p.reasoningEcho,
    toolChoice: provider.chat_tool_choice ?? p.toolChoice,
    parallelToolCalls: provider.chat_parallel_tool_calls ?? p.parallelToolCalls,
    streamUsage: provider.chat_stream_usage ?? p.streamUsage,
    structuredOutput: provider.chat_structured_output ?? p.structuredOutput,
  };
}
