/**
 * What exec_command and write_stdin answer (codex-compat.md §4.5, unified exec text):
 *
 *   Chunk ID: 3f9a1c
 *   Wall time: 0.2531 seconds
 *   Process exited with code 0          (or: Process running with session ID 48213)
 *   Original token count: 12
 *   Output:
 *   <what the process printed since the last read, cut to the token budget>
 */
import { randomBytes } from '../../../shared/index.js';
import type { TruncationPolicy } from '../../../catalog/index.js';
import type { Captured } from '../../../sandbox/index.js';
import { truncateForModel } from '../output.js';

export interface ChunkReport {
  /** How long this call waited for output. */
  wallMs: number;
  output: Captured;
  /** Set once the process has ended. */
  exitCode: number | null;
  /** Set while it runs. */
  sessionId: number | null;
  /** The token budget of this answer's output. */
  maxTokens: number;
  /** A line for the model before the output (e.g. that a process was ended to make room). */
  note?: string | undefined;
}

/** The budget of one answer: the call's `max_output_tokens`, never more than the model's own budget. */
export function tokenBudget(requested: number, model: TruncationPolicy): number {
  const modelTokens = model.mode === 'tokens' ? model.limit : Math.ceil(model.limit / 4);
  return Math.max(1, Math.min(requested, modelTokens));
}

export function formatChunk(r: ChunkReport): string {
  const lines = [`Chunk ID: ${randomBytes(3).toString('hex')}`, `Wall time: ${(r.wallMs / 1000).toFixed(4)} seconds`];
  if (r.exitCode !== null) lines.push(`Process exited with code ${r.exitCode}`);
  else if (r.sessionId !== null) lines.push(`Process running with session ID ${r.sessionId}`);
  // Tokens as Codex estimates them: a token per 4 bytes, of everything printed (also what was not kept).
  lines.push(`Original token count: ${Math.ceil(r.output.totals.bytes / 4)}`);
  lines.push('Output:');
  const policy: TruncationPolicy = { mode: 'tokens', limit: r.maxTokens };
  const body =
    r.output.gap === undefined ? truncateForModel(r.output.text, policy) : truncateForModel(r.output.text, policy, { gap: r.output.gap, totals: r.output.totals });
  return `${lines.join('\n')}\n${r.note ? `${r.note}\n` : ''}${body}`;
}
