/**
 * HTTP for both wire APIs, through the `openai` SDK with its retries off (our retry layer owns them,
 * with Codex's semantics). The SDK builds the URL (base URL + path + query params), merges headers,
 * applies the connect/headers timeout and classifies connection failures; we read the SSE body ourselves
 * (see stream-reader.ts) so idle timeouts, dialect chunks and throughput stay under our control.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ProviderInfo } from '../config/index.js';
import { OPENAI_DEFAULT_BASE_URL } from '../config/index.js';
import { VERSION } from '../shared/index.js';
import { httpFailure, noResponse, ProviderError, type HttpFailureContext } from './errors.js';
import type { IdleBudget } from './idle.js';

/**
 * The JSON text of a request body as byte chunks: one per element of its largest array (the history),
 * so no single string holds the whole body.
 */
export function jsonParts(body: object): Buffer[] {
  const entries = Object.entries(body);
  let big: string | undefined;
  let bigLength = 64;
  for (const [k, v] of entries) if (Array.isArray(v) && v.length > bigLength) [big, bigLength] = [k, v.length];
  if (big === undefined) return [Buffer.from(JSON.stringify(body))];
  const parts: Buffer[] = [];
  let head = '{';
  for (const [k, v] of entries) {
    if (v === undefined || typeof v === 'function') continue;
    const sep = head === '{' && parts.length === 0 ? '' : ',';
    if (k !== big) {
      head += `${sep}${JSON.stringify(k)}:${JSON.stringify(v)}`;
      continue;
    }
    parts.push(Buffer.from(`${head}${sep}${JSON.stringify(k)}:[`));
    head = '';
    (v as unknown[]).forEach((el, j) => parts.push(Buffer.from(`${j === 0 ? '' : ','}${JSON.stringify(el) ?? 'null'}`)));
    parts.push(Buffer.from(']'));
  }
  parts.push(Buffer.from(`${head}}`));
  return parts;
}

async function* chunksOf(parts: Buffer[]): AsyncGenerator<Buffer> {
  // Coalesce small parts into ~64 kB writes.
  let pending: Buffer[] = [];
  let size = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as Buffer;
    pending.push(p);
    size += p.length;
    if (size >= 65536) {
      yield pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, size);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending, size);
}

/** Keeps the raw error body, which the SDK would otherwise reduce to `body.error`. */
class StatusError extends APIError {
  readonly bodyText: string;
  readonly httpHeaders: Headers;
  constructor(status: number, json: object | undefined, text: string | undefined, headers: Headers) {
    super(status, json, text, headers);
    this.bodyText = text ?? (json === undefined ? '' : JSON.stringify(json));
    this.httpHeaders = headers;
  }
}

class SdkClient extends OpenAI {
  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers): APIError {
    return new StatusError(status, error ?? undefined, message, headers);
  }
}

export const baseUrlOf = (provider: ProviderInfo): string => (provider.base_url ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');

export interface PostOptions {
  headers: Record<string, string | null>;
  signal: AbortSignal;
  failure: HttpFailureContext;
}

export interface StreamPostOptions extends PostOptions {
  /** The request's idle budget: the wait for the response headers is charged to it (see idle.ts). */
  idle: IdleBudget;
}

/** Longest timer Node allows: the SDK's own timeout is kept out of the way when the idle budget governs. */
const NO_SDK_TIMEOUT_MS = 2_147_483_647;

function errnoCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeMessages(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') out.push(message);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/**
 * Connection-level failures: refused/unresolvable hosts and timeouts are shown at once (each announced
 * retry says so); others are retried silently first.
 */
export function connectionFailure(err: unknown, provider: ProviderInfo, local: boolean): ProviderError {
  const url = baseUrlOf(provider);
  const code = errnoCode(err);
  const hint = local
    ? `is the ${provider.name} server running? start it, or point base_url (or OPENCODEX_OSS_BASE_URL) at it`
    : 'check the network connection and the provider base_url';
  if (err instanceof APIConnectionTimeoutError) {
    // Node's HTTP client gives up by itself on a connection after 10 s and on response headers after
    // 300 s; the SDK does not say which. Never retried silently, so it cannot multiply the idle bound.
    return new ProviderError(`timed out connecting to ${provider.name} at ${url} or waiting for its response`, {
      kind: 'connection',
      retryable: true,
      hint,
      code: 'timeout',
    });
  }
  if (causeMessages(err).includes('bad port')) {
    // fetch refuses ports that browsers block (1, 9, 6000, …) before connecting.
    return new ProviderError(`could not connect to ${provider.name} at ${url}: Node's HTTP client refuses this port`, {
      kind: 'connection',
      retryable: false,
      hint: 'serve the provider on another port (fetch blocks the ports browsers block)',
    });
  }
  const what =
    code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host not found' : code ? `network error ${code}` : 'network error';
  return new ProviderError(`could not connect to ${provider.name} at ${url}: ${what}`, {
    kind: 'connection',
    retryable: true,
    hint,
    ...(code ? { code } : {}),
  });
}

export class Transport {
  private readonly client: SdkClient;

  constructor(
    readonly provider: ProviderInfo,
    private readonly local: boolean,
    /** Longest wait for a reply to getJson; streaming posts are bounded by their idle budget instead. */
    headersTimeoutMs: number,
  ) {
    this.client = new SdkClient({
      // Never sent as is: every request sets (or removes) Authorization itself.
      apiKey: 'opencodex-no-key',
      organization: null,
      project: null,
      baseURL: baseUrlOf(provider),
      maxRetries: 0,
      timeout: headersTimeoutMs,
      defaultQuery: provider.query_params ?? {},
      logLevel: 'off',
    });
  }

  /**
   * POSTs `body` to `path` and returns the streaming response, or throws a classified ProviderError.
   * No response headers before the idle budget is spent aborts the request with `noResponse`.
   */
  async post(path: string, body: object, opts: StreamPostOptions): Promise<Response> {
    // Serialized here, item by item, straight to bytes and streamed with its exact length: the SDK would
    // build one JSON string and the HTTP client another encoded copy, which for a long resumed history
    // is hundreds of megabytes at once.
    const parts = jsonParts(body);
    const length = parts.reduce((n, p) => n + p.length, 0);
    // Each attempt gets its own signal, linked to the turn's: the HTTP client leaves its abort listener
    // on the signal it is given, and a failed attempt would otherwise leave one more on the turn's.
    const attempt = new AbortController();
    const onAbort = (): void => attempt.abort();
    if (opts.signal.aborted) attempt.abort();
    else opts.signal.addEventListener('abort', onAbort, { once: true });
    let idle = false;
    const onIdle = (): ProviderError => {
      idle = true;
      attempt.abort();
      return noResponse(this.provider.name, `${baseUrlOf(this.provider)}${path}`, opts.idle.idleMs);
    };
    try {
      const sent = this.client
        .post(path, {
          body: chunksOf(parts),
          headers: {
            'User-Agent': `opencodex/${VERSION}`,
            ...opts.headers,
            'Content-Type': 'application/json',
            'Content-Length': String(length),
          },
          signal: attempt.signal,
          stream: true,
          maxRetries: 0,
          timeout: NO_SDK_TIMEOUT_MS,
        })
        .asResponse();
      return await opts.idle.wait(sent, onIdle);
    } catch (err) {
      opts.signal.removeEventListener('abort', onAbort);
      if (opts.signal.aborted) throw new ProviderError('request aborted', { kind: 'aborted' });
      throw idle ? err : this.classify(err, opts);
    }
  }

  /** GETs `path` (no retries) and returns its parsed JSON body, or throws a classified ProviderError. */
  async getJson(path: string, opts: PostOptions): Promise<unknown> {
    try {
      return await this.client.get<unknown>(path, {
        headers: { ...opts.headers, Accept: 'application/json', 'User-Agent': `opencodex/${VERSION}` },
        signal: opts.signal,
        maxRetries: 0,
      });
    } catch (err) {
      throw this.classify(err, opts);
    }
  }

  private classify(err: unknown, opts: PostOptions): ProviderError {
    if (err instanceof ProviderError) return err;
    if (err instanceof APIUserAbortError || opts.signal.aborted) return new ProviderError('request aborted', { kind: 'aborted' });
    if (err instanceof StatusError) return httpFailure(err.status ?? 0, err.bodyText, err.httpHeaders, opts.failure);
    if (err instanceof APIConnectionError) return connectionFailure(err, this.provider, this.local);
    return connectionFailure(err, this.provider, this.local);
  }
}
