/**
 * The one list of config keys opencodex accepts (so a Codex config.toml runs unchanged) but does not act
 * on, each with the reason. `opencodex config` marks them as ignored, so none is dropped silently.
 * Whoever makes opencodex act on one of these keys removes it here. `*` stands for any table name
 * (a provider id, an MCP server name).
 *
 * Keys opencodex does not know at all are a different case: load.ts reports them in one warning and
 * `--strict-config` makes them an error.
 */

export interface IgnoredKey {
  path: readonly string[];
  reason: string;
}

const NO_UI_SETTING = 'a Codex terminal-UI setting';

export const IGNORED_KEYS: readonly IgnoredKey[] = [
  // Root keys of Codex features opencodex does not have.
  { path: ['chatgpt_base_url'], reason: 'opencodex has no ChatGPT sign-in' },
  { path: ['chatgpt_base_url_override'], reason: 'opencodex has no ChatGPT sign-in' },
  { path: ['cli_auth_credentials_store'], reason: 'opencodex keeps its API key in <home>/auth.json' },
  { path: ['forced_login_method'], reason: 'opencodex has no ChatGPT sign-in' },
  { path: ['forced_chatgpt_workspace_id'], reason: 'opencodex has no ChatGPT sign-in' },
  { path: ['plan_mode_reasoning_effort'], reason: 'opencodex has no plan mode' },
  { path: ['personality'], reason: 'opencodex has no personalities' },
  { path: ['show_raw_agent_reasoning'], reason: 'opencodex shows reasoning summaries only' },
  { path: ['include_apps_instructions'], reason: 'opencodex has no apps' },
  { path: ['model_reasoning_summary_format'], reason: 'not used by opencodex' },
  { path: ['features'], reason: 'opencodex reads only features.unified_exec and features.multi_agent' },
  { path: ['tools'], reason: 'use web_search for the web search tool' },
  { path: ['tui'], reason: NO_UI_SETTING },
  { path: ['disable_paste_burst'], reason: NO_UI_SETTING },
  { path: ['file_opener'], reason: NO_UI_SETTING },
  { path: ['notice'], reason: NO_UI_SETTING },
  { path: ['check_for_update_on_startup'], reason: 'opencodex does not check for updates' },
  { path: ['windows_wsl_setup_acknowledged'], reason: 'opencodex runs on Linux' },
  { path: ['log_dir'], reason: 'opencodex keeps no log files' },
  { path: ['sqlite_home'], reason: 'opencodex keeps no SQLite state' },
  { path: ['otel'], reason: 'opencodex sends no telemetry' },
  { path: ['analytics'], reason: 'opencodex sends no telemetry' },
  { path: ['hooks'], reason: 'opencodex has no hooks' },
  { path: ['skills'], reason: 'opencodex has no skills' },
  { path: ['plugins'], reason: 'opencodex has no plugins' },
  { path: ['apps'], reason: 'opencodex has no apps' },
  { path: ['memories'], reason: 'opencodex has no memories' },
  { path: ['permissions'], reason: 'use sandbox_mode and [sandbox_workspace_write]' },
  { path: ['default_permissions'], reason: 'use sandbox_mode and [sandbox_workspace_write]' },
  // Provider keys.
  { path: ['model_providers', '*', 'supports_websockets'], reason: 'opencodex streams over HTTP only' },
  { path: ['model_providers', '*', 'websocket_connect_timeout_ms'], reason: 'opencodex streams over HTTP only' },
  { path: ['model_providers', '*', 'supports_standalone_web_search'], reason: 'web search is the hosted tool only (supports_web_search)' },
  // MCP server keys.
  { path: ['mcp_servers', '*', 'scopes'], reason: 'opencodex has no MCP OAuth login' },
  { path: ['mcp_servers', '*', 'oauth_resource'], reason: 'opencodex has no MCP OAuth login' },
  { path: ['mcp_servers', '*', 'environment_id'], reason: 'opencodex runs MCP servers locally only' },
  { path: ['mcp_servers', '*', 'http_headers_helper'], reason: 'use http_headers or env_http_headers' },
  // Nested keys of tables opencodex does read.
  { path: ['agents', 'job_max_runtime_seconds'], reason: 'opencodex has no CSV batch jobs (spawn_agents_on_csv)' },
  { path: ['agents', 'interrupt_message'], reason: 'an interrupted subagent is always reported to the model as interrupted' },
  { path: ['shell_environment_policy', 'experimental_use_profile'], reason: 'commands do not run a login profile first' },
];

/** Values Codex 0.171 takes that opencodex runs with another meaning, each with what it does here. */
export const VALUE_NOTES: ReadonlyArray<{ path: readonly string[]; value: string; note: string }> = [
  { path: ['web_search'], value: 'indexed', note: 'runs as "cached": searches stay inside the provider\'s index' },
];

const matches = (pattern: readonly string[], path: readonly string[]): boolean =>
  pattern.length <= path.length && pattern.every((p, i) => p === '*' || p === path[i]);

/** Keys inside an ignored table that opencodex does act on. */
const ACTED_ON: ReadonlyArray<readonly string[]> = [
  ['features', 'unified_exec'],
  ['features', 'multi_agent'],
];

/** Why a key (or a key inside it) is ignored, or undefined when opencodex acts on it. */
export function ignoredReason(path: readonly string[]): string | undefined {
  if (ACTED_ON.some((p) => matches(p, path))) return undefined;
  return IGNORED_KEYS.find((k) => matches(k.path, path))?.reason;
}

/** What a value means here when that differs from Codex, else undefined. */
export function valueNote(path: readonly string[], value: unknown): string | undefined {
  return VALUE_NOTES.find((n) => n.value === value && n.path.length === path.length && matches(n.path, path))?.note;
}

/** The ignored keys directly under `parent` (`['model_providers', '*']`, or `[]` for the root). */
export function ignoredKeysUnder(parent: readonly string[]): string[] {
  return IGNORED_KEYS.filter((k) => k.path.length === parent.length + 1 && parent.every((p, i) => k.path[i] === p)).map(
    (k) => k.path[parent.length] as string,
  );
}
