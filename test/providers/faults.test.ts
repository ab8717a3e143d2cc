/**
 * Faults, as Codex handles them (codex-observed.md "Error and retry behaviour"), over real HTTP:
 * which failures are retried, how often, how long the waits are, and what the final error says.
 * Backoff bases are tiny here (5 ms) so the suite stays fast; the waits are asserted with tolerances.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderEvent } from '../../src/providers/index.js';
import { createModelClient } from '../../src/providers/index.js';
import { disconnectAfter, failWith, raw, stallAfter, startScriptedServer, truncateAfter, turn, type ScriptedServer } from '../support/scripted-server.js';
import { collect, fastClient, last, makeProvider, only, request } from './helpers.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
});

const WIRES = ['responses', 'chat'] as const;
const provider = (wire: 'responses' | 'chat', extra: Parameters<typeof makeProvider>[1] = {}) => makeProvider(server.url, { wire_api: wire, ...extra });
const ok = turn({ text: 'recovered' });

function failed(events: ProviderEvent[]) {
  const ev = last(events);
  if (ev.type !== 'failed') throw new Error(`expected failed, got ${ev.type}`);
  return ev.error;
}
function completed(events: ProviderEvent[]) {
  const ev = last(events);
  if (ev.type !== 'completed') throw new Error(`expected completed, got ${ev.type}${ev.type === 'failed' ? `: ${ev.error.message}` : ''}`);
  return ev;
}

describe.each(WIRES)('faults over %s', (wire) => {
  it('429 with retry-after-ms: waits that long, says so, then succeeds', async () => {
    server.reply(failWith(429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', param: null } }, { 'retry-after-ms': '150' }), ok);
    const events = await collect(fastClient(provider(wire)).stream(request()));
    completed(events);
    const retries = only(events, 'retrying');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, maxAttempts: 5, delayMs: 150 });
    expect(retries[0]?.message).toMatch(/^Reconnecting\.\.\. 1\/5 \(rate limited by Scripted \(429 Too Many Requests\): Rate limit reached\)$/);
    expect(server.requests).toHaveLength(2);
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(145);
    expect(server.gaps()[0]).toBeLessThan(600);
  });

  it('429 without retry-after or hint: not retried, reported with the server message and a hint', async () => {
    server.reply(failWith(429, { error: { message: 'Slow down please', type: 'requests', code: 'rate_limit_exceeded', param: null } }));
    const err = failed(await collect(fastClient(provider(wire)).stream(request())));
    expect(server.requests).toHaveLength(1);
    expect(err.kind).toBe('rate_limit');
    expect(err.message).toContain('Slow down please');
    expect(err.hint).toMatch(/did not say when to retry/);
  });

  it('insufficient_quota is final even with retry-after', async () => {
    server.reply(failWith(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota', param: null } }, { 'retry-after': '1' }));
    const err = failed(await collect(fastClient(provider(wire)).stream(request())));
    expect(server.requests).toHaveLength(1);
    expect(err.kind).toBe('quota');
    expect(err.message).toContain('You exceeded your current quota');
  });

  it('500: retried silently by the HTTP layer, then by the stream layer: 6 × 5 = 30 requests, growing waits', async () => {
    for (let i = 0; i < 30; i++) server.reply(failWith(500, { error: { message: 'The server had an error', type: 'server_error' } }));
    const events = await collect(fastClient(provider(wire)).stream(request()));
    const err = failed(events);
    expect(server.requests).toHaveLength(30);
    expect(err.kind).toBe('server');
    expect(err.message).toBe('Scripted failed to answer (500 Internal Server Error): The server had an error (gave up after 30 requests)');
    const retries = only(events, 'retrying');
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5]);
    retries.forEach((r, i) => {
      const base = 5 * 2 ** i;
      expect(r.delayMs).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
      expect(r.delayMs).toBeLessThanOrEqual(Math.ceil(base * 1.1));
    });
    // Within one attempt the four silent HTTP retries wait about 5, 10, 20, 40 ms.
    const gaps = server.gaps();
    [5, 10, 20, 40].forEach((base, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(base * 0.9 - 2);
      expect(gaps[i]).toBeLessThan(base * 1.1 + 150);
    });
  });

  it('one 500 then success: absorbed by the HTTP layer without a visible retry', async () => {
    server.reply(failWith(500), ok);
    const events = await collect(fastClient(provider(wire)).stream(request()));
    completed(events);
    expect(only(events, 'retrying')).toHaveLength(0);
    expect(server.requests).toHaveLength(2);
  });

  it('400 JSON error: not retried; the server message is shown', async () => {
    server.reply(failWith(400, { error: { message: "Invalid value for 'input': fake bad request.", type: 'invalid_request_error', param: 'input', code: null } }));
    const err = failed(await collect(fastClient(provider(wire)).stream(request())));
    expect(server.requests).toHaveLength(1);
    expect(err.kind).toBe('bad_request');
    expect(err.message).toBe("Scripted rejected the request (400 Bad Request): Invalid value for 'input': fake bad request.");
  });

  it('context_length_exceeded: not retried, typed, with a hint', async () => {
    server.reply(failWith(400, { error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }));
    const err = failed(await collect(fastClient(provider(wire)).stream(request())));
    expect(server.requests).toHaveLength(1);
    expect(err.kind).toBe('context_length');
    expect(err.hint).toMatch(/new session|compact/);
  });

  it('401: not retried; the hint names the env var; the key never appears in the message', async () => {
    const key = 'sk-secret-abcdef123456';
    server.reply(failWith(401, { error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    const err = failed(await collect(fastClient(provider(wire, { env_key: 'SCRIPTED_API_KEY' }), { SCRIPTED_API_KEY: key }).stream(request())));
    expect(server.requests).toHaveLength(1);
    expect(err.kind).toBe('auth');
    expect(err.hint).toBe('check the key in SCRIPTED_API_KEY');
    expect(`${err.message} ${err.hint ?? ''}`).not.toContain(key);
  });

  it('socket destroyed mid-body: reconnects and completes', async () => {
    server.reply(disconnectAfter(3), ok);
    const events = await collect(fastClient(provider(wire)).stream(request()));
    expect(completed(events).items).toEqual([{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'recovered' }], ...(wire === 'responses' ? { id: 'msg_0' } : {}) }]);
    const retries = only(events, 'retrying');
    expect(retries).toHaveLength(1);
    expect(retries[0]?.reason).toMatch(/^stream disconnected before completion: /);
  });

  it('clean EOF before completion: retried up to stream_max_retries, then reported', async () => {
    for (let i = 0; i < 4; i++) server.reply(truncateAfter(3));
    const events = await collect(fastClient(provider(wire, { stream_max_retries: 3 })).stream(request()));
    const err = failed(events);
    expect(server.requests).toHaveLength(4);
    expect(only(events, 'retrying').map((r) => r.message)).toEqual(
      [1, 2, 3].map((n) => `Reconnecting... ${n}/3 (stream disconnected before completion: ${wire === 'responses' ? 'stream closed before response.completed' : 'stream closed before the final chunk'})`),
    );
    expect(err.kind).toBe('stream');
    expect(err.message).toMatch(/\(gave up after 4 requests\)$/);
  });

  it('idle stall: times out after stream_idle_timeout_ms and reconnects', async () => {
    server.reply(stallAfter(2), ok);
    const client = createModelClient(provider(wire), { env: {}, home: '/nonexistent', retry: { baseDelayMs: 5, idleTimeoutMs: 150 } });
    const t0 = performance.now();
    const events = await collect(client.stream(request()));
    completed(events);
    const retries = only(events, 'retrying');
    expect(retries).toHaveLength(1);
    expect(retries[0]?.reason).toBe('stream disconnected before completion: idle timeout waiting for SSE');
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(145);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('aborting stops a stalled stream at once with an `aborted` failure', async () => {
    server.reply(stallAfter(2));
    const controller = new AbortController();
    // Aborted once the first event is in (the stream has started, then stalls), timed from the abort.
    let t0 = 0;
    const events: ProviderEvent[] = [];
    for await (const ev of fastClient(provider(wire)).stream(request({ signal: controller.signal }))) {
      events.push(ev);
      if (t0 === 0) {
        t0 = performance.now();
        controller.abort();
      }
    }
    const err = failed(events);
    expect(err.kind).toBe('aborted');
    // The torn connection is the abort itself, not a broken stream to reconnect (no "Reconnecting...").
    expect(only(events, 'retrying')).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('retry waits from the server', () => {
  it('429 with retry-after in seconds is honoured', async () => {
    server.reply(failWith(429, { error: { message: 'busy', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '1' }), ok);
    const events = await collect(fastClient(provider('responses')).stream(request()));
    completed(events);
    expect(only(events, 'retrying')[0]?.delayMs).toBe(1000);
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(990);
    expect(server.gaps()[0]).toBeLessThan(1600);
  });

  it('429 with a "try again in" hint is retried after the hinted time', async () => {
    server.reply(failWith(429, { error: { message: 'Rate limit reached. Please try again in 80ms.', type: 'tokens', code: 'rate_limit_exceeded' } }), ok);
    const events = await collect(fastClient(provider('chat')).stream(request()));
    completed(events);
    expect(only(events, 'retrying')[0]?.delayMs).toBe(80);
    expect(server.gaps()[0]).toBeGreaterThanOrEqual(75);
  });

  it('persistent 429 with retry-after ends with "exceeded retry limit"', async () => {
    for (let i = 0; i < 3; i++) server.reply(failWith(429, { error: { message: 'busy', code: 'rate_limit_exceeded' } }, { 'retry-after-ms': '10' }));
    const events = await collect(fastClient(provider('responses', { stream_max_retries: 2 })).stream(request()));
    expect(failed(events).message).toBe('exceeded retry limit, last status: 429 Too Many Requests (3 requests)');
    expect(server.requests).toHaveLength(3);
  });

  it('a retry-after beyond the longest honoured wait is reported instead of waited for', async () => {
    server.reply(failWith(429, { error: { message: 'busy', code: 'rate_limit_exceeded' } }, { 'retry-after': '3600' }));
    const err = failed(await collect(fastClient(provider('responses')).stream(request())));
    expect(server.requests).toHaveLength(1);
    expect(err.hint).toBe('the server asks to wait 3600s before retrying');
  });
});

describe('failures reported inside the stream', () => {
  const ev = (o: Record<string, unknown>): string => `event: ${String(o.type)}\ndata: ${JSON.stringify(o)}\n\n`;
  const created = ev({ type: 'response.created', response: { id: 'r', status: 'in_progress', output: [] } });

  it('response.failed with rate_limit_exceeded is retried after the hinted delay', async () => {
    server.reply(raw([created, ev({ type: 'response.failed', response: { id: 'r', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Please try again in 30ms' } } })]), ok);
    const events = await collect(fastClient(provider('responses')).stream(request()));
    completed(events);
    expect(only(events, 'retrying')[0]?.delayMs).toBe(30);
  });

  it('response.failed with context_length_exceeded and a nested `error` event are final', async () => {
    server.reply(raw([created, ev({ type: 'response.failed', response: { status: 'failed', error: { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' } } })]));
    expect(failed(await collect(fastClient(provider('responses')).stream(request()))).kind).toBe('context_length');
    server.reply(raw([created, ev({ type: 'error', sequence_number: 2, error: { type: 'invalid_request_error', code: 'insufficient_quota', message: 'quota', param: null } })]));
    expect(failed(await collect(fastClient(provider('responses')).stream(request()))).kind).toBe('quota');
    expect(server.requests).toHaveLength(2);
  });

  it('response.incomplete is final and names the reason', async () => {
    server.reply(raw([created, ev({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } })]));
    const err = failed(await collect(fastClient(provider('responses')).stream(request())));
    expect([err.kind, err.message]).toEqual(['incomplete', 'Incomplete response returned, reason: max_output_tokens']);
  });

  it.each([
    ['OpenAI error chunk', { error: { message: 'The server had an error while processing your request.', type: 'server_error' } }],
    ['vLLM top-level error', { object: 'error', message: 'engine died', type: 'InternalServerError' }],
  ])('chat: %s mid-stream is retried', async (_label, payload) => {
    server.reply(raw([`data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content: 'Hi' } }] })}\n\n`, `data: ${JSON.stringify(payload)}\n\n`]), ok);
    const events = await collect(fastClient(provider('chat')).stream(request()));
    expect(completed(events).items).toHaveLength(1);
    expect(only(events, 'retrying')).toHaveLength(1);
  });
});

describe('unreachable servers', () => {
  it('connection refused: every retry is visible, then a clear message after the budget', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const p = makeProvider(`http://127.0.0.1:${port}/v1`, { name: 'Ollama', local: true });
    const events = await collect(fastClient(p).stream(request()));
    const err = failed(events);
    expect(only(events, 'retrying').map((r) => r.reason)).toEqual(Array(5).fill(`could not connect to Ollama at http://127.0.0.1:${port}/v1: connection refused`));
    expect(err.kind).toBe('connection');
    expect(err.message).toBe(`could not connect to Ollama at http://127.0.0.1:${port}/v1: connection refused (gave up after 6 requests)`);
    expect(err.hint).toMatch(/is the Ollama server running/);
  });

  it('connections dropped before any reply: the silent and visible retries leave no abort listeners behind', async () => {
    const resetting = createServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const port = (resetting.address() as { port: number }).port;
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const turnSignal = new AbortController();
      const events = await collect(fastClient(makeProvider(`http://127.0.0.1:${port}/v1`)).stream({ ...request(), signal: turnSignal.signal }));
      expect(failed(events).kind).toBe('connection');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await new Promise<void>((resolve) => resetting.close(() => resolve()));
    }
  });
});
