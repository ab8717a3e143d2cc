/**
 * A thread's history (what the model is sent: prompts, answers, reasoning, tool calls and their outputs)
 * as turns of items a client can show: for `thread/read`, `thread/resume` and ACP's `session/load`.
 * The initial context (permissions, AGENTS.md, environment) is not shown; each user prompt starts a turn.
 */
import { isCompactionSummary } from '../agent/index.js';
import type { ResponseItem, ToolOutput } from '../providers/index.js';
import { isUserPrompt } from '../sessions/index.js';

export type HistoryItem =
  | { kind: 'user'; id: string; text: string }
  | { kind: 'agent'; id: string; text: string }
  | { kind: 'reasoning'; id: string; text: string }
  | { kind: 'command'; id: string; command: string; cwd: string | null; output: string | null; exitCode: number | null }
  /** `text`: an added file's lines, an update's hunks (as the patch wrote them), '' for a deletion. */
  | { kind: 'patch'; id: string; changes: Array<{ path: string; kind: 'add' | 'delete' | 'update'; text: string }>; output: string | null }
  | { kind: 'tool'; id: string; name: string; input: string; output: string | null };

export interface HistoryTurn {
  id: string;
  items: HistoryItem[];
}

const outputText = (output: ToolOutput): string =>
  typeof output === 'string' ? output : output.map((p) => (p.type === 'input_text' ? p.text : '')).join('');

/** The exit code a recorded command output states (either output format), or null. */
function exitCodeOf(output: string | null): number | null {
  if (output === null) return null;
  const m = /^Exit code: (-?\d+)\n/.exec(output) ?? /Process exited with code (-?\d+)\n/.exec(output);
  if (m) return Number(m[1]);
  if (output.startsWith('{')) {
    try {
      const code = (JSON.parse(output) as { metadata?: { exit_code?: unknown } }).metadata?.exit_code;
      if (typeof code === 'number') return code;
    } catch {
      // not the JSON form
    }
  }
  return null;
}

const SHELLS = new Set(['shell', 'shell_command', 'exec_command', 'container.exec', 'local_shell']);

/** What a shell-like call ran, as one line (a `bash -lc SCRIPT` argv shows as its script). */
function commandOf(args: Record<string, unknown>): string | null {
  if (typeof args.command === 'string') return args.command;
  if (typeof args.cmd === 'string') return args.cmd;
  if (Array.isArray(args.command)) {
    const argv = args.command.map(String);
    if (argv.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(argv[0] ?? '') && /^-l?c$/.test(argv[1] ?? '')) return argv[2] ?? '';
    return argv.join(' ');
  }
  return null;
}

/** The files a patch names, from its `*** Add/Update/Delete File:` lines, with what it says about each. */
function patchChanges(patch: string): Array<{ path: string; kind: 'add' | 'delete' | 'update'; text: string }> {
  const out: Array<{ path: string; kind: 'add' | 'delete' | 'update'; text: string }> = [];
  const lines = patch.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\*\*\* (Add|Update|Delete) File: (.+)$/.exec(lines[i] as string);
    if (!m) continue;
    const kind = (m[1] as string).toLowerCase() as 'add' | 'delete' | 'update';
    const body: string[] = [];
    while (i + 1 < lines.length && !/^\*\*\* (Add|Update|Delete) File: |^\*\*\* End Patch/.test(lines[i + 1] as string)) body.push(lines[++i] as string);
    const kept = body.filter((l) => !l.startsWith('*** Move to: ') && l !== '*** End of File');
    const text = kind === 'add' ? kept.map((l) => `${l.slice(1)}\n`).join('') : kind === 'update' ? kept.map((l) => `${l}\n`).join('') : '';
    out.push({ path: (m[2] as string).trim(), kind, text });
  }
  return out;
}

function parseArgs(input: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(input);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The history as turns. `threadId` makes the turn ids (stable for the same history). */
export function historyTurns(history: readonly ResponseItem[], threadId: string): HistoryTurn[] {
  const outputs = new Map<string, string>();
  for (const item of history) {
    if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') outputs.set(item.call_id, outputText(item.output));
  }
  const turns: HistoryTurn[] = [];
  let n = 0;
  const id = (): string => `h${n++}`;
  for (const item of history) {
    // A compaction's summary stands in for the turns before it; their kept prompts start turns of their own.
    if (isCompactionSummary(item)) continue;
    if (isUserPrompt(item)) {
      const text = item.type === 'message' ? item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('') : '';
      turns.push({ id: `${threadId}:turn-${turns.length}`, items: [{ kind: 'user', id: id(), text }] });
      continue;
    }
    const turn = turns[turns.length - 1];
    if (!turn) continue; // the initial context
    if (item.type === 'message' && item.role === 'assistant') {
      const text = item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('');
      if (text !== '') turn.items.push({ kind: 'agent', id: id(), text });
    } else if (item.type === 'reasoning') {
      const text = item.summary.map((s) => s.text).filter((t) => t.trim() !== '').join('\n');
      if (text !== '') turn.items.push({ kind: 'reasoning', id: id(), text });
    } else if (item.type === 'function_call' || item.type === 'custom_tool_call') {
      const input = item.type === 'function_call' ? item.arguments : item.input;
      const output = outputs.get(item.call_id) ?? null;
      const args = item.type === 'function_call' ? parseArgs(input) : {};
      const command = SHELLS.has(item.name) ? commandOf(args) : null;
      if (item.name === 'apply_patch') {
        const patch = typeof args.input === 'string' ? args.input : input;
        turn.items.push({ kind: 'patch', id: item.call_id, changes: patchChanges(patch), output });
      } else if (command !== null) {
        const cwd = typeof args.workdir === 'string' ? args.workdir : null;
        turn.items.push({ kind: 'command', id: item.call_id, command, cwd, output, exitCode: exitCodeOf(output) });
      } else {
        turn.items.push({ kind: 'tool', id: item.call_id, name: item.name, input, output });
      }
    }
  }
  return turns;
}

/** The first prompt of a history ('' when there is none). */
export function firstPrompt(history: readonly ResponseItem[]): string {
  for (const item of history) {
    if (isUserPrompt(item) && item.type === 'message') return item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('');
  }
  return '';
}
