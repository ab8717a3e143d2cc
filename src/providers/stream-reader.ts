/**
 * Reads a streaming response body: bytes → UTF-8 → SSE events → the wire decoder → normalized events,
 * with an idle timeout that only complete events reset (Codex: "idle timeout waiting for SSE"; see idle.ts).
 */
import type { ProviderEvent } from './events.js';
import { errorDetails, ProviderError, streamBroken, streamFailure } from './errors.js';
import type { BodyReader, HttpReply } from './http.js';
import type { IdleBudget } from './idle.js';
import { SseDecoder, type SseEvent } from './sse.js';
import type { DecoderContext, StreamDecoder } from './wire.js';

/** Decodes a whole recorded stream synchronously (tests and benchmarks; no I/O). */
export function decodeChunks(chunks: Iterable<Uint8Array | string>, decoder: StreamDecoder, onEvents: (events: ProviderEvent[]) => void): void {
  const text = new TextDecoder();
  const sse = new SseDecoder();
  const out: ProviderEvent[] = [];
  const onSse = (e: SseEvent): void => decoder.onEvent(e.event, e.data, out);
  for (const chunk of chunks) {
    sse.feed(typeof chunk === 'string' ? chunk : text.decode(chunk, { stream: true }), onSse);
    if (out.length > 0) {
      onEvents(out.splice(0));
    }
    if (decoder.finished) return;
  }
  sse.feed(text.decode(), onSse);
  sse.end(onSse);
  if (!decoder.finished) decoder.onEnd(out);
  if (out.length > 0) onEvents(out.splice(0));
}

const idleForSse = (): ProviderError => streamBroken('idle timeout waiting for SSE', 'idle_timeout');

function read(reader: BodyReader, idle: IdleBudget): ReturnType<BodyReader['read']> {
  const next = reader.read().then(
    (r) => r,
    (err: unknown) => {
      const cause = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
      throw streamBroken(`error reading the response body (${cause})`);
    },
  );
  return idle.wait(next, idleForSse);
}

/** The whole body as text, read under the idle budget (a JSON reply has no events to refill it). */
async function readAll(reader: BodyReader, idle: IdleBudget): Promise<string> {
  const text = new TextDecoder();
  let all = '';
  for (;;) {
    const r = await read(reader, idle);
    if (r.done) return all + text.decode();
    all += text.decode(r.value, { stream: true });
  }
}

/** A 200 reply that is not an event stream: an error object, or a server that ignored `stream: true`. */
function nonStreamReply(text: string, contentType: string | null, ctx: DecoderContext): never {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const d = errorDetails(parsed);
  const hasError = typeof parsed === 'object' && parsed !== null && ('error' in parsed || (parsed as { object?: unknown }).object === 'error');
  if (hasError) throw streamFailure(d, ctx);
  throw new ProviderError(`${ctx.provider} answered with ${contentType ?? 'no content type'} instead of an event stream`, {
    kind: 'bad_request',
    hint: 'this server does not seem to support streaming; check base_url and wire_api',
  });
}

export async function* readEventStream(
  response: HttpReply,
  decoder: StreamDecoder,
  idle: IdleBudget,
  ctx: DecoderContext,
): AsyncGenerator<ProviderEvent, void, undefined> {
  const type = response.headers.get('content-type');
  const json = type?.includes('application/json') === true;
  const reader = response.body;
  if (json) {
    try {
      nonStreamReply(await readAll(reader, idle), type, ctx);
    } finally {
      reader.cancel();
    }
  }
  const text = new TextDecoder();
  const sse = new SseDecoder();
  const out: ProviderEvent[] = [];
  // Only a complete event refills the idle budget: comments (`: keep-alive`) and partial bytes do not.
  const onSse = (e: SseEvent): void => {
    idle.refill();
    decoder.onEvent(e.event, e.data, out);
  };
  try {
    for (;;) {
      const r = await read(reader, idle);
      if (r.done) {
        sse.feed(text.decode(), onSse);
        sse.end(onSse);
        if (!decoder.finished) decoder.onEnd(out);
      } else {
        sse.feed(text.decode(r.value, { stream: true }), onSse);
      }
      if (out.length > 0) {
        const batch = out.splice(0);
        for (const ev of batch) yield ev;
      }
      if (r.done || decoder.finished) return;
    }
  } finally {
    reader.cancel();
  }
}
