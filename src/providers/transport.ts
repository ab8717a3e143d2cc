/**
 * HTTP for both wire APIs (http.ts, over Node's own http/https modules; our retry layer owns retries, with
 * Codex's semantics): the URL (base URL + path + query params), the headers, the connect/headers timeouts,
 * and the classification of failures. The SSE body is read by stream-reader.ts, so idle timeouts, dialect
 * chunks and throughput stay under our control.
 */
import type { ProviderInfo } from '../config/index.js';
import { OPENAI_DEFAULT_BASE_URL } from '../config/index.js';
import { VERSION } from '../shared/index.js';
import { httpFailure, noResponse, ProviderError, type HttpFailureContext } from './errors.js';
import { HttpAbortError, HttpTimeoutError, readText, send, type HttpReply } from './http.js';
import type { IdleBudget } from './idle.js';

export { HttpTimeoutError, type HttpReply } from './http.js';

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

function errnoCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
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
  if (err instanceof HttpTimeoutError) {
    // No connection within 10 s, or (a GET) no response headers within its timeout. Never retried
    // silently, so it cannot multiply the idle bound.
    return new ProviderError(`timed out connecting to ${provider.name} at ${url} or waiting for its response`, {
      kind: 'connection',
      retryable: true,
      hint,
      code: 'timeout',
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

/** RFC 3986 percent-encoding (unreserved characters kept), as the OpenAI SDK's query string has it. */
const encodeStrict = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The URL of `path` under the provider's base URL, with its `query_params` (after any query the URL already
 * has), built as the OpenAI SDK built it.
 */
export function requestUrl(provider: ProviderInfo, path: string): URL {
  const url = new URL(`${baseUrlOf(provider)}${path}`);
  const query = { ...Object.fromEntries(url.searchParams), ...provider.query_params };
  const entries = Object.entries(query);
  if (entries.length > 0) url.search = entries.map(([k, v]) => `${encodeStrict(k)}=${encodeStrict(v)}`).join('&');
  return url;
}

/** Header sets merged in order (names in any case: a later one replaces an earlier one); `null` removes a header. */
function headerList(...sets: Array<Record<string, string | null>>): Record<string, string> {
  const merged = new Map<string, [string, string]>();
  for (const set of sets) {
    for (const [name, value] of Object.entries(set)) {
      if (value === null) merged.delete(name.toLowerCase());
      else merged.set(name.toLowerCase(), [name, value]);
    }
  }
  return Object.fromEntries(merged.values());
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

export class Transport {
  constructor(
    readonly provider: ProviderInfo,
    private readonly local: boolean,
    /** Longest wait for a reply to getJson; streaming posts are bounded by their idle budget instead. */
    private readonly headersTimeoutMs: number,
  ) {}

  /**
   * POSTs `body` to `path` and returns the streaming reply (2xx), or throws a classified ProviderError.
   * No response headers before the idle budget is spent aborts the request with `noResponse`.
   */
  async post(path: string, body: object, opts: StreamPostOptions): Promise<HttpReply> {
    // Serialized here, item by item, straight to bytes and streamed with its exact length: one JSON string
    // of a long resumed history, and an encoded copy of it, would be hundreds of megabytes at once.
    const parts = jsonParts(body);
    const length = parts.reduce((n, p) => n + p.length, 0);
    // Each attempt gets its own signal, linked to the turn's, so a failed attempt leaves no listener on it.
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
      const headers = headerList({ 'User-Agent': `opencodex/${VERSION}` }, opts.headers, { 'Content-Type': 'application/json', 'Content-Length': String(length) });
      const sent = this.request('POST', path, opts, attempt.signal, { headers, body: chunksOf(parts) });
      return await opts.idle.wait(sent, onIdle);
    } catch (err) {
      opts.signal.removeEventListener('abort', onAbort);
      if (opts.signal.aborted) throw new ProviderError('request aborted', { kind: 'aborted' });
      throw idle ? err : this.classify(err, opts);
    }
  }

  /** GETs `path` (no retries) and returns its parsed JSON body (or its text), or throws a classified ProviderError. */
  async getJson(path: string, opts: PostOptions): Promise<unknown> {
    try {
      const headers = headerList(opts.headers, { Accept: 'application/json', 'User-Agent': `opencodex/${VERSION}` });
      const reply = await this.request('GET', path, opts, opts.signal, { headers, headersTimeoutMs: this.headersTimeoutMs });
      const text = await readText(reply.body);
      if (!(reply.headers.get('content-type') ?? '').includes('json')) return text;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    } catch (err) {
      throw this.classify(err, opts);
    }
  }

  /** Sends one request; a non-2xx reply is read whole and thrown as a classified ProviderError. */
  private async request(
    method: 'GET' | 'POST',
    path: string,
    opts: PostOptions,
    signal: AbortSignal,
    extra: { headers: Record<string, string>; body?: AsyncIterable<Uint8Array>; headersTimeoutMs?: number },
  ): Promise<HttpReply> {
    let url = requestUrl(this.provider, path);
    let headers = extra.headers;
    let reply: HttpReply;
    for (let hops = 0; ; hops++) {
      reply = await send({
        method,
        url,
        headers,
        ...(extra.body ? { body: extra.body } : {}),
        signal,
        ...(extra.headersTimeoutMs !== undefined ? { headersTimeoutMs: extra.headersTimeoutMs } : {}),
      });
      // A GET follows redirects as fetch did (at most 20; the credentials stay with the origin they were
      // given for). A POST does not: its body is streamed once, and fetch could not replay it either.
      const location = reply.headers.get('location');
      if (method !== 'GET' || !REDIRECTS.has(reply.status) || location === null || hops >= MAX_REDIRECTS) break;
      reply.body.cancel();
      const next = new URL(location, url);
      if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
      url = next;
    }
    if (reply.status >= 200 && reply.status < 300) return reply;
    let text = '';
    try {
      text = await readText(reply.body);
    } catch {
      // What arrived of it is all there is.
    } finally {
      reply.body.cancel();
    }
    throw httpFailure(reply.status, text, reply.headers, opts.failure);
  }

  private classify(err: unknown, opts: PostOptions): ProviderError {
    if (err instanceof ProviderError) return err;
    if (err instanceof HttpAbortError || opts.signal.aborted) return new ProviderError('request aborted', { kind: 'aborted' });
    return connectionFailure(err, this.provider, this.local);
  }
}
