/**
 * The headers every request to a provider carries: who is asking (the request identity below), its
 * configured headers, env-sourced headers and auth.
 *
 * Request identity follows what Codex 0.171 sends (measured: test/fixtures/codex-0.171/requests.json), for
 * the gateways and proxies that key on it: `session-id`, `thread-id` and `x-client-request-id` carry the
 * thread id (as `prompt_cache_key` does in the body), and `originator` names the client. Codex sends
 * `codex_exec` from `codex exec` and `codex_cli_rs` from its terminal UI; opencodex names itself the same way,
 * `opencodex_exec` and `opencodex_cli` (the value its rollouts record), except when the Codex SDK is the caller:
 * the SDK sets `CODEX_INTERNAL_ORIGINATOR_OVERRIDE=codex_sdk_ts`, and that is sent, as Codex does. A
 * provider's `http_headers` can still replace any of these.
 */
import { arch, release, type } from 'node:os';
import type { ProviderInfo } from '../config/index.js';
import { VERSION } from '../shared/index.js';
import type { Credentials } from './auth.js';

/** The env variable through which the Codex SDK names itself (`codex_sdk_ts`). */
export const ORIGINATOR_ENV = 'CODEX_INTERNAL_ORIGINATOR_OVERRIDE';

/** A header value made of printable ASCII (anything else, e.g. from the environment, becomes `_`). */
const headerSafe = (value: string): string => value.replace(/[^\x20-\x7e]/g, '_').trim();

/** The client's name in `originator`: the SDK's when it is the caller, else `opencodex_exec` / `opencodex_cli`. */
export function originatorFor(env: NodeJS.ProcessEnv, exec: boolean): string {
  const override = headerSafe(env[ORIGINATOR_ENV] ?? '');
  return override !== '' ? override : exec ? 'opencodex_exec' : 'opencodex_cli';
}

/** `opencodex/<version> (<os> <release>; <arch>) <terminal> (<originator>)`, shaped like Codex's. */
export function userAgent(originator: string, env: NodeJS.ProcessEnv): string {
  const program = env.TERM_PROGRAM ? `${env.TERM_PROGRAM}${env.TERM_PROGRAM_VERSION ? `/${env.TERM_PROGRAM_VERSION}` : ''}` : (env.TERM ?? 'unknown');
  return headerSafe(`opencodex/${VERSION} (${type()} ${release()}; ${arch()}) ${program || 'unknown'} (${originator})`);
}

/** Who is asking: the thread, the client and its user agent. */
export function identityHeaders(threadId: string, originator: string, env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    originator,
    'User-Agent': userAgent(originator, env),
    'session-id': threadId,
    'thread-id': threadId,
    'x-client-request-id': threadId,
  };
}

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
