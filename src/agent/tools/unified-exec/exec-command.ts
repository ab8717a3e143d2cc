/**
 * `exec_command`: starts a command (through approvals, under the sandbox, optionally on a terminal) and
 * waits up to `yield_time_ms` for it. A command that ends in time is reported like any other; one still
 * running is kept as a session the model polls or types into with `write_stdin`.
 */
import type { TruncationPolicy } from '../../../catalog/index.js';
import type { ShellEnvironmentPolicy } from '../../../config/index.js';
import type { FunctionTool } from '../../../providers/index.js';
import {
  applyEnvPolicy,
  isLikelySandboxDenial,
  type LiveProcess,
  ProgramNotFoundError,
  startLiveProcess,
  type ApprovalSession,
  type Captured,
  type ChildEnv,
  type SandboxPolicy,
} from '../../../sandbox/index.js';
import type { CommandExecutionItem } from '../../events.js';
import { parseArguments, type ToolCall, type ToolContext, type ToolHandler, type ToolResult } from '../../tool-types.js';
import { defaultShell, ESCALATION_PARAMS, parseEscalation, resolveWorkdir, type Escalation } from '../command-args.js';
import { commandItem, runApproved } from '../approved-command.js';
import { formatChunk, tokenBudget } from './format.js';
import { ExecSession } from './session.js';
import { completedItem, MAX_SESSIONS, WARN_SESSIONS, type ExecSessions } from './sessions.js';

/** Codex's bounds for `yield_time_ms`, in ms. */
export const YIELD_MIN_MS = 250;
export const YIELD_MAX_MS = 30_000;
const EXEC_YIELD_DEFAULT_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;

/**
 * What every unified exec process gets on top of the shell environment policy (as Codex sets it): no
 * colours or pagers waiting for a key, a UTF-8 locale, a terminal type that asks for plain output.
 */
const UNIFIED_EXEC_ENV: ChildEnv = {
  NO_COLOR: '1',
  TERM: 'dumb',
  LANG: 'C.UTF-8',
  LC_CTYPE: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  COLORTERM: '',
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  GH_PAGER: 'cat',
};

export interface UnifiedExecOptions {
  /** The session's working root: commands run here by default, and the sandbox's writable roots come from it. */
  cwd: string;
  sandbox: SandboxPolicy;
  approvals: ApprovalSession;
  envPolicy: ShellEnvironmentPolicy | undefined;
  env?: NodeJS.ProcessEnv;
  allowLoginShell: boolean;
  /** util-linux `script` (`detectPty`), which gives `tty: true` commands their terminal. */
  terminal: string;
  sessions: ExecSessions;
  /** The model's output budget; an answer's `max_output_tokens` never exceeds it. */
  budget: TruncationPolicy;
  /** When the command is an apply_patch invocation: run it as a patch and return its result, else null. */
  interceptPatch?: (argv: readonly string[], workdir: string, call: ToolCall, ctx: ToolContext) => Promise<ToolResult | null>;
}

/** A number argument as a whole number within [min, max]; the default when it is not a number. */
export function clampArg(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : fallback;
  return Math.min(Math.max(n, min), max);
}

/** A requested token budget: a positive number, else the default. */
export function maxTokensArg(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : DEFAULT_MAX_OUTPUT_TOKENS;
}

/** Text the tool makes up itself (a program that was not found), in the shape of captured output. */
export function capturedText(text: string): Captured {
  return { text, totals: { bytes: Buffer.byteLength(text), chars: [...text].length, lines: text.split('\n').length } };
}

const SPEC: FunctionTool = {
  type: 'function',
  name: 'exec_command',
  description:
    'Runs a shell command and returns its output, or, if it is still running after `yield_time_ms`, a session ID to read more output ' +
    'from or type into with `write_stdin` (servers, watchers, long builds, interactive programs). Set `tty: true` for programs that need ' +
    'a terminal or input (prompts, REPLs, Ctrl-C). Set `workdir` instead of using `cd`. Prefer `rg` for searching.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      cmd: { type: 'string', description: 'The shell command to run.' },
      workdir: { type: 'string', description: 'Directory to run in (default: the session working directory).' },
      shell: { type: 'string', description: "Shell that runs `cmd` (default: the user's shell)." },
      login: { type: 'boolean', description: 'Run the shell as a login shell (loads the user profile). Default true.' },
      tty: { type: 'boolean', description: 'Run on a terminal so you can type into it with write_stdin. Default false: plain pipes, stdin closed.' },
      yield_time_ms: { type: 'number', description: `How long to wait for the command before answering, in ms (default ${EXEC_YIELD_DEFAULT_MS}, ${YIELD_MIN_MS}–${YIELD_MAX_MS}).` },
      max_output_tokens: { type: 'number', description: `At most this many tokens of output in the answer (default ${DEFAULT_MAX_OUTPUT_TOKENS}); the middle of longer output is cut.` },
      ...ESCALATION_PARAMS,
    },
    required: ['cmd'],
    additionalProperties: false,
  },
};

interface ParsedExec extends Escalation {
  argv: string[];
  workdir: string;
  tty: boolean;
  yieldMs: number;
  maxTokens: number;
}

function parse(call: ToolCall, o: UnifiedExecOptions): ParsedExec | string {
  const args = parseArguments(call);
  if (!args.ok) return args.message;
  const a = args.value;
  if (typeof a.cmd !== 'string' || a.cmd.trim() === '') return 'exec_command needs `cmd`: the shell command to run';
  const shell = typeof a.shell === 'string' && a.shell.trim() !== '' ? a.shell : defaultShell(o.env);
  const login = (a.login === undefined || a.login === true) && o.allowLoginShell;
  // Only where the command runs: the sandbox's writable roots never come from it.
  const workdir = resolveWorkdir(o.cwd, a.workdir);
  if (!workdir.ok) return workdir.message;
  return {
    argv: [shell, login ? '-lc' : '-c', a.cmd],
    workdir: workdir.dir,
    tty: a.tty === true,
    yieldMs: clampArg(a.yield_time_ms, EXEC_YIELD_DEFAULT_MS, YIELD_MIN_MS, YIELD_MAX_MS),
    maxTokens: tokenBudget(maxTokensArg(a.max_output_tokens), o.budget),
    ...parseEscalation(a),
  };
}

export class ExecCommandTool implements ToolHandler {
  readonly name = 'exec_command';
  readonly spec = SPEC;
  readonly parallelSafe = true;

  constructor(private readonly o: UnifiedExecOptions) {}

  async run(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
    const p = parse(call, this.o);
    if (typeof p === 'string') return { output: p, success: false };
    if (this.o.interceptPatch) {
      const patched = await this.o.interceptPatch(p.argv, p.workdir, call, ctx);
      if (patched) return patched;
    }
    this.o.sessions.attach(ctx.emit);
    const item = commandItem(ctx.nextItemId(), p.argv, p.workdir);
    const ran = await runApproved({
      approvals: this.o.approvals,
      sandbox: this.o.sandbox,
      request: { argv: p.argv, cwd: p.workdir, sandboxPermissions: p.sandboxPermissions, justification: p.justification },
      item,
      emit: ctx.emit,
      run: (policy) => this.attempt(p, policy, item, ctx),
      blockedBySandbox: (a) => a.kind === 'exited' && this.deniedBySandbox(a.session),
    });
    if ('declined' in ran) return { output: ran.declined, success: false };
    const { result: attempt, declinedRetry } = ran;
    return this.report(attempt, p, item, ctx, declinedRetry);
  }

  private deniedBySandbox(s: ExecSession): boolean {
    const exitCode = s.exit?.exitCode ?? 0;
    return isLikelySandboxDenial({ sandboxed: s.sandboxed, exitCode, timedOut: false, output: s.transcriptText() });
  }

  /** Starts the process and waits for it: it ended, it still runs, it was not found, or the turn was interrupted. */
  private async attempt(p: ParsedExec, policy: SandboxPolicy, item: CommandExecutionItem, ctx: ToolContext): Promise<Attempt> {
    let session: ExecSession;
    let proc: LiveProcess;
    try {
      const env = { ...applyEnvPolicy(this.o.envPolicy, this.o.env ?? process.env), ...UNIFIED_EXEC_ENV };
      proc = startLiveProcess({ policy, argv: p.argv, cwd: p.workdir, root: this.o.cwd, env, terminal: p.tty ? this.o.terminal : undefined });
      session = new ExecSession(proc, item, this.o.sessions.onText);
    } catch (err) {
      if (err instanceof ProgramNotFoundError) return { kind: 'not-found', exitCode: err.exitCode, message: `${err.message}\n` };
      ctx.emit({ type: 'item.completed', item: { ...item, status: 'failed' } });
      throw err;
    }
    const began = performance.now();
    await session.waitUntil(began + p.yieldMs, ctx.signal);
    if (proc.sandboxError) {
      // The sandbox could not be built after all (see checkRecalledSandbox): as if startLiveProcess had said so.
      ctx.emit({ type: 'item.completed', item: { ...item, status: 'failed' } });
      throw proc.sandboxError;
    }
    if (session.exit) return { kind: 'exited', session, began };
    if (ctx.signal.aborted) {
      // The model never learned its id: it ends with the call.
      session.kill();
      await session.done;
      return { kind: 'exited', session, began };
    }
    return { kind: 'running', session, began };
  }

  private report(a: Attempt, p: ParsedExec, item: CommandExecutionItem, ctx: ToolContext, declinedRetry: string | undefined): ToolResult {
    if (a.kind === 'not-found') {
      ctx.emit({ type: 'item.completed', item: { ...item, aggregated_output: a.message, exit_code: a.exitCode, status: 'failed' } });
      return { output: formatChunk({ wallMs: 0, output: capturedText(a.message), exitCode: a.exitCode, sessionId: null, maxTokens: p.maxTokens }), success: false };
    }
    const { session } = a;
    const wallMs = performance.now() - a.began;
    if (a.kind === 'exited') {
      session.itemOpen = false;
      const done = completedItem(session);
      ctx.emit({ type: 'item.completed', item: done });
      const output = formatChunk({ wallMs, output: session.take(), exitCode: done.exit_code, sessionId: null, maxTokens: p.maxTokens });
      if (ctx.signal.aborted) return { output: 'aborted by user', success: false };
      if (declinedRetry === undefined) return { output, success: done.exit_code === 0 };
      return {
        output:
          `The command ran in the sandbox and failed (exit ${done.exit_code}), probably blocked by the sandbox. ` +
          `Running it again without the sandbox was not approved: ${declinedRetry}\n\n${output}`,
        success: false,
      };
    }
    const { id, ended } = this.o.sessions.add(session);
    const notes: string[] = [];
    if (ended !== null) notes.push(`(session ${ended}, the least recently used, was ended to stay within ${MAX_SESSIONS} running sessions)`);
    else if (this.o.sessions.size >= WARN_SESSIONS) {
      notes.push(`(${this.o.sessions.size} sessions are running, at most ${MAX_SESSIONS} are kept: end the ones you no longer need, e.g. with Ctrl-C through write_stdin)`);
    }
    const note = notes.length > 0 ? notes.join('\n') : undefined;
    return { output: formatChunk({ wallMs, output: session.take(), exitCode: null, sessionId: id, maxTokens: p.maxTokens, note }), success: true };
  }
}

type Attempt =
  | { kind: 'exited' | 'running'; session: ExecSession; began: number }
  | { kind: 'not-found'; exitCode: number; message: string };
