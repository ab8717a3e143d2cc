/**
 * How a finished command is reported to the model (codex-compat.md §4.5): the text form
 * (`Exit code / Wall time / Output`) or the structured JSON form, truncated to the model's budget. The
 * counts in a truncation note are the command's real totals, also of output the capture had already
 * dropped.
 */
import type { TruncationPolicy } from '../../catalog/index.js';
import type { Captured, ExecResult, OutputTotals } from '../../sandbox/index.js';

/** Text that may already be missing its middle: where (`gap`, an index in `text`) and how much there was in all. */
export interface PartialOutput {
  gap: number;
  totals: OutputTotals;
}

function charCount(buf: Buffer): number {
  let n = 0;
  for (let i = 0; i < buf.length; i++) if (((buf[i] as number) & 0xc0) !== 0x80) n++;
  return n;
}

const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/**
 * Cuts text to the budget, keeping the head and tail halves and saying how much was cut. With `partial`,
 * the text is already the head and tail of something longer: the cut always covers that gap, and the
 * note counts everything left out.
 */
export function truncateForModel(text: string, policy: TruncationPolicy, partial?: PartialOutput): string {
  const maxBytes = policy.mode === 'tokens' ? policy.limit * 4 : policy.limit;
  const buf = Buffer.from(text, 'utf8');
  if (!partial && buf.length <= maxBytes) return text;
  const gapByte = partial ? Buffer.byteLength(text.slice(0, partial.gap)) : buf.length;
  const half = Math.floor(maxBytes / 2);
  let headEnd = Math.min(half, gapByte);
  while (headEnd > 0 && isContinuation(buf[headEnd])) headEnd--;
  let tailStart = Math.max(buf.length - half, partial ? gapByte : headEnd);
  while (tailStart < buf.length && isContinuation(buf[tailStart])) tailStart++;
  const head = buf.subarray(0, headEnd);
  const tail = buf.subarray(tailStart);
  const totalBytes = partial?.totals.bytes ?? buf.length;
  const cutBytes = totalBytes - head.length - tail.length;
  const cutChars = (partial?.totals.chars ?? charCount(buf)) - charCount(head) - charCount(tail);
  const lines = partial?.totals.lines ?? text.split('\n').length;
  const marker = policy.mode === 'tokens' ? `…${Math.ceil(cutBytes / 4)} tokens truncated…` : `…${cutChars} chars truncated…`;
  return `Total output lines: ${lines}\n\n${head.toString('utf8')}${marker}${tail.toString('utf8')}`;
}

export function formatExecOutput(result: ExecResult, form: 'text' | 'json', policy: TruncationPolicy): string {
  const prefix = result.timedOut ? `command timed out after ${result.durationMs} milliseconds\n` : '';
  const body = `${prefix}${result.output}`;
  const partial: PartialOutput | undefined =
    result.outputGap === undefined
      ? undefined
      : {
          gap: prefix.length + result.outputGap,
          totals: {
            bytes: result.outputTotals.bytes + Buffer.byteLength(prefix),
            chars: result.outputTotals.chars + prefix.length,
            lines: result.outputTotals.lines + (prefix === '' ? 0 : 1),
          },
        };
  const output = truncateForModel(body, policy, partial);
  const seconds = Math.round(result.durationMs / 100) / 10;
  if (form === 'json') {
    return JSON.stringify({ output, metadata: { exit_code: result.exitCode, duration_seconds: seconds } });
  }
  return `Exit code: ${result.exitCode}\nWall time: ${seconds} seconds\nOutput:\n${output}`;
}

/** Captured output as front ends show it: a line where the middle of a long output was dropped. */
export function keptOutput(c: Captured): string {
  if (c.gap === undefined) return c.text;
  const kept = Buffer.byteLength(c.text);
  const note = `\n[… ${(c.totals.bytes - kept).toLocaleString('en-US')} bytes of output not kept …]\n`;
  return `${c.text.slice(0, c.gap)}${note}${c.text.slice(c.gap)}`;
}
