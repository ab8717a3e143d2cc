/**
 * A recorded thread as the transcript shows it when it is resumed: the user's prompts, the answers, the
 * reasoning, and one line per tool call (commands by their text and exit code, patches by their files;
 * a call that did not run says why, in the words the live transcript used). A long thread shows only its
 * last entries.
 */
import { isCompactionSummary } from '../agent/index.js';
import type { ResponseItem, ToolOutput } from '../providers/index.js';
import { isUserPrompt } from '../sessions/index.js';
import { escapeControls, escapeLine } from '../shared/index.js';
import { COMMAND_REJECTED, PATCH_REJECTED } from '../sandbox/index.js';
import { displayCommand, formatAnswer, formatNotice, formatReasoning, formatUser, refusalLine } from './format.js';
import type { Style } from './style.js';

/** What a recorded tool output says about the call: a command's exit code, or why it did not happen. */
type Outcome = { kind: 'exit'; code: number } | { kind: 'ok' } | { kind: 'refused'; declined: boolean; reason: string } | { kind: 'unknown' };

function outcomeOf(output: string | undefined): Outcome {
  if (output === undefined) return { kind: 'unknown' };
  const text = /^Exit code: (-?\d+)\n/.exec(output);
  if (text) return { kind: 'exit', code: Number(text[1]) };
  // Unified exec (exec_command/write_stdin): a header of `Key: value` lines before `Output:`.
  const unified = /^(?:[A-Z][\w ]*: [^\n]*\n)*?Process exited with code (-?\d+)\n/.exec(output);
  if (unified) return { kind: 'exit', code: Number(unified[1]) };
  if (/^(?:[A-Z][\w ]*: [^\n]*\n)*?Process running with session ID \d+\n/.test(output)) return { kind: 'ok' };
  if (output.startsWith('{')) {
    try {
      const meta = (JSON.parse(output) as { metadata?: { exit_code?: unknown } }).metadata;
      if (typeof meta?.exit_code === 'number') return { kind: 'exit', code: meta.exit_code };
    } catch {
      // not the JSON form
    }
  }
  if (/^Success\. Updated the following files:/.test(output)) return { kind: 'ok' };
  const first = output.split('\n', 1)[0] ?? '';
  if (first.trim() === '') return { kind: 'unknown' };
  const clip = (t: string): string => (t.length > 100 ? `${t.slice(0, 99)}…` : t);
  // The user said no (with their reason, when they gave one): shown as the live transcript showed it.
  const declined = new RegExp(`^(?:${COMMAND_REJECTED}|${PATCH_REJECTED})(?:: (.*))?$`).exec(first);
  if (declined) return { kind: 'refused', declined: true, reason: escapeLine(clip(declined[1] ?? '')) };
  return { kind: 'refused', declined: false, reason: escapeLine(clip(first)) };
}

function callLine(name: string, input: string, output: string | undefined, s: Style): string {
  let args: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(input);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
  } catch {
    // freeform input (apply_patch)
  }
  const outcome = outcomeOf(output);
  if (name === 'update_plan') return s.dim('• Updated the plan');
  if (name === 'write_stdin') return s.dim(`• ${typeof args.chars === 'string' && args.chars !== '' ? 'Wrote to' : 'Polled'} session ${escapeLine(String(args.session_id ?? '?'))}`);
  const patch = name === 'apply_patch' ? (typeof args.input === 'string' ? args.input : input) : null;
  const argv = Array.isArray(args.command) ? args.command.map(String) : null;
  // The argv form's `bash -lc SCRIPT` shows as the script, as the live view does.
  const cmd =
    typeof args.command === 'string'
      ? args.command
      : typeof args.cmd === 'string' // exec_command
        ? args.cmd
      : argv === null
        ? null
        : argv.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(argv[0] ?? '') && /^-l?c$/.test(argv[1] ?? '')
          ? (argv[2] as string)
          : argv.join(' ');
  // A patch sent through the shell reports like apply_patch does.
  const patchText = patch ?? (cmd !== null && /\*\*\* Begin Patch/.test(cmd) ? cmd : null);
  if (patchText !== null) {
    const files = [...patchText.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)].map((m) => m[1]);
    const named = files.length ? escapeLine(files.join(', ')) : 'files';
    if (outcome.kind === 'refused') return refusalLine(`Not applied: ${s.bold(named)}`, outcome, s);
    return `${s.green('✓')} Edited ${named}`;
  }
  if (cmd === null) return `${s.dim('•')} Called ${escapeLine(name)}`;
  const shown = s.bold(escapeControls(displayCommand(cmd)));
  switch (outcome.kind) {
    case 'exit':
      return outcome.code === 0 ? `${s.green('✓')} ${shown} ${s.dim('exit 0')}` : `${s.red('✗')} ${shown} ${s.dim(`exit ${outcome.code}`)}`;
    case 'refused':
      return refusalLine(`Not run: ${shown}`, outcome, s);
    default:
      return `${s.dim('•')} Ran ${shown}`;
  }
}

const outputText = (o: ToolOutput): string => (typeof o === 'string' ? o : o.map((p) => (p.type === 'input_text' ? p.text : '')).join(''));

export function replayEntries(history: readonly ResponseItem[], s: Style): string[] {
  return replayTail(history, s, Infinity).entries;
}

/**
 * The last `limit` entries of a recorded thread, and how many came before them. Only those are formatted,
 * so a huge thread opens as fast as a short one.
 */
export function replayTail(history: readonly ResponseItem[], s: Style, limit: number): { entries: string[]; hidden: number } {
  const out: Array<() => string> = [];
  const outputs = new Map<string, string>();
  for (const item of history) {
    if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') outputs.set(item.call_id, outputText(item.output));
  }
  for (const item of history) {
    if (item.type === 'message') {
      const text = item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('');
      if (isCompactionSummary(item)) out.push(() => formatNotice('Context compacted: the conversation before this point was summarized', s));
      else if (item.role === 'user' && isUserPrompt(item)) out.push(() => formatUser(text, [], s));
      else if (item.role === 'assistant' && text.trim() !== '') out.push(() => formatAnswer(text, s));
    } else if (item.type === 'reasoning') {
      const text = item.summary.map((p) => p.text).join('\n');
      if (text.trim() !== '') out.push(() => formatReasoning(text, s));
    } else if (item.type === 'function_call') {
      out.push(() => callLine(item.name, item.arguments, outputs.get(item.call_id), s));
    } else if (item.type === 'custom_tool_call') {
      out.push(() => callLine(item.name, item.input, outputs.get(item.call_id), s));
    }
  }
  const hidden = Math.max(0, out.length - limit);
  return { entries: out.slice(hidden).map((entry) => entry()), hidden };
}
