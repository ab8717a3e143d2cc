/**
 * The model client: one `stream(request)` for both wire APIs, with credentials, headers, the two retry
 * layers and the idle timeout. The agent sees only normalized events.
 */
import type { ProviderInfo, WireApi } from '../config/index.js';
import { resolveHome } from '../config/index.js';
import { authHint, resolveCredentials, type AuthContext, type Credentials } from './auth.js';
import { buildChatBody } from './chat-request.js';
import { ChatDecoder } from './chat-stream.js';
import { resolveDialect, type ChatDialect } from './dialect.js';
import { ProviderError, redact, type HttpFailureContext } from './errors.js';
import type { ProviderEvent } from './events.js';
import { identityHeaders, originatorFor, providerHeaders } from './headers.js';
import { IdleBudget } from './idle.js';
import type { ResponseItem, Usage } from './items.js';
import type { TurnRequest } from './request.js';
import { buildResponsesBody } from './responses-request.js';
import { ResponsesDecoder } from './responses-stream.js';
import { backoffMs, retryPolicy, retryReason, silentlyRetryable, sleep, type RetryPolicy, type RetryTuning } from './retry.js';
import { readEventStream } from './stream-reader.js';
import { baseUrlOf, Transport, type HttpReply } from './transport.js';
import type { DecoderContext, StreamDecoder } from './wire.js';

export interface ModelClientOptions {
  /** Environment for keys and `env_http_headers` (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** opencodex home holding auth.json (default: resolveHome(env)). */
  home?: string;
  /** Running as `opencodex exec`: honour CODEX_API_KEY for the openai provider. */
  exec?: boolean;
  /** Test and tuning knobs: backoff base, longest honoured retry-after, jitter source, idle timeout. */
  retry?: RetryTuning;
  /** The `originator` header (default: `originatorFor(env, exec)`, see headers.ts). */
  originator?: string;
  /** Sees every SSE event's data as it arrives, before decoding (`opencodex doctor` reads a Chat server's dialect from it). */
  onRawEvent?: (data: string) => void;
}

export interface ModelClient {
  readonly provider: ProviderInfo;
  readonly wireApi: WireApi;
  /** The Chat Completions dialect in effect (also returned for Responses providers, where it is unused). */
  readonly dialect: ChatDialect;
  /** Streams one model response. Always ends with one `completed` or `failed` event; never throws. */
  stream(request: TurnRequest): AsyncGenerator<ProviderEvent, void, undefined>;
}

interface Wire {
  path: string;
  body(req: TurnRequest): object;
  decoder(ctx: DecoderContext, req: TurnRequest): StreamDecoder;
}

function wireFor(provider: ProviderInfo, dialect: ChatDialect): Wire {
  if (provider.wire_api === 'chat') {
    return { path: '/chat/completions', body: (req) => buildChatBody(req, dialect), decoder: (ctx, req) => new ChatDecoder(ctx, customToolNames(req)) };
  }
  const options = { webSearch: provider.supports_web_search, namespaces: provider.supports_tool_namespaces };
  return { path: '/responses', body: (req) => buildResponsesBody(req, options), decoder: (ctx) => new ResponsesDecoder(ctx) };
}

function customToolNames(req: TurnRequest): Set<string> {
  return new Set((req.tools ?? []).filter((t) => t.type === 'custom').map((t) => t.name));
}

function requestHeaders(provider: ProviderInfo, creds: Credentials, env: NodeJS.ProcessEnv, threadId: string, originator: string): Record<string, string | null> {
  return {
    Accept: 'text/event-stream',
    ...identityHeaders(threadId, originator, env),
    ...providerHeaders(provider, creds, env),
  };
}

export function createModelClient(provider: ProviderInfo, options: ModelClientOptions = {}): ModelClient {
  const env = options.env ?? process.env;
  const authCtx: AuthContext = { env, home: options.home ?? resolveHome(env), exec: options.exec ?? false };
  const originator = options.originator ?? originatorFor(env, options.exec ?? false);
  const policy: RetryPolicy = retryPolicy(provider, options.retry);
  const dialect = resolveDialect(provider);
  const wire = wireFor(provider, dialect);
  const local = provider.local;
  const transport = new Transport(provider, local, policy.idleTimeoutMs);
  const url = `${baseUrlOf(provider)}${wire.path}`;

  /**
   * One announced attempt: the request, re-sent silently on 5xx and transport errors, then its event
   * stream. Every HTTP request gets its own idle budget; `onRequest` counts them.
   */
  async function* attempt(
    req: TurnRequest,
    body: object,
    creds: Credentials,
    signal: AbortSignal,
    onRequest: () => void,
  ): AsyncGenerator<ProviderEvent, void, undefined> {
    const secrets = creds.token ? [creds.token] : [];
    const failure: HttpFailureContext = {
      provider: provider.name,
      url,
      model: req.model.requested,
      authHint: authHint(provider, creds),
      maxRetryAfterMs: policy.maxRetryAfterMs,
      secrets,
    };
    const headers = requestHeaders(provider, creds, env, req.threadId, originator);
    let sent: { response: HttpReply; idle: IdleBudget } | undefined;
    for (let httpRetry = 0; sent === undefined; httpRetry++) {
      const idle = new IdleBudget(policy.idleTimeoutMs);
      onRequest();
      try {
        sent = { response: await transport.post(wire.path, body, { headers, signal, failure, idle }), idle };
      } catch (err) {
        if (!(err instanceof ProviderError) || !silentlyRetryable(err) || httpRetry >= policy.requestMaxRetries) throw err;
        await sleep(backoffMs(httpRetry + 1, policy), signal);
      }
    }
    const ctx: DecoderContext = { provider: provider.name, model: req.model.requested, secrets, maxRetryAfterMs: policy.maxRetryAfterMs };
    const decoder = wire.decoder(ctx, req);
    const watch = options.onRawEvent;
    const observed: StreamDecoder = watch
      ? {
          onEvent: (event, data, out) => {
            watch(data);
            decoder.onEvent(event, data, out);
          },
          get finished() {
            return decoder.finished;
          },
          onEnd: (out) => decoder.onEnd(out),
        }
      : decoder;
    yield* readEventStream(sent.response, observed, sent.idle, ctx);
  }

  async function* stream(req: TurnRequest): AsyncGenerator<ProviderEvent, void, undefined> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.signal?.aborted) controller.abort();
    let creds: Credentials | undefined;
    try {
      creds = await resolveCredentials(provider, authCtx);
      const body = wire.body(req);
      let requests = 0;
      const onRequest = (): void => void requests++;
      for (let retry = 0; ; retry++) {
        let error: ProviderError;
        try {
          for await (const ev of attempt(req, body, creds, controller.signal, onRequest)) {
            yield ev;
            if (ev.type === 'completed') return;
          }
          error = new ProviderError('the stream ended without a result', { kind: 'stream', retryable: true });
        } catch (err) {
          error = toProviderError(err, controller.signal, creds);
        }
        // An interrupt tears the connection: whatever the reading layer made of that, it is the abort (not
        // a broken stream to reconnect, which would show a spurious "Reconnecting..." notice).
        if (controller.signal.aborted && error.kind !== 'aborted') error = new ProviderError('request aborted', { kind: 'aborted' });
        if (error.kind === 'aborted' || !error.retryable) {
          yield { type: 'failed', error };
          return;
        }
        if (retry >= policy.streamMaxRetries) {
          // The true number of HTTP requests, silent retries included (a 500 storm is 30, not 6).
          const sent = `${requests} request${requests === 1 ? '' : 's'}`;
          const message =
            error.kind === 'rate_limit' && error.status !== undefined
              ? `exceeded retry limit, last status: ${error.status} Too Many Requests (${sent})`
              : `${error.message} (gave up after ${sent})`;
          yield { type: 'failed', error: error.withMessage(message) };
          return;
        }
        const delayMs = error.retryAfterMs ?? backoffMs(retry + 1, policy);
        const reason = retryReason(error);
        const n = retry + 1;
        yield {
          type: 'retrying',
          attempt: n,
          maxAttempts: policy.streamMaxRetries,
          delayMs,
          reason,
          message: `Reconnecting... ${n}/${policy.streamMaxRetries} (${reason})`,
          error,
        };
        await sleep(delayMs, controller.signal);
      }
    } catch (err) {
      yield { type: 'failed', error: toProviderError(err, controller.signal, creds) };
    } finally {
      req.signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
  }

  return { provider, wireApi: provider.wire_api, dialect, stream };
}

function toProviderError(err: unknown, signal: AbortSignal, creds: Credentials | undefined): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal.aborted) return new ProviderError('request aborted', { kind: 'aborted' });
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError(redact(message, creds?.token ? [creds.token] : []), { kind: 'stream', retryable: false, cause: err });
}

export interface TurnResult {
  responseId: string | null;
  items: ResponseItem[];
  usage: Usage | null;
  stopReason: 'stop' | 'tool_calls';
  /** Retry events seen on the way. */
  retries: number;
}

/** Drains a stream: the completed result, or throws the ProviderError of a `failed` event. */
export async function collectTurn(events: AsyncIterable<ProviderEvent>): Promise<TurnResult> {
  let retries = 0;
  for await (const ev of events) {
    if (ev.type === 'retrying') retries++;
    else if (ev.type === 'completed') return { responseId: ev.responseId, items: ev.items, usage: ev.usage, stopReason: ev.stopReason, retries };
    else if (ev.type === 'failed') throw ev.error;
  }
  throw new ProviderError('the stream ended without a result', { kind: 'stream' });
}
