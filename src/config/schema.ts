/**
 * The config.toml schema: every key Codex users rely on (codex-compat.md §2.3–2.4, §2.8), with
 * `wire_api` accepting both "responses" and "chat". Every table is strict, so that load.ts can find the keys
 * it does not know (anywhere) and report them in one warning, as Codex does; `--strict-config` makes that
 * an error.
 */
import * as z from 'zod';
import { ignoredKeysUnder } from './ignored.js';

export const SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];
export const APPROVAL_POLICIES = ['untrusted', 'on-failure', 'on-request', 'never'] as const;
export type ApprovalPolicyName = (typeof APPROVAL_POLICIES)[number];
export const WIRE_APIS = ['responses', 'chat'] as const;
export type WireApi = (typeof WIRE_APIS)[number];
export const LOCAL_PROVIDERS = ['ollama', 'lmstudio'] as const;
/** `indexed` (Codex 0.171) runs as `cached` here: see web-search.ts. */
export const WEB_SEARCH_MODES = ['disabled', 'cached', 'indexed', 'live'] as const;
export type WebSearchMode = (typeof WEB_SEARCH_MODES)[number];
export type LocalProviderId = (typeof LOCAL_PROVIDERS)[number];

/** Codex 0.171's efforts, lowest first (the same list as the catalog's REASONING_EFFORTS). */
export const REASONING_EFFORT_VALUES = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', 'ultra'] as const;
const effort = z.enum(REASONING_EFFORT_VALUES);
const nonNegInt = z.number().int().nonnegative();
const posInt = z.number().int().positive();
const stringMap = z.record(z.string(), z.string());
const strings = z.array(z.string());

/** Keys accepted only to be ignored (ignored.ts): any value, since nothing reads it. */
const acceptedOnly = (parent: readonly string[]): Record<string, z.ZodOptional<z.ZodUnknown>> =>
  Object.fromEntries(ignoredKeysUnder(parent).map((k) => [k, z.unknown().optional()]));

export const providerSchema = z.strictObject({
  name: z.string().min(1, 'must not be empty').optional(),
  base_url: z.string().min(1).optional(),
  env_key: z.string().min(1).optional(),
  env_key_instructions: z.string().optional(),
  experimental_bearer_token: z.string().optional(),
  auth: z
    .strictObject({
      command: z.string().min(1),
      args: strings.optional(),
      timeout_ms: posInt.optional(),
      refresh_interval_ms: nonNegInt.optional(),
      cwd: z.string().optional(),
    })
    .optional(),
  aws: z.strictObject({ profile: z.string().optional(), region: z.string().optional() }).optional(),
  wire_api: z.enum(WIRE_APIS).optional(),
  query_params: stringMap.optional(),
  http_headers: stringMap.optional(),
  env_http_headers: stringMap.optional(),
  request_max_retries: nonNegInt.max(100).optional(),
  stream_max_retries: nonNegInt.max(100).optional(),
  stream_idle_timeout_ms: posInt.optional(),
  requires_openai_auth: z.boolean().optional(),
  /** Codex 0.171: an absolute URL serving a Codex model catalog (`{"models": [...]}`); see `models --refresh`. */
  model_catalog_url: z.string().min(1).optional(),
  // opencodex additions: how an OpenAI-compatible server's Chat Completions dialect differs (never guessed
  // from the URL). `dialect` picks a preset; each `chat_*` key overrides one of its settings.
  dialect: z.enum(['openai', 'generic', 'ollama', 'lmstudio', 'vllm', 'llamacpp', 'openrouter']).optional(),
  chat_instructions_role: z.enum(['system', 'developer']).optional(),
  chat_max_tokens_field: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
  chat_reasoning_effort: z.enum(['reasoning_effort', 'reasoning', 'none']).optional(),
  chat_reasoning_echo: z.enum(['reasoning_content', 'reasoning', 'none']).optional(),
  chat_tool_choice: z.boolean().optional(),
  chat_parallel_tool_calls: z.boolean().optional(),
  chat_stream_usage: z.boolean().optional(),
  chat_structured_output: z.boolean().optional(),
  // opencodex addition: the server accepts the hosted `web_search` tool and replays `web_search_call`
  // items (true for the built-in openai provider; false for every other provider unless set).
  supports_web_search: z.boolean().optional(),
  // opencodex addition: the Responses server takes `namespace` tools (the subagent tools are offered in one,
  // as Codex does); true for the built-in openai provider, false for every other provider unless set.
  supports_tool_namespaces: z.boolean().optional(),
  ...acceptedOnly(['model_providers', '*']),
});
export type ProviderConfig = z.infer<typeof providerSchema>;

/** Codex's `AppToolApproval`. */
const mcpApprovalMode = z.enum(['auto', 'prompt', 'approve']);

export const mcpServerSchema = z
  .strictObject({
    // stdio transport
    command: z.string().min(1).optional(),
    args: strings.optional(),
    env: stringMap.optional(),
    env_vars: strings.optional(),
    cwd: z.string().optional(),
    // streamable HTTP transport
    url: z.string().min(1).optional(),
    bearer_token_env_var: z.string().optional(),
    http_headers: stringMap.optional(),
    env_http_headers: stringMap.optional(),
    // common
    enabled: z.boolean().optional(),
    required: z.boolean().optional(),
    startup_timeout_sec: z.number().positive().optional(),
    startup_timeout_ms: posInt.optional(),
    tool_timeout_sec: z.number().positive().optional(),
    enabled_tools: strings.optional(),
    disabled_tools: strings.optional(),
    supports_parallel_tool_calls: z.boolean().optional(),
    default_tools_approval_mode: mcpApprovalMode.optional(),
    tools: z.record(z.string(), z.strictObject({ approval_mode: mcpApprovalMode.optional() })).optional(),
    ...acceptedOnly(['mcp_servers', '*']),
  })
  .refine((s) => (s.command === undefined) !== (s.url === undefined), {
    message: 'needs exactly one of `command` (a stdio server) or `url` (an HTTP server)',
  });
export type McpServerConfig = z.infer<typeof mcpServerSchema>;

const sandboxWorkspaceWriteSchema = z.strictObject({
  writable_roots: strings.optional(),
  network_access: z.boolean().optional(),
  exclude_tmpdir_env_var: z.boolean().optional(),
  exclude_slash_tmp: z.boolean().optional(),
});

const shellEnvironmentPolicySchema = z.strictObject({
  inherit: z.enum(['all', 'core', 'none']).optional(),
  ignore_default_excludes: z.boolean().optional(),
  exclude: strings.optional(),
  set: stringMap.optional(),
  include_only: strings.optional(),
  ...acceptedOnly(['shell_environment_policy']),
});

/**
 * `[agents]`: the subagent limits and defaults (Codex's keys; `max_concurrent_threads_per_session` is
 * Codex 0.171's name for `max_threads`). `default_subagent_provider` is an opencodex addition: the provider
 * `default_subagent_model` runs on.
 */
const agentsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  max_threads: posInt.optional(),
  max_concurrent_threads_per_session: posInt.optional(),
  max_depth: nonNegInt.max(8).optional(),
  default_subagent_model: z.string().min(1).optional(),
  default_subagent_reasoning_effort: effort.optional(),
  default_subagent_provider: z.string().min(1).optional(),
  ...acceptedOnly(['agents']),
});
export type AgentsConfig = z.infer<typeof agentsSchema>;

const granularApprovalSchema = z.strictObject({
  granular: z.record(z.string(), z.union([z.boolean(), z.string()])),
});

/** Keys a profile can set: everything a config.toml can, except choosing another profile. */
const settings = {
  model: z.string().min(1).optional(),
  review_model: z.string().min(1).optional(),
  model_provider: z.string().min(1).optional(),
  openai_base_url: z.string().min(1).optional(),
  chatgpt_base_url: z.string().min(1).optional(),
  model_context_window: posInt.optional(),
  model_auto_compact_token_limit: posInt.optional(),
  model_reasoning_effort: effort.optional(),
  plan_mode_reasoning_effort: effort.optional(),
  model_reasoning_summary: z.enum(['auto', 'concise', 'detailed', 'none']).optional(),
  model_verbosity: z.enum(['low', 'medium', 'high']).optional(),
  model_supports_reasoning_summaries: z.boolean().optional(),
  model_catalog_json: z.string().min(1).optional(),
  // opencodex addition: the provider key `model_catalog_url` for every provider, the built-in ones included.
  model_catalog_url: z.string().min(1).optional(),
  model_instructions_file: z.string().min(1).optional(),
  developer_instructions: z.string().optional(),
  instructions: z.string().optional(),
  compact_prompt: z.string().optional(),
  experimental_compact_prompt_file: z.string().optional(),
  tool_output_token_limit: posInt.optional(),
  // `priority` (Codex 0.171) is what `fast` is sent as.
  service_tier: z.enum(['fast', 'flex', 'priority']).optional(),
  personality: z.string().optional(),
  oss_provider: z.enum(LOCAL_PROVIDERS).optional(),
  web_search: z.enum(WEB_SEARCH_MODES).optional(),
  model_providers: z.record(z.string(), providerSchema).optional(),
  approval_policy: z.union([z.enum(APPROVAL_POLICIES), granularApprovalSchema]).optional(),
  sandbox_mode: z.enum(SANDBOX_MODES).optional(),
  sandbox_workspace_write: sandboxWorkspaceWriteSchema.optional(),
  shell_environment_policy: shellEnvironmentPolicySchema.optional(),
  allow_login_shell: z.boolean().optional(),
  mcp_servers: z.record(z.string(), mcpServerSchema).optional(),
  project_doc_max_bytes: nonNegInt.optional(),
  project_doc_fallback_filenames: strings.optional(),
  project_root_markers: strings.optional(),
  history: z
    .strictObject({ persistence: z.enum(['save-all', 'none']).optional(), max_bytes: nonNegInt.optional() })
    .optional(),
  notify: z.array(z.string()).min(1, 'must name a program to run').optional(),
  hide_agent_reasoning: z.boolean().optional(),
  show_raw_agent_reasoning: z.boolean().optional(),
  include_permissions_instructions: z.boolean().optional(),
  include_environment_context: z.boolean().optional(),
  include_apps_instructions: z.boolean().optional(),
  projects: z.record(z.string(), z.strictObject({ trust_level: z.enum(['trusted', 'untrusted']).optional() })).optional(),
  features: z.record(z.string(), z.boolean()).optional(),
  agents: agentsSchema.optional(),
};

/** Codex root keys that only ignored.ts names (the ones a profile can set are typed above). */
const codexOnly = Object.fromEntries(
  ignoredKeysUnder([])
    .filter((k) => !(k in settings))
    .map((k) => [k, z.unknown().optional()]),
);

/** Strict at every level: load.ts takes the unknown keys out (with one warning) before the real parse. */
export const configSchema = z.strictObject({
  ...settings,
  ...codexOnly,
  profile: z.string().min(1).optional(),
  /** Legacy profile tables; validated only when one is selected (load.ts). */
  profiles: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

export type Config = z.infer<typeof configSchema>;
export type SandboxWorkspaceWrite = NonNullable<Config['sandbox_workspace_write']>;
export type ShellEnvironmentPolicy = NonNullable<Config['shell_environment_policy']>;
export type ApprovalPolicySetting = NonNullable<Config['approval_policy']>;

export const KNOWN_ROOT_KEYS: ReadonlySet<string> = new Set(Object.keys(configSchema.shape));
