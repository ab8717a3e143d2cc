/**
 * The idle timeout (`stream_idle_timeout_ms`) as a budget of silence for one HTTP request: the time spent
 * waiting on the server — for its response headers, then for body bytes — is charged to it, and only a
 * complete SSE event (one that reaches the wire decoder) refills it. Keep-alive comments, partial events
 * and other bytes that are not events do not, so a server that sends nothing useful fails within the
 * timeout however it trickles. Time the consumer spends on events already received is not charged.
 */
export class IdleBudget {
  private leftMs: number;

  constructor(readonly idleMs: number) {
    this.leftMs = idleMs;
  }

  /** A complete event arrived: the server may be silent for the whole timeout again. */
  refill(): void {
    this.leftMs = this.idleMs;
  }

  /**
   * Waits for `work`, charging the wait to the budget; once the budget is spent, rejects with `onIdle()`
   * (which may also stop the work, e.g. abort the request) instead of waiting longer.
   */
  async wait<T>(work: Promise<T>, onIdle: () => Error): Promise<T> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onIdle()), Math.max(0, this.leftMs));
    });
    try {
      return await Promise.race([work, idle]);
    } finally {
      clearTimeout(timer);
      this.leftMs -= performance.now() - started;
    }
  }
}

/** "300 ms", "2.5 s", "300 s": how the timeout is named in messages. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
