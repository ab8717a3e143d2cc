/** Decoding a recorded SSE stream without a server (benchmarks, fixtures, debugging a capture). */
import type { WireApi } from '../config/index.js';
import { ChatDecoder } from './chat-stream.js';
import type { ProviderEvent } from './events.js';
import { ResponsesDecoder } from './responses-stream.js';
import { decodeChunks } from './stream-reader.js';

/**
 * Runs recorded bytes through the same SSE decoder and wire decoder the live client uses and calls
 * `onEvent` for each normalized event. Throws the ProviderError a live stream would fail with.
 */
export function decodeRecordedStream(
  wireApi: WireApi,
  chunks: Iterable<Uint8Array | string>,
  onEvent: (event: ProviderEvent) => void,
  options: { customTools?: ReadonlySet<string> } = {},
): void {
  const ctx = { provider: 'recording', model: 'recording', secrets: [], maxRetryAfterMs: 60_000 };
  const decoder = wireApi === 'chat' ? new ChatDecoder(ctx, options.customTools) : new ResponsesDecoder(ctx);
  decodeChunks(chunks, decoder, (events) => {
    for (const e of events) onEvent(e);
  });
}
