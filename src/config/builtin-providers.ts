/** The providers every installation has (codex-compat.md §2.5). Their ids are reserved. */
import type { ProviderConfig } from './schema.js';

export interface BuiltinProvider {
  id: string;
  config: ProviderConfig;
  /** The model used with this provider when none is chosen (local providers). */
  defaultModel: string | null;
  /** Local servers need no API key. */
  local: boolean;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

function ossBaseUrl(env: NodeJS.ProcessEnv, defaultPort: number): string {
  const explicit = env.OPENCODEX_OSS_BASE_URL ?? env.CODEX_OSS_BASE_URL;
  if (explicit) return explicit;
  const port = env.OPENCODEX_OSS_PORT ?? env.CODEX_OSS_PORT ?? String(defaultPort);
  return `http://localhost:${port}/v1`;
}

export function builtinProviders(env: NodeJS.ProcessEnv, openaiBaseUrl: string | undefined): BuiltinProvider[] {
  return [
    {
      id: 'openai',
      defaultModel: null,
      local: false,
      config: {
        name: 'OpenAI',
        base_url: openaiBaseUrl ?? OPENAI_DEFAULT_BASE_URL,
        env_key: 'OPENAI_API_KEY',
        wire_api: 'responses',
        requires_openai_auth: true,
        supports_web_search: true,
        supports_tool_namespaces: true,
        env_http_headers: { 'OpenAI-Organization': 'OPENAI_ORGANIZATION', 'OpenAI-Project': 'OPENAI_PROJECT' },
      },
    },
    {
      id: 'ollama',
      defaultModel: 'gpt-oss:20b',
      local: true,
      config: { name: 'Ollama', base_url: ossBaseUrl(env, 11434), wire_api: 'responses' },
    },
    {
      id: 'lmstudio',
      defaultModel: 'openai/gpt-oss-20b',
      local: true,
      config: { name: 'LM Studio', base_url: ossBaseUrl(env, 1234), wire_api: 'responses' },
    },
  ];
}

export const BUILTIN_PROVIDER_IDS: readonly string[] = ['openai', 'ollama', 'lmstudio'];
