/**
 * Reads a streaming response body: bytes → UTF-8 → SSE events → the wire decoder → normalized events,
 * with an idle timeout on every read (Codex: "idle timeout waiting for SSE").
 */
import type { ProviderEvent } from './events.js';
import { errorDetails, ProviderError, streamBroken, streamFailure } from './errors.js';
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

type ReadResult = { done: false; value: Uint8Array } | { done: true; value?: undefined };

function readWithIdleTimeout(reader: ReadableStreamDefaultReader<Uint8Array>, idleMs: number): Promise<ReadResult> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(streamBroken('idle timeout waiting for SSE')), idleMs);
  });
  const read = reader.read().then(
    (r) => r as ReadResult,
    (err: unknown) => {
      const cause = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
      throw streamBroken(`error reading the response body (${cause})`);
    },
  );
  return Promise.race([read, idle]).finally(() => clearTimeout(timer));
}

/** A 200 reply that is not an event stream: an error object, or a server that ignored `stream: true`. */
async function nonStreamReply(response: Response, ctx: DecoderContext): Promise<never> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const d = errorDetails(parsed);
  const hasError = typeof parsed === 'object' && parsed !== null && ('error' in parsed || (parsed as { object?: unknown }).object === 'error');
  if (hasError) throw streamFailure(d, ctx);
  throw new ProviderError(`${ctx.provider} answered with ${response.headers.get('content-type') ?? 'no content type'} instead of an event stream`, {
    kind: 'bad_request',
    hint: 'this server does not seem to support streaming; check base_url and wire_api',
  });
}

export async function* readEventStream(
  response: Response,
  decoder: StreamDecoder,
  idleMs: number,
  ctx: DecoderContext,
): AsyncGenerator<ProviderEvent, void, undefined> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('application/json')) await nonStreamReply(response, ctx);
  const body = response.body;
  if (!body) throw streamBroken('the response has no body');
  const reader = body.getReader();
  const text = new TextDecoder();
  const sse = new SseDecoder();
  const out: ProviderEvent[] = [];
  const onSse = (e: SseEvent): void => decoder.onEvent(e.event, e.data, out);
  try {
    for (;;) {
      const r = await readWithIdleTimeout(reader, idleMs);
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
    reader.cancel().catch(() => undefined);
  }
}
