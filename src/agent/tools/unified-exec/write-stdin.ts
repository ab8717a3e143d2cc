/**
 * `write_stdin`: types into a running exec_command session (on a terminal) and/or waits for more of its
 * output. An empty poll waits at least 5 s (so a model polling in a loop does not spin), and returns as
 * soon as the process ends. No approval is asked: the process was approved when it started.
 */
import type { TruncationPolicy } from '../../../catalog/index.js';
import type { FunctionTool } from '../../../providers/index.js';
import { parseArguments, type ToolCall, type ToolContext, type ToolHandler, type ToolResult } from '../../tool-types.js';
import { clampArg, DEFAULT_MAX_OUTPUT_TOKENS, maxTokensArg, YIELD_MAX_MS, YIELD_MIN_MS } from './exec-command.js';
import { formatChunk, tokenBudget } from './format.js';
import type { ExecSessions } from './sessions.js';

const STDIN_YIELD_DEFAULT_MS = 250;
/** An empty poll waits at least this long, and at most `BACKGROUND_POLL_MAX_MS` (Codex's bounds). */
export const EMPTY_POLL_MIN_MS = 5_000;
export const BACKGROUND_POLL_MAX_MS = 300_000;

const SPEC: FunctionTool = {
  type: 'function',
  name: 'write_stdin',
  description:
    'Types characters into a running exec_command session (one started with `tty: true`) and returns the output since your last read. ' +
    'With empty `chars` it only waits for more output (at least 5 s, less if the process ends). Send "\\u0003" for Ctrl-C, "\\u0004" for end of input.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      session_id: { type: 'number', description: 'The session ID exec_command returned.' },
      chars: { type: 'string', description: 'Characters to type (include "\\n" to press Enter). Default empty: only read.' },
      yield_time_ms: { type: 'number', description: `How long to wait for output before answering, in ms (default ${STDIN_YIELD_DEFAULT_MS}).` },
      max_output_tokens: { type: 'number', description: `At most this many tokens of output in the answer (default ${DEFAULT_MAX_OUTPUT_TOKENS}).` },
    },
    required: ['session_id'],
    additionalProperties: false,
  },
};

export class WriteStdinTool implements ToolHandler {
  readonly name = 'write_stdin';
  readonly spec = SPEC;
  readonly parallelSafe = false;

  constructor(private readonly o: { sessions: ExecSessions; budget: TruncationPolicy }) {}

  async run(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
    const args = parseArguments(call);
    if (!args.ok) return { output: args.message, success: false };
    const a = args.value;
    const id = typeof a.session_id === 'number' ? a.session_id : typeof a.session_id === 'string' ? Number(a.session_id) : NaN;
    if (!Number.isInteger(id)) return { output: 'write_stdin needs `session_id`: the number exec_command returned', success: false };
    const chars = typeof a.chars === 'string' ? a.chars : '';
    const { sessions } = this.o;
    sessions.attach(ctx.emit);
    const session = sessions.get(id);
    if (!session) {
      return {
        output: `write_stdin failed: no session ${id} is running (it ended and its end was already reported, or it never existed); start the command again with exec_command`,
        success: false,
      };
    }
    session.lastUsed = performance.now();
    if (chars !== '') {
      if (!session.tty) {
        return {
          output: `write_stdin failed: session ${id} was started without a terminal (tty false), so its stdin is closed; poll it with empty chars, or start the command again with exec_command and tty: true to type into it`,
          success: false,
        };
      }
      session.write(chars);
    }
    const yieldMs =
      chars === ''
        ? clampArg(a.yield_time_ms, STDIN_YIELD_DEFAULT_MS, EMPTY_POLL_MIN_MS, BACKGROUND_POLL_MAX_MS)
        : clampArg(a.yield_time_ms, STDIN_YIELD_DEFAULT_MS, YIELD_MIN_MS, YIELD_MAX_MS);
    const began = performance.now();
    await session.waitUntil(began + yieldMs, ctx.signal);
    const wallMs = performance.now() - began;
    const output = session.take();
    const exit = session.exit;
    if (exit) sessions.remove(id);
    const maxTokens = tokenBudget(maxTokensArg(a.max_output_tokens), this.o.budget);
    return {
      output: formatChunk({ wallMs, output, exitCode: exit?.exitCode ?? null, sessionId: exit ? null : id, maxTokens }),
      success: true,
    };
  }
}
