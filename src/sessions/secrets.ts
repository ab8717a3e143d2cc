/** The values a rollout must never contain: the provider's key and any header or token the config names. */
import type { ProviderInfo } from '../config/index.js';

const MIN = 8;

export function secretValues(provider: ProviderInfo, env: NodeJS.ProcessEnv, token: string | null | undefined): string[] {
  const out: string[] = [];
  const add = (v: string | undefined | null): void => {
    if (v && v.trim().length >= MIN) out.push(v.trim());
  };
  add(token);
  add(provider.experimental_bearer_token);
  if (provider.env_key) add(env[provider.env_key]);
  add(env.CODEX_API_KEY);
  add(env.OPENAI_API_KEY);
  for (const v of Object.values(provider.http_headers ?? {})) {
    add(v);
    // "Bearer sk-…": the token alone must go too.
    const bare = /^\S+\s+(\S+)$/.exec(v.trim());
    if (bare) add(bare[1]);
  }
  for (const name of Object.values(provider.env_http_headers ?? {})) add(env[name]);
  return [...new Set(out)];
}
