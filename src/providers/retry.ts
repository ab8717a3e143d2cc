/**
 * Retry budgets and waits, as Codex does them (codex-compat.md §9.4, codex-observed.md): an inner,
 * silent HTTP layer for 5xx and transport errors (`request_max_retries`), and an outer layer that
 * re-sends the request when a stream breaks or the server asks to wait (`stream_max_retries`), each
 * retry announced as "Reconnecting... n/N (reason)". An idle timeout (no SSE event, or no response at all,
 * within `stream_idle_timeout_ms`; see idle.ts) is only ever retried by the outer, announced layer, so a
 * server that never answers costs at most (1 + stream_max_retries) idle timeouts plus the backoff.
 */
import type { ProviderInfo } from '../config/index.js';
import { ProviderError } from './errors.js';

export interface RetryPolicy {
  requestMaxRetries: number;
  streamMaxRetries: number;
  idleTimeoutMs: number;
  /** First backoff step; doubles per retry (Codex: 200 ms). */
  baseDelayMs: number;
  /** Longest server-requested wait we honour (429 retry-after); longer ones fail at once. */
  maxRetryAfterMs: number;
  /** Jitter source in [0, 1). */
  random: () => number;
}

export type RetryTuning = Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxRetryAfterMs' | 'random' | 'idleTimeoutMs'>>;

export function retryPolicy(provider: ProviderInfo, tuning: RetryTuning = {}): RetryPolicy {
  return {
    requestMaxRetries: provider.request_max_retries,
    streamMaxRetries: provider.stream_max_retries,
    idleTimeoutMs: tuning.idleTimeoutMs ?? provider.stream_idle_timeout_ms,
    baseDelayMs: tuning.baseDelayMs ?? 200,
    maxRetryAfterMs: tuning.maxRetryAfterMs ?? 60_000,
    random: tuning.random ?? Math.random,
  };
}

/** `base × 2^(attempt−1)` with ±10 % jitter; `attempt` counts from 1. */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'random'>): number {
  const exp = Math.min(Math.max(attempt - 1, 0), 20);
  return Math.round(policy.baseDelayMs * 2 ** exp * (0.9 + 0.2 * policy.random()));
}

export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ProviderError('request aborted', { kind: 'aborted' }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ProviderError('request aborted', { kind: 'aborted' }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const NOT_SILENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'timeout']);

/**
 * Failures the inner HTTP layer retries without telling anyone. Refused connections are shown at once,
 * and so are timeouts: a silent retry of a wait would multiply it unseen.
 */
export function silentlyRetryable(err: ProviderError): boolean {
  if (err.kind === 'server' && err.status !== undefined) return true;
  return err.kind === 'connection' && !NOT_SILENT.has(err.code ?? '');
}

/** The short reason shown in "Reconnecting... n/N (reason)". */
export function retryReason(err: ProviderError): string {
  const m = err.message;
  return m.length > 200 ? `${m.slice(0, 197)}...` : m;
}
