/**
 * How each part of the conversation looks, as text: the user's prompts, answers, reasoning, commands with
 * their output, patches with their diffs, the plan, errors. The same functions draw the live part and the
 * history, so an item looks the same while it runs and after it has been printed for good.
 *
 * Everything they are given that opencodex did not write (model text, reasoning, commands and their
 * output, paths, diffs, server messages) is made inert here (`escapeControls`): no escape sequence from
 * it reaches the terminal (an OSC title, clipboard or hyperlink, a CSI cursor move), it is shown as `\x1b…`.
 */
import type { CommandExecutionItem, FileChangeItem, McpToolCallItem, TodoListItem } from '../agent/index.js';
import { escapeControls, escapeLine } from '../shared/index.js';
import { highlightDiffLine } from './highlight.js';
import { renderMarkdown } from './markdown.js';
import type { Style } from './style.js';

/** A unified diff of one file of a patch (from the agent's `patch.diff` event). */
export interface FileDiff {
  path: string;
  kind: 'add' | 'delete' | 'update';
  diff: string;
  move_path?: string | undefined;
}

/** Lines of command output shown once a command has finished: half from its start, half from its end. */
export const OUTPUT_PREVIEW_LINES = 4;
/** Lines of a command's output shown when the user asks for all of it (Ctrl-O). */
export const FULL_OUTPUT_LINES = 2000;
/** Lines of a diff shown per file before it is collapsed. */
export const DIFF_PREVIEW_LINES = 60;

const indent = (text: string, prefix: string, first = prefix): string =>
  text
    .split('\n')
    .map((l, i) => (i === 0 ? first : prefix) + l)
    .join('\n');

export function formatUser(text: string, images: readonly string[], s: Style): string {
  const body = indent(escapeControls(text), '  ', `${s.cyan('›')} `);
  const imgs = images.map((p) => `  ${s.dim(`[image ${p}]`)}`);
  return [s.bold(body), ...imgs].join('\n');
}

export function formatAnswer(markdown: string, s: Style): string {
  return renderMarkdown(escapeControls(markdown.replace(/\n+$/, '')), s);
}

export function formatReasoning(text: string, s: Style): string {
  return s.dim(s.italic(renderMarkdown(escapeControls(text.trim()), s)));
}

/** The command as the user would type it: a `bash -lc '…'` wrapper shows just its script. */
export function displayCommand(command: string): string {
  const m = /^(?:\/\S*\/)?(?:ba|z)?sh -l?c '((?:[^']|'\\'')*)'$/.exec(command);
  if (m) return (m[1] as string).replace(/'\\''/g, "'");
  const d = /^(?:\/\S*\/)?(?:ba|z)?sh -l?c "((?:[^"\\]|\\.)*)"$/.exec(command);
  return d ? (d[1] as string).replace(/\\(["\\$`])/g, '$1') : command;
}

/** A turn's length as the "Worked for" line says it: `12s`, `1m 05s`, `1h 02m 05s`. */
export function workedDuration(ms: number): string {
  const sec = Math.max(0, Math.floor(ms / 1000));
  const two = (x: number): string => String(x).padStart(2, '0');
  if (sec < 60) return `${sec}s`;
  if (sec < 3600) return `${Math.floor(sec / 60)}m ${two(sec % 60)}s`;
  return `${Math.floor(sec / 3600)}h ${two(Math.floor(sec / 60) % 60)}m ${two(sec % 60)}s`;
}

/** The separator after a finished turn: how long the agent worked on it. */
export function formatWorked(ms: number, s: Style): string {
  return s.dim(`─ Worked for ${workedDuration(ms)} ─`);
}

function shortDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

/**
 * One line of a command's output as a terminal would leave it: a carriage return (a progress bar
 * redrawing itself) writes over the start of the line instead of showing as `\x0d`; then made inert.
 */
export function outputLine(line: string): string {
  if (line.includes('\r')) {
    let shown = '';
    for (const part of line.split('\r')) shown = part + shown.slice(part.length);
    line = shown;
  }
  return escapeControls(line);
}

/** A command: `• Running cmd` while it runs (with the tail of its output), then its status and collapsed output. */
export function formatCommand(
  item: CommandExecutionItem,
  s: Style,
  opts: { elapsedMs?: number; liveTail?: number; sessionCwd?: string; /** Every line of the output (up to FULL_OUTPUT_LINES). */ full?: boolean } = {},
): string {
  // Where it ran, when that is not the session's directory (the model chose a workdir).
  const where = opts.sessionCwd !== undefined && item.cwd !== opts.sessionCwd ? ` ${s.dim(`in ${escapeLine(item.cwd)}`)}` : '';
  const cmd = `${s.bold(escapeControls(displayCommand(item.command)))}${where}`;
  const output = item.aggregated_output.replace(/\s+$/, '');
  const lines = output === '' ? [] : output.split('\n');
  if (item.status === 'in_progress') {
    const tail = lines.slice(-(opts.liveTail ?? 3)).map((l) => `  ${s.dim('│')} ${s.dim(outputLine(l))}`);
    return [`${s.yellow('•')} Running ${cmd}`, ...tail].join('\n');
  }
  const took = opts.elapsedMs !== undefined ? ` · ${shortDuration(opts.elapsedMs)}` : '';
  let head: string;
  if (item.status === 'declined') head = `${s.red('✗')} ${cmd} ${s.red('declined')}`;
  else if (item.exit_code === 0) head = `${s.green('✓')} ${cmd} ${s.dim(`exit 0${took}`)}`;
  else head = `${s.red('✗')} ${cmd} ${s.red(`exit ${item.exit_code ?? '?'}`)}${s.dim(took)}`;
  const row = (l: string): string => `  ${s.dim('│')} ${s.dim(outputLine(l))}`;
  if (opts.full) {
    const shown = lines.slice(0, FULL_OUTPUT_LINES).map(row);
    if (lines.length > FULL_OUTPUT_LINES) shown.push(`  ${s.dim(`… +${lines.length - FULL_OUTPUT_LINES} more lines`)}`);
    return [head, ...shown].join('\n');
  }
  if (lines.length <= OUTPUT_PREVIEW_LINES) return [head, ...lines.map(row)].join('\n');
  // Long output: its first lines and its last ones (where errors and summaries are), the middle counted.
  const first = Math.floor(OUTPUT_PREVIEW_LINES / 2);
  const last = OUTPUT_PREVIEW_LINES - first;
  const hidden = `  ${s.dim(`… +${lines.length - OUTPUT_PREVIEW_LINES} lines (ctrl+o shows them)`)}`;
  return [head, ...lines.slice(0, first).map(row), hidden, ...lines.slice(-last).map(row)].join('\n');
}

const KIND_LETTER = { add: 'A', delete: 'D', update: 'M' } as const;

function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of diff.split('\n')) {
    if (l.startsWith('+') && !l.startsWith('+++')) added++;
    else if (l.startsWith('-') && !l.startsWith('---')) removed++;
  }
  return { added, removed };
}

/** A patch: the files it touched (with +/- counts when diffs are known), then each file's coloured diff. */
export function formatPatch(item: FileChangeItem, diffs: readonly FileDiff[] | undefined, s: Style): string {
  const n = item.changes.length;
  const verb = item.status === 'in_progress' ? 'Applying patch to' : item.status === 'failed' ? 'Patch failed for' : 'Edited';
  const mark = item.status === 'completed' ? s.green('✓') : item.status === 'failed' ? s.red('✗') : s.yellow('•');
  const out = [`${mark} ${verb} ${n} file${n === 1 ? '' : 's'}`];
  for (const c of item.changes) {
    const d = diffs?.find((x) => x.path === c.path);
    const stat = d ? diffStat(d.diff) : null;
    const counts = stat ? ` ${s.green(`+${stat.added}`)} ${s.red(`-${stat.removed}`)}` : '';
    const moved = d?.move_path ? ` → ${escapeLine(d.move_path)}` : '';
    out.push(`  ${s.dim(KIND_LETTER[c.kind])} ${escapeLine(c.path)}${moved}${counts}`);
  }
  for (const d of diffs ?? []) out.push(formatDiff(d.diff, s, DIFF_PREVIEW_LINES, '    '));
  return out.join('\n');
}

/** A unified diff, coloured, cut after `maxLines` lines. */
export function formatDiff(diff: string, s: Style, maxLines = Infinity, prefix = ''): string {
  const lines = diff.replace(/\n$/, '').split('\n');
  const shown = lines.slice(0, maxLines).map((l) => prefix + highlightDiffLine(escapeControls(l), s));
  if (lines.length > maxLines) shown.push(prefix + s.dim(`… +${lines.length - maxLines} lines`));
  return shown.join('\n');
}

export function formatPlan(item: TodoListItem, s: Style): string {
  const firstOpen = item.items.findIndex((t) => !t.completed);
  const rows = item.items.map((t, i) => {
    const text = escapeLine(t.text);
    return t.completed ? `  ${s.green('✔')} ${s.dim(text)}` : `  ${i === firstOpen ? s.cyan('□') : '□'} ${i === firstOpen ? s.bold(text) : text}`;
  });
  const done = item.items.filter((t) => t.completed).length;
  return [`${s.magenta('▌')} Plan ${s.dim(`${done}/${item.items.length} done`)}`, ...rows].join('\n');
}

export function formatError(message: string, s: Style): string {
  return `${s.red('■')} ${s.red(escapeControls(message))}`;
}

export function formatNotice(message: string, s: Style): string {
  return s.dim(`• ${escapeControls(message)}`);
}

/** A tool call's arguments on one line (`{"q":"x"}` → `q: "x"`), cut at `max` characters. */
export function mcpArgsSummary(args: unknown, max = 80): string {
  if (args === null || args === undefined) return '';
  const text =
    typeof args === 'object' && !Array.isArray(args)
      ? Object.entries(args as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${JSON.stringify(v) ?? 'null'}`)
          .join(', ')
      : (JSON.stringify(args) ?? '');
  const line = escapeLine(text.replace(/\s+/g, ' '));
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The first line of an MCP result's text (or its error), for the collapsed view. */
function mcpResultLine(item: McpToolCallItem): string {
  if (item.error) return item.error.message;
  const texts = (item.result?.content ?? []).map((b) => {
    const block = b as { type?: unknown; text?: unknown };
    return block.type === 'text' && typeof block.text === 'string' ? block.text : block.type === 'image' ? '[image]' : '';
  });
  const text = texts.join(' ').trim() || (item.result?.structured_content !== undefined ? JSON.stringify(item.result.structured_content) : '');
  return (text ?? '').split('\n')[0] ?? '';
}

/** An MCP tool call: `• Calling server/tool(args)` while it runs, then its status and the start of its result. */
export function formatMcpCall(item: McpToolCallItem, s: Style): string {
  const args = mcpArgsSummary(item.arguments);
  const call = `${s.bold(escapeLine(`${item.server}/${item.tool}`))}${s.dim(`(${args})`)}`;
  if (item.status === 'in_progress') return `${s.yellow('•')} Calling ${call}`;
  const head = item.status === 'completed' ? `${s.green('✓')} Called ${call}` : `${s.red('✗')} Called ${call} ${s.red('failed')}`;
  const first = escapeControls(mcpResultLine(item));
  if (first === '') return head;
  const shown = first.length > 160 ? `${first.slice(0, 159)}…` : first;
  return `${head}\n  ${s.dim('│')} ${item.status === 'completed' ? s.dim(shown) : s.red(shown)}`;
}

/**
 * The one line a command or patch that did not happen leaves: `✗ Not run: CMD · you declined: REASON`
 * (the user's refusal, live or resumed) or `· WHY` when something else refused it.
 */
export function refusalLine(what: string, why: { declined: true; reason: string } | { declined: false; reason: string }, s: Style): string {
  const because = why.declined ? `you declined${why.reason === '' ? '' : `: ${why.reason}`}` : why.reason;
  return `${s.red('✗')} ${what} ${s.dim(`· ${because}`)}`;
}
