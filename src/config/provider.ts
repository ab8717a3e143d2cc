import { builtinProviders } from './builtin-providers.js';
import type { LoadedConfig } from './load.js';
import type { ProviderConfig, WireApi } from './schema.js';

/** The chosen provider with every default filled in. */
export interface ProviderInfo extends ProviderConfig {
  id: string;
  name: string;
  wire_api: WireApi;
  builtin: boolean;
  /** Local servers need no key. */
  local: boolean;
  request_max_retries: number;
  stream_max_retries: number;
  stream_idle_timeout_ms: number;
  /** The server takes the hosted `web_search` tool (default: only the built-in openai provider). */
  supports_web_search: boolean;
  /** The Responses server takes `namespace` tools (default: only the built-in openai provider). */
  supports_tool_namespaces: boolean;
}

export const RETRY_DEFAULTS = { request_max_retries: 4, stream_max_retries: 5, stream_idle_timeout_ms: 300_000 } as const;

export function resolveProvider(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env, id?: string): ProviderInfo {
  const providerId = id ?? loaded.config.model_provider ?? 'openai';
  const builtin = builtinProviders(env, loaded.config.openai_base_url).find((p) => p.id === providerId);
  const user = loaded.config.model_providers?.[providerId];
  const base: ProviderConfig = builtin?.config ?? user ?? {};
  return {
    ...RETRY_DEFAULTS,
    ...base,
    id: providerId,
    name: base.name ?? providerId,
    wire_api: base.wire_api ?? 'responses',
    builtin: builtin !== undefined,
    local: builtin?.local ?? false,
    supports_web_search: base.supports_web_search ?? false,
    supports_tool_namespaces: base.supports_tool_namespaces ?? false,
  };
}
