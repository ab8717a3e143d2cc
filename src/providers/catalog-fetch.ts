/**
 * Fetching a provider's model catalog from its `model_catalog_url`, as Codex 0.171 does: a GET of that
 * absolute URL with the provider's query params and `client_version`, its credentials and headers, a 5 s
 * timeout, redirects refused, at most 1 MiB. Only `opencodex models --refresh` calls it, never a session.
 */
import type { ProviderInfo } from '../config/index.js';
import { resolveHome } from '../config/index.js';
import { VERSION } from '../shared/index.js';
import { resolveCredentials, type Credentials } from './auth.js';
import { ProviderError } from './errors.js';
import { providerHeaders } from './headers.js';

export const CATALOG_FETCH_TIMEOUT_MS = 5000;
export const MAX_CATALOG_BYTES = 1024 * 1024;

export interface FetchCatalogOptions {
  env?: NodeJS.ProcessEnv;
  /** opencodex home holding auth.json (default: resolveHome(env)). */
  home?: string;
  timeoutMs?: number;
}

/** The URL without its query (which may hold credentials), for messages. */
const shown = (url: URL): string => `${url.origin}${url.pathname}`;

function failure(message: string, hint: string, status?: number): ProviderError {
  return new ProviderError(message, { kind: 'bad_request', hint, ...(status === undefined ? {} : { status }) });
}

/** The request URL: `catalogUrl` with the provider's query params and `client_version` added. */
export function catalogRequestUrl(provider: Pick<ProviderInfo, 'query_params'>, catalogUrl: string): URL {
  let url: URL;
  try {
    url = new URL(catalogUrl);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProviderError(`model_catalog_url must be an absolute http(s) URL (got ${JSON.stringify(catalogUrl)})`, {
      kind: 'config',
      hint: 'set model_catalog_url to the full address of the catalog, e.g. "https://host/v1/models"',
    });
  }
  for (const [k, v] of Object.entries(provider.query_params ?? {})) url.searchParams.append(k, v);
  url.searchParams.append('client_version', VERSION);
  return url;
}

async function readLimited(res: Response, url: URL): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_CATALOG_BYTES) {
      await reader.cancel();
      throw failure(`the model catalog at ${shown(url)} is larger than 1 MiB`, 'point model_catalog_url at a catalog of model metadata (`{"models": [...]}`)');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Fetches the catalog text `provider` publishes at `catalogUrl`, or throws a ProviderError (one line and a hint). */
export async function fetchModelCatalog(provider: ProviderInfo, catalogUrl: string, options: FetchCatalogOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const home = options.home ?? resolveHome(env);
  const url = catalogRequestUrl(provider, catalogUrl);
  let creds: Credentials;
  try {
    creds = await resolveCredentials(provider, { env, home, exec: false });
  } catch (err) {
    // A catalog may be public: without a key, ask anyway (a 401 then says which key to set).
    if (!(err instanceof ProviderError) || err.kind !== 'auth') throw err;
    creds = { token: null, source: 'none' };
  }
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': `opencodex/${VERSION}` };
  for (const [name, value] of Object.entries(providerHeaders(provider, creds, env))) if (value !== null) headers[name] = value;
  const timeoutMs = options.timeoutMs ?? CATALOG_FETCH_TIMEOUT_MS;
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new ProviderError(
      timedOut ? `no answer from ${shown(url)} within ${timeoutMs / 1000} s` : `could not fetch the model catalog from ${shown(url)}: ${(err as Error).message}`,
      { kind: 'connection', hint: 'check model_catalog_url and that the server is up; the cached or shipped catalog stays in use' },
    );
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw failure(`the model catalog at ${shown(url)} redirects (HTTP ${res.status}); redirects are not followed`, 'set model_catalog_url to the final address', res.status);
  }
  if (!res.ok) {
    await res.body?.cancel();
    const hint =
      res.status === 401 || res.status === 403
        ? `the server wants credentials: ${creds.token === null ? 'configure a key for' : 'check the key of'} provider ${provider.id}`
        : 'check model_catalog_url; the cached or shipped catalog stays in use';
    throw failure(`GET ${shown(url)} returned HTTP ${res.status}`, hint, res.status);
  }
  return readLimited(res, url);
}
