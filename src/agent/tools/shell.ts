/**
 * The shell tools: `shell_command` (one script string, run by the user's shell) and `shell` (an argv
 * array), chosen per model. Each call goes through approvals, then the sandboxed runner; a call that is
 * really `apply_patch` in a heredoc is handed to the patch tool instead.
 */
import {
  applyEnvPolicy,
  clampTimeout,
  MAX_TIMEOUT_MS,
  runCommand,
  shellScriptArgv,
  type ApprovalSession,
  type ExecResult,
  type SandboxPermissions,
  type SandboxPolicy,
} from '../../sandbox/index.js';
import type { ShellEnvironmentPolicy } from '../../config/index.js';
import type { FunctionTool } from '../../providers/index.js';
import { parseArguments, type ToolCall, type ToolContext, type ToolHandler, type ToolResult } from '../tool-types.js';
import { defaultShell, ESCALATION_PARAMS, parseEscalation, resolveWorkdir } from './command-args.js';
import { commandItem, runApproved } from './approved-command.js';
import { keptOutput } from './output.js';

export type ShellForm = 'shell_command' | 'shell';

export interface ShellToolOptions {
  form: ShellForm;
  /** The session's working root: commands run here by default, and the sandbox's writable roots come from it. */
  cwd: string;
  sandbox: SandboxPolicy;
  approvals: ApprovalSession;
  envPolicy: ShellEnvironmentPolicy | undefined;
  /** Renders a finished command for the model (truncated to the model's budget). */
  formatOutput: (result: ExecResult, form: ShellForm) => string;
  /** When the call is an apply_patch invocation: run it as a patch and return its result, else null. */
  interceptPatch?: (argv: readonly string[], workdir: string, call: ToolCall, ctx: ToolContext) => Promise<ToolResult | null>;
  allowLoginShell: boolean;
  env?: NodeJS.ProcessEnv;
}

function spec(form: ShellForm): FunctionTool {
  if (form === 'shell_command') {
    return {
      type: 'function' as const,
      name: 'shell_command',
      description:
        "Runs a shell script in the user's shell and returns its exit code and output. Set `workdir` instead of using `cd`. Prefer `rg` for searching.",
      strict: false,
      parameters: {
        type: 'object',
        properties: {
          command: { type: 'string', description: 'The script to run.' },
          workdir: { type: 'string', description: 'Directory to run in (default: the session working directory).' },
          timeout_ms: { type: 'number', description: `Time limit in milliseconds (default 10000, at most ${MAX_TIMEOUT_MS}).` },
          login: { type: 'boolean', description: 'Run as a login shell (loads the user profile). Default true.' },
          ...ESCALATION_PARAMS,
        },
        required: ['command'],
        additionalProperties: false,
      },
    };
  }
  return {
    type: 'function' as const,
    name: 'shell',
    description:
      'Runs a command and returns its output. `command` is an argv array passed to execvp(); use ["bash", "-lc", "<script>"] for shell syntax. Set `workdir` instead of using `cd`.',
    strict: false,
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'array', items: { type: 'string' }, description: 'Program and arguments.' },
        workdir: { type: 'string', description: 'Directory to run in (default: the session working directory).' },
        timeout_ms: { type: 'number', description: `Time limit in milliseconds (default 10000, at most ${MAX_TIMEOUT_MS}).` },
        ...ESCALATION_PARAMS,
      },
      required: ['command'],
      additionalProperties: false,
    },
  };
}

/** The captured output as front ends show it: a line where the middle of a long output was dropped. */
function shownOutput(result: ExecResult): string {
  return keptOutput({ text: result.output, totals: result.outputTotals, ...(result.outputGap !== undefined ? { gap: result.outputGap } : {}) });
}

export { displayCommand } from './approved-command.js';

interface ParsedCall {
  argv: string[];
  workdir: string;
  timeoutMs: number | undefined;
  sandboxPermissions: SandboxPermissions | undefined;
  justification: string | undefined;
}

function parseCall(call: ToolCall, o: ShellToolOptions): ParsedCall | string {
  const args = parseArguments(call);
  if (!args.ok) return args.message;
  const a = args.value;
  let argv: string[];
  if (o.form === 'shell_command') {
    if (typeof a.command !== 'string' || a.command.trim() === '') return 'shell_command needs `command`: the script to run';
    const login = a.login === undefined ? true : a.login === true;
    argv = shellScriptArgv(a.command, { shell: defaultShell(), login: login && o.allowLoginShell });
  } else {
    if (!Array.isArray(a.command) || a.command.length === 0 || !a.command.every((x) => typeof x === 'string')) {
      return 'shell needs `command`: a non-empty array of strings';
    }
    argv = a.command as string[];
  }
  // Only where the command runs: the sandbox's writable roots never come from it.
  const workdir = resolveWorkdir(o.cwd, a.workdir);
  if (!workdir.ok) return workdir.message;
  const timeoutMs = typeof a.timeout_ms === 'number' && a.timeout_ms > 0 ? clampTimeout(a.timeout_ms) : undefined;
  return { argv, workdir: workdir.dir, timeoutMs, ...parseEscalation(a) };
}

export class ShellTool implements ToolHandler {
  readonly name: string;
  readonly spec: FunctionTool;
  readonly parallelSafe = true;

  constructor(private readonly o: ShellToolOptions) {
    this.spec = spec(o.form);
    this.name = this.spec.name;
  }

  async run(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
    const parsed = parseCall(call, this.o);
    if (typeof parsed === 'string') return { output: parsed, success: false };
    if (this.o.interceptPatch) {
      const patched = await this.o.interceptPatch(parsed.argv, parsed.workdir, call, ctx);
      if (patched) return patched;
    }
    const item = commandItem(ctx.nextItemId(), parsed.argv, parsed.workdir);
    const ran = await runApproved({
      approvals: this.o.approvals,
      sandbox: this.o.sandbox,
      request: { argv: parsed.argv, cwd: parsed.workdir, sandboxPermissions: parsed.sandboxPermissions, justification: parsed.justification },
      item,
      emit: ctx.emit,
      run: (policy) => this.exec(parsed, policy, item.id, ctx),
      blockedBySandbox: (r) => r.sandboxDenied,
    });
    if ('declined' in ran) return { output: ran.declined, success: false };
    const { result, declinedRetry } = ran;
    const ok = result.exitCode === 0;
    ctx.emit({
      type: 'item.completed',
      item: { ...item, aggregated_output: shownOutput(result), exit_code: result.exitCode, status: ok ? 'completed' : 'failed' },
    });
    const output = this.o.formatOutput(result, this.o.form);
    if (declinedRetry === undefined) return { output, success: ok };
    // It did run, in the sandbox, and failed: say so, with what it printed there.
    return {
      output:
        `The command ran in the sandbox and failed (exit ${result.exitCode}), probably blocked by the sandbox. ` +
        `Running it again without the sandbox was not approved: ${declinedRetry}\n\n${output}`,
      success: false,
    };
  }

  private exec(p: ParsedCall, policy: SandboxPolicy, itemId: string, ctx: ToolContext): Promise<ExecResult> {
    return runCommand({
      policy,
      argv: p.argv,
      cwd: p.workdir,
      root: this.o.cwd,
      env: applyEnvPolicy(this.o.envPolicy, this.o.env ?? process.env),
      timeoutMs: p.timeoutMs,
      signal: ctx.signal,
      onOutput: (chunk) => ctx.emit({ type: 'command_output.delta', item_id: itemId, delta: chunk.text }),
    });
  }
}
