/**
 * The models a provider serves: GET {base_url}/models (the same path for both wire APIs), through the
 * request transport with the provider's credentials, headers and query params, a short timeout and no
 * retries. Ollama, LM Studio, vLLM, llama.cpp and OpenRouter all answer it in OpenAI's shape.
 */
import type { ProviderInfo } from '../config/index.js';
import { resolveHome } from '../config/index.js';
import { authHint, resolveCredentials, type Credentials } from './auth.js';
import { ProviderError } from './errors.js';
import { providerHeaders } from './headers.js';
import { baseUrlOf, Transport } from './transport.js';

export interface ListModelsOptions {
  /** Environment for keys and `env_http_headers` (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** opencodex home holding auth.json (default: resolveHome(env)). */
  home?: string;
  signal?: AbortSignal;
  /** Longest wait for the reply (default 3 s). */
  timeoutMs?: number;
}

export interface ProviderModels {
  /** Model ids in the order the server lists them, without duplicates. */
  ids: string[];
}

export const LIST_MODELS_TIMEOUT_MS = 3000;

/** Statuses with which a server says it has no such endpoint. */
const NO_ENDPOINT = new Set([404, 405, 501]);

function idsOf(body: unknown): string[] | undefined {
  // OpenAI's shape is {object: "list", data: [{id}]}; a bare array of {id} or strings is accepted too.
  const list = Array.isArray(body) ? body : typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(list)) return undefined;
  const ids: string[] = [];
  for (const m of list) {
    const id = typeof m === 'string' ? m : typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined;
    if (typeof id === 'string' && id.trim() !== '' && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Lists the models `provider` serves, or throws a ProviderError (one line and a hint). */
export async function listProviderModels(provider: ProviderInfo, options: ListModelsOptions = {}): Promise<ProviderModels> {
  const env = options.env ?? process.env;
  const home = options.home ?? resolveHome(env);
  const url = `${baseUrlOf(provider)}/models`;
  const creds: Credentials = await resolveCredentials(provider, { env, home, exec: false });
  const transport = new Transport(provider, provider.local, options.timeoutMs ?? LIST_MODELS_TIMEOUT_MS);
  const signal = options.signal ?? new AbortController().signal;
  let body: unknown;
  try {
    body = await transport.getJson('/models', {
      headers: providerHeaders(provider, creds, env),
      signal,
      failure: {
        provider: provider.name,
        url,
        model: '(model list)',
        authHint: authHint(provider, creds),
        maxRetryAfterMs: 0,
        secrets: creds.token ? [creds.token] : [],
      },
    });
  } catch (err) {
    if (err instanceof ProviderError && err.status !== undefined && NO_ENDPOINT.has(err.status)) {
      throw new ProviderError(`${provider.name} does not list its models (GET ${url} returned ${err.status})`, {
        kind: 'bad_request',
        status: err.status,
        hint: 'name the model yourself: opencodex -m MODEL, or model = "MODEL" in config.toml',
      });
    }
    throw err;
  }
  const ids = idsOf(body);
  if (ids === undefined) {
    throw new ProviderError(`${provider.name} answered GET ${url} with something other than a model list`, {
      kind: 'bad_request',
      hint: 'check base_url: it should end where /models and /chat/completions (or /responses) live, often /v1',
    });
  }
  return { ids };
}
