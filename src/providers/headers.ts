/** The headers every request to a provider carries: its configured headers, env-sourced headers and auth. */
import type { ProviderInfo } from '../config/index.js';
import type { Credentials } from './auth.js';

export function providerHeaders(provider: ProviderInfo, creds: Credentials, env: NodeJS.ProcessEnv): Record<string, string | null> {
  const headers: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(provider.http_headers ?? {})) headers[name] = value;
  for (const [name, variable] of Object.entries(provider.env_http_headers ?? {})) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') headers[name] = value;
  }
  // A configured Azure-style `api-key` header replaces bearer auth unless a token is also configured.
  headers.Authorization = creds.token === null ? null : `Bearer ${creds.token}`;
  return headers;
}
