/** What exec_command and write_stdin answer. */
import { describe, expect, it } from 'vitest';
import { formatChunk, tokenBudget } from '../../../../src/agent/tools/unified-exec/format.js';
import { Capture } from '../../../../src/sandbox/capture.js';

const captured = (text: string, cap = 1024 * 1024) => {
  const c = new Capture(cap);
  c.add(Buffer.from(text));
  return c.result();
};

describe('unified exec answers', () => {
  it('running and exited processes, in Codex’s layout', () => {
    expect(formatChunk({ wallMs: 1234.56789, output: captured('hello\n'), exitCode: null, sessionId: 4242, maxTokens: 100 })).toMatch(
      /^Chunk ID: [0-9a-f]{6}\nWall time: 1\.2346 seconds\nProcess running with session ID 4242\nOriginal token count: 2\nOutput:\nhello\n$/,
    );
    expect(formatChunk({ wallMs: 0, output: captured(''), exitCode: 3, sessionId: null, maxTokens: 100, note: '(a note)' })).toMatch(
      /\nWall time: 0\.0000 seconds\nProcess exited with code 3\nOriginal token count: 0\nOutput:\n\(a note\)\n$/,
    );
  });

  it('cuts the middle of long output to max_output_tokens and counts what was there', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const out = formatChunk({ wallMs: 10, output: captured(text), exitCode: 0, sessionId: null, maxTokens: 50 });
    expect(out).toContain(`Original token count: ${Math.ceil(Buffer.byteLength(text) / 4)}\n`);
    expect(out).toMatch(/Output:\nTotal output lines: 5001\n\nline 0\n/);
    expect(out).toMatch(/…\d+ tokens truncated…/);
    expect(out).toMatch(/line 4999\n$/);
    expect(out.length).toBeLessThan(600);
  });

  it('counts output the 1 MiB capture already dropped', () => {
    const text = 'x'.repeat(3000);
    const out = formatChunk({ wallMs: 10, output: captured(text, 1000), exitCode: 0, sessionId: null, maxTokens: 10_000 });
    expect(out).toContain('Original token count: 750\n');
    expect(out).toMatch(/…500 tokens truncated…/);
  });

  it('max_output_tokens never exceeds the model’s own budget', () => {
    expect(tokenBudget(10_000, { mode: 'tokens', limit: 10_000 })).toBe(10_000);
    expect(tokenBudget(20_000, { mode: 'tokens', limit: 10_000 })).toBe(10_000);
    expect(tokenBudget(10_000, { mode: 'bytes', limit: 10_000 })).toBe(2500);
    expect(tokenBudget(100, { mode: 'bytes', limit: 10_000 })).toBe(100);
  });
});
