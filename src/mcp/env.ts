/**
 * What a server gets from us: a stdio child's environment, built as Codex builds it (a few basic
 * variables of ours, the ones `env_vars` names, then `env`; nothing else of ours, so API keys stay
 * out unless configured), and an HTTP server's headers.
 */
import type { McpServerConfig } from '../config/index.js';

/** Variables a stdio server inherits without being asked (Unix). */
export const MCP_DEFAULT_ENV_VARS = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', '__CF_USER_TEXT_ENCODING', 'LANG', 'LC_ALL', 'TERM', 'TMPDIR', 'TZ'] as const;

export function stdioServerEnv(config: McpServerConfig, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...MCP_DEFAULT_ENV_VARS, ...(config.env_vars ?? [])]) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return { ...out, ...(config.env ?? {}) };
}

/**
 * The headers sent to a streamable-HTTP server: `http_headers`, then `env_http_headers` (header →
 * variable; unset or empty variables are skipped), then `Authorization: Bearer` from
 * `bearer_token_env_var`. A named bearer variable that is unset is an error (returned, not thrown).
 */
export function httpServerHeaders(name: string, config: McpServerConfig, env: NodeJS.ProcessEnv): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = { ...(config.http_headers ?? {}) };
  for (const [header, variable] of Object.entries(config.env_http_headers ?? {})) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') headers[header] = value;
  }
  const bearerVar = config.bearer_token_env_var;
  if (bearerVar) {
    const token = env[bearerVar];
    if (token === undefined || token === '') {
      return { error: `environment variable ${bearerVar} (bearer_token_env_var of MCP server \`${name}\`) is not set` };
    }
    headers.Authorization = `Bearer ${token}`;
  }
  return { headers };
}
