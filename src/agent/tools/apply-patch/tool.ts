/**
 * The apply_patch tool, in the form the model expects (a Responses custom tool with a Lark grammar, or a
 * function taking `{input}`), and the patch path it shares with shell interception: parse, compute every
 * change, ask approvals, then write, reporting a `file_change` item as Codex does (started → completed;
 * no item when the patch does not verify or is refused).
 */
import { resolve } from 'node:path';
import type { ApprovalSession, ExecResult } from '../../../sandbox/index.js';
import type { CustomTool, FunctionTool } from '../../../providers/index.js';
import type { FileChangeItem } from '../../events.js';
import { parseArguments, type ClientFiles, type ToolCall, type ToolContext, type ToolHandler, type ToolResult } from '../../tool-types.js';
import { fileChanges, patchPaths, planPatch, summary, writePlan, writePlanVia, type PatchPlan } from './apply.js';
import { APPLY_PATCH_LARK_GRAMMAR, FREEFORM_DESCRIPTION, FUNCTION_DESCRIPTION } from './grammar.js';
import { detectPatchInvocation, IMPLICIT_INVOCATION_MESSAGE } from './intercept.js';
import { parsePatch } from './parser.js';

export type ApplyPatchStyle = 'freeform' | 'function';

export type PatchRun =
  /** The patch did not parse or fit the files, or was refused: nothing was written and no item was shown. */
  | { status: 'rejected'; message: string }
  /** The patch was written (`applied`) or writing it failed (`failed`, the tree restored). */
  | { status: 'applied' | 'failed'; output: string; durationMs: number };

export const VERIFICATION_FAILED = 'apply_patch verification failed: ';

/** A patch outcome in the shape of a finished command, for the exec-style output formats. */
export function patchExecResult(run: Extract<PatchRun, { output: string }>): ExecResult {
  return {
    exitCode: run.status === 'applied' ? 0 : 1,
    output: run.output,
    stdout: run.status === 'applied' ? run.output : '',
    stderr: run.status === 'applied' ? '' : run.output,
    durationMs: run.durationMs,
    timedOut: false,
    aborted: false,
    truncated: false,
    outputTotals: { bytes: Buffer.byteLength(run.output), chars: run.output.length, lines: run.output.split('\n').length },
    sandboxed: false,
    sandboxDenied: false,
  };
}

/** Runs patches: the one place patches are verified, authorized and written. */
export class PatchRunner {
  constructor(private readonly approvals: ApprovalSession) {}

  async run(patchText: string, cwd: string, ctx: ToolContext): Promise<PatchRun> {
    const began = Date.now();
    let plan: PatchPlan;
    // With a front end's file access (an editor's buffers), the files are read and written there.
    const texts = new Map<string, string | null>();
    try {
      const hunks = parsePatch(patchText).hunks;
      // A file the front end cannot read is read from the disk.
      for (const path of ctx.files ? patchPaths(hunks, cwd) : []) {
        const text = await (ctx.files as ClientFiles).read(path).catch(() => undefined);
        if (text !== undefined) texts.set(path, text);
      }
      plan = planPatch(hunks, cwd, texts);
    } catch (err) {
      return { status: 'rejected', message: `${VERIFICATION_FAILED}${err instanceof Error ? err.message : String(err)}` };
    }
    // Each change carries its diff (preview): the user sees what the patch does before it is written.
    const auth = await this.approvals.authorizePatch(fileChanges(plan), cwd);
    if (!auth.apply) return { status: 'rejected', message: auth.message };

    const item: FileChangeItem = {
      id: ctx.nextItemId(),
      type: 'file_change',
      changes: plan.changes.map((c) => ({ path: c.path, kind: c.kind })),
      status: 'in_progress',
    };
    ctx.emit({ type: 'item.started', item });
    const written = ctx.files ? await writePlanVia(plan, ctx.files, texts) : writePlan(plan);
    if (written.ok) {
      ctx.emit({
        type: 'patch.diff',
        item_id: item.id,
        diffs: plan.changes.map((c) => ({
          path: c.path,
          kind: c.kind,
          ...(c.movePath ? { move_path: c.movePath } : {}),
          diff: c.diff,
          old_text: c.kind === 'add' ? null : c.before,
          new_text: c.contents ?? null,
        })),
      });
    }
    ctx.emit({ type: 'item.completed', item: { ...item, status: written.ok ? 'completed' : 'failed' } });
    const durationMs = Date.now() - began;
    return written.ok
      ? { status: 'applied', output: summary(plan), durationMs }
      : { status: 'failed', output: `${written.message}\n`, durationMs };
  }
}

function toolSpec(style: ApplyPatchStyle): CustomTool | FunctionTool {
  if (style === 'freeform') {
    return {
      type: 'custom',
      name: 'apply_patch',
      description: FREEFORM_DESCRIPTION,
      format: { type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_LARK_GRAMMAR },
    };
  }
  return {
    type: 'function',
    name: 'apply_patch',
    description: FUNCTION_DESCRIPTION,
    strict: false,
    parameters: {
      type: 'object',
      properties: { input: { type: 'string', description: 'The whole patch, from *** Begin Patch to *** End Patch.' } },
      required: ['input'],
      additionalProperties: false,
    },
  };
}

export interface ApplyPatchToolOptions {
  style: ApplyPatchStyle;
  cwd: string;
  runner: PatchRunner;
  /** Renders an applied (or failed) patch for the model: `text` for the freeform tool, `json` for the function. */
  formatOutput: (result: ExecResult, form: 'text' | 'json') => string;
}

export class ApplyPatchTool implements ToolHandler {
  readonly name = 'apply_patch';
  readonly spec: CustomTool | FunctionTool;
  /** Patches are applied one at a time. */
  readonly parallelSafe = false;

  constructor(private readonly o: ApplyPatchToolOptions) {
    this.spec = toolSpec(o.style);
  }

  async run(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
    let patch: string;
    if (call.kind === 'custom') patch = call.input;
    else {
      const args = parseArguments(call);
      if (!args.ok) return { output: args.message, success: false };
      if (typeof args.value.input !== 'string') return { output: 'apply_patch needs `input`: the patch text, from *** Begin Patch to *** End Patch', success: false };
      patch = args.value.input;
    }
    const result = await this.o.runner.run(patch, this.o.cwd, ctx);
    if (result.status === 'rejected') return { output: result.message, success: false };
    return { output: this.o.formatOutput(patchExecResult(result), this.o.style === 'freeform' ? 'text' : 'json'), success: result.status === 'applied' };
  }
}

/**
 * The shell tool's hook: a call whose argv is an apply_patch invocation runs as a patch (relative to the
 * call's workdir and any `cd` in the script), its result rendered like the shell's own output.
 */
export function patchInterceptor(runner: PatchRunner, formatOutput: (result: ExecResult) => string) {
  return async (argv: readonly string[], workdir: string, _call: ToolCall, ctx: ToolContext): Promise<ToolResult | null> => {
    const invocation = detectPatchInvocation(argv);
    if (invocation.kind === 'none') return null;
    if (invocation.kind === 'implicit') return { output: IMPLICIT_INVOCATION_MESSAGE, success: false };
    const cwd = invocation.workdir === null ? workdir : resolve(workdir, invocation.workdir);
    const result = await runner.run(invocation.patch, cwd, ctx);
    if (result.status === 'rejected') return { output: result.message, success: false };
    return { output: formatOutput(patchExecResult(result)), success: result.status === 'applied' };
  };
}
