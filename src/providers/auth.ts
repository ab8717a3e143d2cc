/**
 * Which credentials a request carries (codex-compat.md §2.6, issue 3): for the built-in `openai`
 * provider `CODEX_API_KEY` (exec only), then `OPENAI_API_KEY`, then the key from `opencodex login`;
 * for other providers `env_key` → `experimental_bearer_token` → `auth` command → auth.json (when
 * `requires_openai_auth`) → nothing. Local servers need no key.
 */
import { execFile } from 'node:child_process';
import type { ProviderInfo } from '../config/index.js';
import { readStoredApiKey } from './auth-store.js';
import { ProviderError } from './errors.js';

export interface Credentials {
  /** The bearer token, or null to send no Authorization header. */
  token: string | null;
  /** Where it came from, for messages: "env OPENAI_API_KEY", "auth.json", "auth command", "none". */
  source: string;
}

export interface AuthContext {
  env: NodeJS.ProcessEnv;
  home: string;
  /** `opencodex exec`: `CODEX_API_KEY` is honoured first (as Codex does for its SDK). */
  exec: boolean;
}

const nonBlank = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);

interface CachedToken {
  token: string;
  at: number;
}
const commandTokens = new Map<string, CachedToken>();

function runAuthCommand(auth: NonNullable<ProviderInfo['auth']>, providerName: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      auth.command,
      auth.args ?? [],
      { timeout: auth.timeout_ms ?? 5000, cwd: auth.cwd, encoding: 'utf8', maxBuffer: 1 << 20 },
      (err, stdout) => {
        const token = typeof stdout === 'string' ? stdout.trim() : '';
        if (err || token === '') {
          const why = err ? (err.killed ? 'timed out' : err.message.split('\n')[0]) : 'it printed nothing';
          reject(
            new ProviderError(`the auth command for ${providerName} (${auth.command}) failed: ${why}`, {
              kind: 'auth',
              hint: 'check the [model_providers.<id>.auth] command; it must print a token on stdout',
            }),
          );
        } else resolve(token);
      },
    );
  });
}

async function commandToken(provider: ProviderInfo): Promise<string> {
  const auth = provider.auth;
  if (!auth) throw new Error('no auth command');
  const key = `${provider.id}\0${auth.command}\0${(auth.args ?? []).join('\0')}`;
  const refresh = auth.refresh_interval_ms ?? 300_000;
  const cached = commandTokens.get(key);
  if (cached && (refresh === 0 || Date.now() - cached.at < refresh)) return cached.token;
  const token = await runAuthCommand(auth, provider.name);
  commandTokens.set(key, { token, at: Date.now() });
  return token;
}

function missingKey(provider: ProviderInfo): ProviderError {
  if (provider.id === 'openai' && provider.builtin) {
    return new ProviderError('no OpenAI API key found', {
      kind: 'auth',
      hint: 'set OPENAI_API_KEY, or store a key with `printenv OPENAI_API_KEY | opencodex login --with-api-key`',
    });
  }
  const env = provider.env_key;
  return new ProviderError(`no API key for provider ${provider.id}: ${env ? `environment variable ${env} is not set` : 'none configured'}`, {
    kind: 'auth',
    hint: provider.env_key_instructions ?? (env ? `set ${env}` : 'set env_key, experimental_bearer_token or auth in its [model_providers] table'),
  });
}

export async function resolveCredentials(provider: ProviderInfo, ctx: AuthContext): Promise<Credentials> {
  if (provider.aws) {
    throw new ProviderError(`provider ${provider.id} uses AWS SigV4 authentication, which opencodex does not support`, {
      kind: 'config',
      hint: 'use an OpenAI-compatible endpoint with an API key instead',
    });
  }
  const usesOpenaiAuth = provider.requires_openai_auth === true || (provider.builtin && provider.id === 'openai');
  if (provider.builtin && provider.id === 'openai' && ctx.exec) {
    const key = nonBlank(ctx.env.CODEX_API_KEY);
    if (key) return { token: key, source: 'env CODEX_API_KEY' };
  }
  if (provider.env_key) {
    const key = nonBlank(ctx.env[provider.env_key]);
    if (key) return { token: key, source: `env ${provider.env_key}` };
    if (!usesOpenaiAuth) throw missingKey(provider);
  }
  const bearer = nonBlank(provider.experimental_bearer_token);
  if (bearer) return { token: bearer, source: 'experimental_bearer_token' };
  if (provider.auth) return { token: await commandToken(provider), source: 'auth command' };
  if (usesOpenaiAuth) {
    const stored = readStoredApiKey(ctx.home);
    if (stored) return { token: stored, source: 'auth.json' };
    throw missingKey(provider);
  }
  return { token: null, source: 'none' };
}

/** How to fix credentials the server rejected (401), given where they came from. */
export function authHint(provider: ProviderInfo, creds: Credentials | undefined): string {
  const source = creds?.source ?? 'none';
  if (source.startsWith('env ')) return `check the key in ${source.slice(4)}`;
  if (source === 'auth.json') return 'store a valid key with `printenv OPENAI_API_KEY | opencodex login --with-api-key`';
  if (source === 'experimental_bearer_token') return `check experimental_bearer_token in [model_providers.${provider.id}]`;
  if (source === 'auth command') return `check the auth command in [model_providers.${provider.id}]`;
  return provider.env_key
    ? `set ${provider.env_key}`
    : `this server wants a key: set env_key in [model_providers.${provider.id}] to the environment variable holding it`;
}
