/**
 * How a finished command is reported to the model (codex-compat.md §4.5): the text form
 * (`Exit code / Wall time / Output`) or the structured JSON form, truncated to the model's budget.
 */
import type { TruncationPolicy } from '../../catalog/index.js';
import type { ExecResult } from '../../sandbox/index.js';

/** Cuts text to the budget, keeping the head and tail halves and saying how much was cut. */
export function truncateForModel(text: string, policy: TruncationPolicy): string {
  const maxBytes = policy.mode === 'tokens' ? policy.limit * 4 : policy.limit;
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  const half = Math.floor(maxBytes / 2);
  let headEnd = half;
  while (headEnd > 0 && ((buf[headEnd] ?? 0) & 0xc0) === 0x80) headEnd--;
  let tailStart = buf.length - half;
  while (tailStart < buf.length && ((buf[tailStart] ?? 0) & 0xc0) === 0x80) tailStart++;
  const head = buf.subarray(0, headEnd).toString('utf8');
  const tail = buf.subarray(tailStart).toString('utf8');
  const cutBytes = tailStart - headEnd;
  const marker =
    policy.mode === 'tokens' ? `…${Math.ceil(cutBytes / 4)} tokens truncated…` : `…${buf.subarray(headEnd, tailStart).toString('utf8').length} chars truncated…`;
  const lines = text.split('\n').length;
  return `Total output lines: ${lines}\n\n${head}${marker}${tail}`;
}

export function formatExecOutput(result: ExecResult, form: 'text' | 'json', policy: TruncationPolicy): string {
  const body = result.timedOut ? `command timed out after ${result.durationMs} milliseconds\n${result.output}` : result.output;
  const output = truncateForModel(body, policy);
  const seconds = Math.round(result.durationMs / 100) / 10;
  if (form === 'json') {
    return JSON.stringify({ output, metadata: { exit_code: result.exitCode, duration_seconds: seconds } });
  }
  return `Exit code: ${result.exitCode}\nWall time: ${seconds} seconds\nOutput:\n${output}`;
}
