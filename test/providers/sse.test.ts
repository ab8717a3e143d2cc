/** The SSE decoder: framing rules of wire.md §1, whatever way the bytes are split. */
import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from '../../src/providers/sse.js';

function decode(chunks: string[]): SseEvent[] {
  const d = new SseDecoder();
  const out: SseEvent[] = [];
  for (const c of chunks) d.feed(c, (e) => out.push(e));
  d.end((e) => out.push(e));
  return out;
}

const sample = 'event: a\ndata: {"x":1}\n\n: keep-alive\n\ndata: line1\ndata: line2\n\nevent: b\ndata:nospace\n\n';
const expected: SseEvent[] = [
  { event: 'a', data: '{"x":1}' },
  { event: undefined, data: 'line1\nline2' },
  { event: 'b', data: 'nospace' },
];

describe('SseDecoder', () => {
  it('decodes events, joins multi-line data, skips comments', () => {
    expect(decode([sample])).toEqual(expected);
  });

  it('gives the same events for every split point and for CRLF and CR line ends', () => {
    for (const text of [sample, sample.replace(/\n/g, '\r\n'), sample.replace(/\n/g, '\r')]) {
      for (let i = 0; i <= text.length; i++) expect(decode([text.slice(0, i), text.slice(i)])).toEqual(expected);
      expect(decode([...text])).toEqual(expected);
    }
  });

  it('dispatches a last event that lacks its blank line at end of input', () => {
    expect(decode(['data: [DONE]'])).toEqual([{ event: undefined, data: '[DONE]' }]);
  });

  it('ignores id/retry fields and events without data', () => {
    expect(decode(['id: 7\nretry: 100\nevent: x\n\ndata: y\n\n'])).toEqual([{ event: undefined, data: 'y' }]);
  });
});
