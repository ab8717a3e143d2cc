/**
 * The idle timeout counts SSE events, not bytes, over real HTTP: keep-alive comments and partial events
 * do not keep a request alive, a server that takes the request and never answers fails within
 * (1 + stream_max_retries) idle timeouts with every retry announced, and the final message gives the true
 * number of HTTP requests. Timeouts are a few hundred ms so the file stays fast.
 */
import { describe, expect, it } from 'vitest';
import type { ProviderEvent } from '../../src/providers/index.js';
import { silentlyRetryable } from '../../src/providers/retry.js';
import { connectionFailure, HttpTimeoutError } from '../../src/providers/transport.js';
import { chatEvents, hang, raw, responsesEvents, trickle, turn } from '../support/scripted-server.js';
import { useScriptedServer } from '../support/e2e.js';
import { collect, fastClient, last, makeProvider, only, request } from './helpers.js';

const server = useScriptedServer();

const IDLE = 250;
const SSE_IDLE = 'stream disconnected before completion: idle timeout waiting for SSE';
const WIRES = ['responses', 'chat'] as const;
type WireApi = (typeof WIRES)[number];
const PATHS: Record<WireApi, string> = { responses: '/responses', chat: '/chat/completions' };

const provider = (wire: WireApi, stream_max_retries: number, stream_idle_timeout_ms = IDLE) =>
  makeProvider(server.url, { wire_api: wire, stream_max_retries, stream_idle_timeout_ms });

async function timed(events: AsyncIterable<ProviderEvent>): Promise<{ events: ProviderEvent[]; ms: number }> {
  const t0 = performance.now();
  const out = await collect(events);
  return { events: out, ms: performance.now() - t0 };
}

function failed(events: ProviderEvent[]) {
  const ev = last(events);
  if (ev.type !== 'failed') throw new Error(`expected failed, got ${ev.type}`);
  return ev.error;
}

describe.each(WIRES)('idle timeout over %s', (wire) => {
  it('keep-alive comments only: each request fails after the idle timeout; 3 requests, then a clear failure', async () => {
    server.reply(trickle(40), trickle(40), trickle(40));
    const { events, ms } = await timed(fastClient(provider(wire, 2)).stream(request()));
    const err = failed(events);
    expect(server.requests).toHaveLength(3);
    expect(only(events, 'retrying').map((r) => r.reason)).toEqual([SSE_IDLE, SSE_IDLE]);
    expect(err.kind).toBe('stream');
    expect(err.message).toBe(`${SSE_IDLE} (gave up after 3 requests)`);
    expect(ms).toBeGreaterThanOrEqual(3 * IDLE - 10);
    expect(ms).toBeLessThan(3 * IDLE + 2000);
  });

  it('comments after some events do not extend the wait; the reconnect then completes', async () => {
    server.reply(trickle(40, { afterEvents: 2 }), turn({ text: 'recovered' }));
    const events = await collect(fastClient(provider(wire, 5)).stream(request()));
    expect(last(events).type).toBe('completed');
    expect(only(events, 'retrying').map((r) => r.reason)).toEqual([SSE_IDLE]);
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(IDLE - 10);
  });

  it('a trickle of bytes that never completes an event times out like silence', async () => {
    server.reply(trickle(30, { chunk: 'data: {}\n' }));
    const { events, ms } = await timed(fastClient(provider(wire, 0)).stream(request()));
    expect(failed(events).message).toBe(`${SSE_IDLE} (gave up after 1 request)`);
    expect(ms).toBeLessThan(IDLE + 1000);
  });

  it('events arriving slower than the timeout in total but faster than it one by one complete', async () => {
    const t = { text: 'slow but steady answer' };
    const events = wire === 'responses' ? responsesEvents(t) : chatEvents(t);
    // Every event is preceded by a comment, and the whole stream takes several idle timeouts.
    server.reply(raw(events.flatMap((e) => [': keep-alive\n\n', e]), { delayMs: 60 }));
    const { events: out, ms } = await timed(fastClient(provider(wire, 0)).stream(request()));
    expect(last(out).type).toBe('completed');
    expect(ms).toBeGreaterThan(2 * IDLE);
  });

  it('a request never answered is not retried silently: one announced retry per idle timeout', async () => {
    server.reply(hang(), hang(), hang());
    // request_max_retries stays at its default (4): a silent retry would show up as extra requests.
    const { events, ms } = await timed(fastClient(provider(wire, 2)).stream(request()));
    const err = failed(events);
    const reason = `idle timeout waiting for a response: Scripted at ${server.url}${PATHS[wire]} sent nothing for ${IDLE} ms`;
    expect(server.requests).toHaveLength(3);
    expect(only(events, 'retrying').map((r) => r.message)).toEqual([`Reconnecting... 1/2 (${reason})`, `Reconnecting... 2/2 (${reason})`]);
    expect(err.kind).toBe('stream');
    expect(err.message).toBe(`${reason} (gave up after 3 requests)`);
    expect(err.hint).toMatch(/stream_idle_timeout_ms/);
    expect(ms).toBeGreaterThanOrEqual(3 * IDLE - 10);
    expect(ms).toBeLessThan(3 * IDLE + 2000);
  });
});

describe('one idle budget per request', () => {
  it('the wait for the headers and the wait for the first event share one timeout', async () => {
    // Headers after 500 ms, then only comments: the request fails at 600 ms, not 500 + 600 (the bound
    // leaves 400 ms for a loaded machine and stays below the wrong answer).
    server.reply(trickle(40, { headersAfterMs: 500 }));
    const { events, ms } = await timed(fastClient(provider('responses', 0, 600)).stream(request()));
    expect(failed(events).message).toBe(`${SSE_IDLE} (gave up after 1 request)`);
    expect(ms).toBeGreaterThanOrEqual(590);
    expect(ms).toBeLessThan(1000);
  });

  it('a request never answered, then an answer: completes after one visible retry', async () => {
    server.reply(hang(), turn({ text: 'recovered' }));
    const events = await collect(fastClient(provider('chat', 5)).stream(request()));
    expect(last(events).type).toBe('completed');
    expect(only(events, 'retrying').map((r) => r.reason)).toEqual([
      `idle timeout waiting for a response: Scripted at ${server.url}/chat/completions sent nothing for ${IDLE} ms`,
    ]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("the HTTP client's own timeouts", () => {
  it('(10 s to connect, 300 s for headers) are announced retries, never silent ones', () => {
    const err = connectionFailure(new HttpTimeoutError(), makeProvider('http://127.0.0.1:8/v1'), false);
    expect([err.kind, err.code, err.retryable]).toEqual(['connection', 'timeout', true]);
    expect(silentlyRetryable(err)).toBe(false);
  });
});
