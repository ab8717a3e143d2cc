/** What the model is told about a command's output: truncated to its budget, with the real totals. */
import { describe, expect, it } from 'vitest';
import { formatExecOutput, truncateForModel } from '../../../src/agent/tools/output.js';
import { Capture } from '../../../src/sandbox/capture.js';
import type { ExecResult } from '../../../src/sandbox/index.js';

const lines = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join('\n') + '\n';

function result(captured: ReturnType<Capture['result']>, extra: Partial<ExecResult> = {}): ExecResult {
  return {
    exitCode: 1,
    output: captured.text,
    stdout: captured.text,
    stderr: '',
    durationMs: 1234,
    timedOut: false,
    aborted: false,
    truncated: captured.gap !== undefined,
    outputTotals: captured.totals,
    ...(captured.gap !== undefined ? { outputGap: captured.gap } : {}),
    sandboxed: true,
    sandboxDenied: false,
    ...extra,
  };
}

describe('Capture', () => {
  it('keeps everything under the cap and counts it', () => {
    const c = new Capture(1024);
    c.add(Buffer.from('héllo\nwörld\n'));
    expect(c.result()).toEqual({ text: 'héllo\nwörld\n', totals: { bytes: 14, chars: 12, lines: 3 } });
    expect(c.truncated).toBe(false);
  });

  it('keeps the first and last halves of a long output, on character boundaries, and counts all of it', () => {
    const c = new Capture(100);
    const all = 'é'.repeat(40) + 'x'.repeat(1000) + '\n'.repeat(7) + 'ü'.repeat(40);
    for (let i = 0; i < all.length; i += 13) c.add(Buffer.from(all.slice(i, i + 13)));
    const r = c.result();
    expect(c.truncated).toBe(true);
    expect(r.totals).toEqual({ bytes: Buffer.byteLength(all), chars: all.length, lines: 8 });
    expect(r.text.slice(0, r.gap)).toBe('é'.repeat(25));
    expect(r.text.slice(r.gap)).toBe('ü'.repeat(25));
  });
});

describe('truncateForModel and formatExecOutput', () => {
  it('leave short output alone', () => {
    expect(truncateForModel('ok\n', { mode: 'bytes', limit: 100 })).toBe('ok\n');
  });

  it('count what the capture dropped too: lines, characters and tokens of the whole output', () => {
    const all = lines(1, 200_000); // ~2.3 MB, far over the 1 MiB capture
    const c = new Capture(1024 * 1024);
    for (let i = 0; i < all.length; i += 65536) c.add(Buffer.from(all.slice(i, i + 65536)));
    const r = result(c.result());
    const text = formatExecOutput(r, 'text', { mode: 'bytes', limit: 1000 });
    expect(text).toMatch(/^Exit code: 1\nWall time: 1.2 seconds\nOutput:\nTotal output lines: 200001\n\nline 1\nline 2\n/);
    expect(text.endsWith('line 200000\n')).toBe(true);
    const cut = Number(/…(\d+) chars truncated…/.exec(text)?.[1]);
    const kept = text.slice(text.indexOf('\n\n') + 2).replace(/…\d+ chars truncated…/, '');
    expect(cut + kept.length).toBe(all.length);
    const tokens = formatExecOutput(r, 'json', { mode: 'tokens', limit: 250 });
    const body = JSON.parse(tokens) as { output: string };
    const keptBytes = Buffer.byteLength(body.output.slice(body.output.indexOf('\n\n') + 2).replace(/…\d+ tokens truncated…/, ''));
    expect(Number(/…(\d+) tokens truncated…/.exec(body.output)?.[1])).toBe(Math.ceil((all.length - keptBytes) / 4));
  });

  it('mark the gap even when what was kept fits the budget', () => {
    const c = new Capture(20);
    c.add(Buffer.from('0123456789' + 'x'.repeat(100) + 'abcdefghij'));
    const text = truncateForModel(c.result().text, { mode: 'bytes', limit: 1000 }, { gap: c.result().gap ?? 0, totals: c.result().totals });
    expect(text).toBe('Total output lines: 1\n\n0123456789…100 chars truncated…abcdefghij');
  });

  it('a timed-out command keeps its note in front, counted in the totals', () => {
    const c = new Capture(20);
    c.add(Buffer.from('A'.repeat(10) + 'B'.repeat(50) + 'C'.repeat(10)));
    const text = formatExecOutput(result(c.result(), { timedOut: true, durationMs: 5000 }), 'text', { mode: 'bytes', limit: 10_000 });
    expect(text).toContain('Total output lines: 2\n\ncommand timed out after 5000 milliseconds\nAAAAAAAAAA…50 chars truncated…CCCCCCCCCC');
  });
});
