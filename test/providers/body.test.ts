import { describe, expect, it } from 'vitest';
import { jsonParts } from '../../src/providers/transport.js';

const joined = (body: object): string => Buffer.concat(jsonParts(body)).toString('utf8');

describe('request body serialization in parts', () => {
  it('produces exactly JSON.stringify of the body, for small and large histories', () => {
    const long = Array.from({ length: 500 }, (_, i) => ({ type: 'message', role: i % 2 ? 'assistant' : 'user', content: [{ type: 'input_text', text: `line ${i} "quoted" é ✓` }] }));
    const bodies: object[] = [
      { model: 'm', input: [], stream: true },
      { model: 'm', input: long, tools: [{ type: 'function', name: 'x' }], stream: true },
      { input: long, model: 'm', skipped: undefined, reasoning: { effort: 'high', summary: undefined } },
      { model: 'm', messages: long, stream_options: { include_usage: true }, last: undefined },
      { messages: [null, 1, 'a', ...long] },
    ];
    for (const body of bodies) expect(joined(body)).toBe(JSON.stringify(body));
  });

  it('splits a long history into one part per item, so no single string holds the whole body', () => {
    const input = Array.from({ length: 300 }, (_, i) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x'.repeat(i) }] }));
    const parts = jsonParts({ model: 'm', input });
    expect(parts.length).toBeGreaterThanOrEqual(300);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(400);
  });
});
