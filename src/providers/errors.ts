/**
 * Typed provider failures. Every failure the agent sees is a ProviderError: a UserError (one line,
 * "error: cause — fix") with a `kind` the agent can branch on and whether retrying could help.
 * Classification follows wire.md §5 and codex-observed.md "Error and retry behaviour".
 */
import { UserError } from '../shared/index.js';
import { formatDuration } from './idle.js';

export type ProviderErrorKind =
  /** 401, or no credentials to send. */
  | 'auth'
  /** 403. */
  | 'permission'
  /** 400/404/422 and other client errors. */
  | 'bad_request'
  /** The input does not fit the model's context window. */
  | 'context_length'
  /** insufficient_quota, usage limits, 402 (out of credits). */
  | 'quota'
  /** 429 rate_limit_exceeded. */
  | 'rate_limit'
  /** 5xx, or the server reported a failure of its own in the stream. */
  | 'server'
  /** The stream broke: disconnected, closed before completion, or went idle. */
  | 'stream'
  /** The server could not be reached. */
  | 'connection'
  /** The model stopped early (max output tokens, content filter). */
  | 'incomplete'
  /** A provider setting that cannot work (e.g. unsupported auth mode). */
  | 'config'
  /** The caller aborted the request. */
  | 'aborted';

export interface ProviderErrorInit {
  kind: ProviderErrorKind;
  retryable?: boolean;
  hint?: string;
  status?: number;
  code?: string;
  /** Server-requested wait before retrying (retry-after headers or a "try again in" hint). */
  retryAfterMs?: number;
  requestId?: string;
  cause?: unknown;
}

export class ProviderError extends UserError {
  readonly kind: ProviderErrorKind;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, init: ProviderErrorInit) {
    super(message, {
      exitCode: 1,
      ...(init.hint === undefined ? {} : { hint: init.hint }),
      ...(init.cause === undefined ? {} : { cause: init.cause }),
    });
    this.name = 'ProviderError';
    this.kind = init.kind;
    this.retryable = init.retryable ?? false;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
    this.requestId = init.requestId;
  }

  /** The same error with another message/hint (used to say how many attempts were made). */
  withMessage(message: string, hint?: string): ProviderError {
    return new ProviderError(message, {
      kind: this.kind,
      retryable: false,
      ...(hint ?? this.hint ? { hint: hint ?? this.hint } : {}),
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.code === undefined ? {} : { code: this.code }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
      cause: this,
    });
  }
}

/** What an error body says, across dialects (OpenAI nested, Mistral/vLLM top-level, numeric codes). */
export interface ErrorDetails {
  message: string | undefined;
  code: string | undefined;
  type: string | undefined;
  /**
   * The HTTP status the error stands for, when the body says: a numeric `status`/`status_code`, or a
   * `code` that is one (LiteLLM sends `"code": "429"`, llama.cpp and OpenRouter numbers).
   */
  status?: number | undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function errorDetails(body: unknown): ErrorDetails {
  if (typeof body !== 'object' || body === null) return { message: str(body), code: undefined, type: undefined };
  const b = body as Record<string, unknown>;
  const nested = b.error;
  const e =
    typeof nested === 'object' && nested !== null
      ? (nested as Record<string, unknown>)
      : typeof nested === 'string'
        ? { message: nested }
        : b;
  const status = httpStatus(e.status) ?? httpStatus(e.status_code) ?? httpStatus(b.status) ?? httpStatus(b.status_code) ?? httpStatus(e.code);
  return { message: str(e.message) ?? str(b.message), code: str(e.code), type: str(e.type), ...(status === undefined ? {} : { status }) };
}

/** A number (or a string of digits) in the HTTP status range. */
function httpStatus(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

export function parseErrorBody(text: string): ErrorDetails {
  try {
    return errorDetails(JSON.parse(text) as unknown);
  } catch {
    const trimmed = text.trim();
    return { message: trimmed === '' ? undefined : trimmed.slice(0, 500), code: undefined, type: undefined };
  }
}

const TRY_AGAIN = /try again in\s*(\d+(?:\.\d+)?)\s*(ms|s|seconds?)\b/i;

/** The delay a message asks for, e.g. "Please try again in 1.4s" (Codex's pattern). */
export function tryAgainHintMs(message: string | undefined): number | undefined {
  const m = message ? TRY_AGAIN.exec(message) : null;
  if (!m || m[1] === undefined) return undefined;
  const n = Number(m[1]);
  return m[2]?.toLowerCase() === 'ms' ? n : n * 1000;
}

/** `retry-after-ms` (milliseconds), else `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  const secs = Number(after);
  if (Number.isFinite(secs)) return secs >= 0 ? secs * 1000 : undefined;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const CONTEXT_MESSAGE = /maximum context length|context window|exceeds the available context|context length exceeded|context_length_exceeded|too many tokens|context the overflows/i;

export function isContextOverflow(d: ErrorDetails): boolean {
  return (
    d.code === 'context_length_exceeded' ||
    d.type === 'exceed_context_size_error' ||
    (d.message !== undefined && CONTEXT_MESSAGE.test(d.message))
  );
}

const QUOTA_CODES = new Set(['insufficient_quota', 'usage_limit_reached', 'usage_not_included']);

export function isQuota(d: ErrorDetails): boolean {
  return (d.code !== undefined && QUOTA_CODES.has(d.code)) || (d.type !== undefined && QUOTA_CODES.has(d.type));
}

/** Replaces every secret occurring in `text` (API keys, bearer tokens) so it can be shown or logged. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, '$1[redacted]').replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]');
}

export interface HttpFailureContext {
  /** Provider display name, e.g. "OpenAI". */
  provider: string;
  url: string;
  model: string;
  /** How to fix a rejected key (which env var, or `opencodex login`). */
  authHint: string;
  /** Longest server-requested wait we honour; longer ones are reported instead. */
  maxRetryAfterMs: number;
  secrets: readonly string[];
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const statusLine = (status: number): string => `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;

/** Turns a non-2xx reply into a ProviderError, deciding whether it may be retried (wire.md §5.2, Codex §9.4). */
export function httpFailure(
  status: number,
  bodyText: string,
  headers: { get(name: string): string | null } | undefined,
  ctx: HttpFailureContext,
): ProviderError {
  const d = parseErrorBody(bodyText);
  const said = redact(d.message ?? '(no message)', ctx.secrets);
  const requestId = headers?.get('x-request-id') ?? undefined;
  const base = { status, ...(d.code ? { code: d.code } : {}), ...(requestId ? { requestId } : {}) };
  const sl = statusLine(status);
  if (isContextOverflow(d)) {
    return new ProviderError(`the conversation no longer fits ${ctx.model}'s context window (${sl}): ${said}`, {
      ...base,
      kind: 'context_length',
      hint: 'start a new session or compact the conversation',
    });
  }
  if (status === 401) {
    return new ProviderError(`${ctx.provider} rejected the credentials (${sl}): ${said}`, { ...base, kind: 'auth', hint: ctx.authHint });
  }
  if (status === 402 || isQuota(d)) {
    return new ProviderError(`${ctx.provider} reports the account is out of quota or credits (${sl}): ${said}`, {
      ...base,
      kind: 'quota',
      hint: 'check the plan and billing details of this account',
    });
  }
  if (status === 403) {
    return new ProviderError(`${ctx.provider} refused the request (${sl}): ${said}`, {
      ...base,
      kind: 'permission',
      hint: 'check that this key may use this model and project',
    });
  }
  if (status === 429) {
    const wait = retryAfterMs(headers) ?? tryAgainHintMs(d.message);
    const within = wait !== undefined && wait <= ctx.maxRetryAfterMs;
    return new ProviderError(`rate limited by ${ctx.provider} (${sl}): ${said}`, {
      ...base,
      kind: 'rate_limit',
      retryable: within,
      ...(within ? { retryAfterMs: wait } : {}),
      hint:
        wait === undefined
          ? 'the server did not say when to retry; wait a moment and try again'
          : `the server asks to wait ${Math.ceil(wait / 1000)}s before retrying`,
    });
  }
  if (status >= 500 || status === 408 || status === 409) {
    return new ProviderError(`${ctx.provider} failed to answer (${sl}): ${said}`, { ...base, kind: 'server', retryable: true });
  }
  if (status === 404) {
    return new ProviderError(`${ctx.provider} returned ${sl} for ${ctx.url}: ${said}`, {
      ...base,
      kind: 'bad_request',
      hint: `check the provider's base_url and that model ${ctx.model} exists there`,
    });
  }
  return new ProviderError(`${ctx.provider} rejected the request (${sl}): ${said}`, { ...base, kind: 'bad_request' });
}

/** Error codes and types that say the request itself is wrong: re-sending it cannot help. */
const REQUEST_ERRORS: ReadonlySet<string> = new Set(['invalid_prompt', 'cyber_policy', 'invalid_request_error', 'not_found_error', 'bad_request', 'invalid_request']);
const AUTH_ERRORS: ReadonlySet<string> = new Set(['authentication_error', 'invalid_api_key', 'unauthorized']);
const PERMISSION_ERRORS: ReadonlySet<string> = new Set(['permission_error', 'permission_denied', 'forbidden']);
const RATE_ERRORS: ReadonlySet<string> = new Set(['rate_limit_exceeded', 'rate_limit_error', 'throttling_error']);

/**
 * Errors reported inside a stream (`response.failed`, `error` events, `data: {"error": …}` frames, Chat
 * error chunks). As Codex (§9.4) a few codes are final and the rest may be retried; an HTTP status the
 * body carries (`status`, or a numeric `code`) decides too: 401/402/403 and other 4xx are final, 429
 * waits and retries, 5xx/408/409 retry. A code or type naming a client error (`invalid_request_error`)
 * is final even when the other field is a number.
 */
export function streamFailure(d: ErrorDetails, ctx: Pick<HttpFailureContext, 'provider' | 'model' | 'secrets' | 'maxRetryAfterMs'>): ProviderError {
  const said = redact(d.message ?? '(no message)', ctx.secrets);
  const code = d.code ?? d.type;
  const status = d.status;
  const names = [d.code, d.type].filter((n): n is string => n !== undefined);
  const named = (set: ReadonlySet<string>): boolean => names.some((n) => set.has(n));
  // `status` stays unset: the reply itself was a 200; the body's status only classifies and is shown.
  const base = code ? { code } : {};
  const sl = status === undefined ? '' : ` (${statusLine(status)})`;
  if (isContextOverflow(d)) {
    return new ProviderError(`the conversation no longer fits ${ctx.model}'s context window: ${said}`, {
      ...base,
      kind: 'context_length',
      hint: 'start a new session or compact the conversation',
    });
  }
  if (isQuota(d) || status === 402) {
    return new ProviderError(`${ctx.provider} reports the account is out of quota${sl}: ${said}`, {
      ...base,
      kind: 'quota',
      hint: 'check the plan and billing details of this account',
    });
  }
  if (status === 401 || named(AUTH_ERRORS)) {
    return new ProviderError(`${ctx.provider} rejected the credentials${sl}: ${said}`, { ...base, kind: 'auth', hint: 'check the API key this provider is given' });
  }
  if (status === 403 || named(PERMISSION_ERRORS)) {
    return new ProviderError(`${ctx.provider} refused the request${sl}: ${said}`, { ...base, kind: 'permission' });
  }
  const clientStatus = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429;
  if (named(REQUEST_ERRORS) || clientStatus) {
    return new ProviderError(`${ctx.provider} rejected the request${sl}: ${said}`, { ...base, kind: 'bad_request' });
  }
  if (code === 'server_is_overloaded' || code === 'slow_down') {
    return new ProviderError(`${ctx.provider} is overloaded: ${said}`, { ...base, kind: 'server', hint: 'try again later' });
  }
  const wait = tryAgainHintMs(d.message);
  const rate = status === 429 || named(RATE_ERRORS);
  return new ProviderError(`${rate ? `rate limited by ${ctx.provider}` : `${ctx.provider} reported an error in the stream`}${sl}: ${said}`, {
    ...base,
    kind: rate ? 'rate_limit' : 'server',
    retryable: wait === undefined || wait <= ctx.maxRetryAfterMs,
    ...(wait !== undefined && wait <= ctx.maxRetryAfterMs ? { retryAfterMs: wait } : {}),
  });
}

/** A stream that broke before its terminal event; always worth a reconnect. */
export function streamBroken(reason: string, code?: string): ProviderError {
  return new ProviderError(`stream disconnected before completion: ${reason}`, { kind: 'stream', retryable: true, ...(code ? { code } : {}) });
}

/**
 * No response headers within the idle timeout: the server took the request and went silent (or the
 * connection never completed). Retried by the announced stream layer, never silently, so a server that
 * never answers costs one idle timeout per visible attempt.
 */
export function noResponse(provider: string, url: string, idleMs: number): ProviderError {
  return new ProviderError(`idle timeout waiting for a response: ${provider} at ${url} sent nothing for ${formatDuration(idleMs)}`, {
    kind: 'stream',
    retryable: true,
    code: 'idle_timeout',
    hint: 'check that base_url points at the provider\'s API and the server is not stuck; stream_idle_timeout_ms sets how long to wait',
  });
}
