/**
 * The redrawn part of the screen as text: the live turn, the prompt (or the question or picker in its
 * place) and the footer. Kept shorter than the terminal, so the terminal never has to scroll what the
 * UI redraws (which is what corrupts scrollback and makes other agents flicker).
 */
import { relative } from 'node:path';
import type { Overlay, Snapshot } from './controller.js';
import { renderEditor } from './editor.js';
import { formatAnswer, formatCommand, formatMcpCall, formatPatch, formatPlan, mcpArgsSummary } from './format.js';
import { APPROVAL_OPTIONS } from './keys.js';
import { matchingCommands } from './commands.js';
import { mcpStartingLine } from './mcp-startup.js';
import { popupLines, queueLines, searchLines } from './prompt-view.js';
import { footerText } from './status.js';
import { rowsOf, tailRows, textWidth, truncate, type Style } from './style.js';

/** The cursor is drawn in reverse video even without colour: it has to be visible. */
const cursor = (ch: string): string => `\u001b[7m${ch}\u001b[27m`;

function elapsed(ms: number): string {
  const sec = Math.floor(ms / 1000);
  return sec < 60 ? `${sec}s` : `${Math.floor(sec / 60)}m ${String(sec % 60).padStart(2, '0')}s`;
}

export interface LiveOptions {
  hideReasoning: boolean;
  now: number;
}

/** The running turn: reasoning, patches, commands, the answer so far, the plan, notices, "Working". */
export function liveView(snap: Snapshot, s: Style, o: LiveOptions): string {
  const parts: string[] = [];
  const live = snap.live;
  if (live.reasoning.trim() !== '' && !o.hideReasoning) {
    parts.push(tailRows(s.dim(s.italic(live.reasoning.trim())), 3, snap.columns, () => s.dim('…')));
  }
  for (const p of live.patches) parts.push(formatPatch(p.item, p.diffs, s));
  for (const c of live.commands) parts.push(formatCommand(c.item, s, { liveTail: 3 }));
  for (const m of live.mcpCalls) parts.push(formatMcpCall(m.item, s));
  if (live.message.trim() !== '') parts.push(formatAnswer(live.message, s));
  if (live.plan) parts.push(formatPlan(live.plan, s));
  if (live.notice) parts.push(s.yellow(live.notice));
  if (snap.mcpStarting) parts.push(`${s.cyan('•')} ${s.dim(mcpStartingLine(snap.mcpStarting, snap.queued.length))}`);
  if (snap.running) {
    const waiting = snap.overlay?.kind === 'approval' ? 'Waiting for your answer' : o.hideReasoning && live.reasoning !== '' ? 'Thinking' : 'Working';
    const since = snap.turnStartedAt === null ? '' : `${elapsed(o.now - snap.turnStartedAt)} · `;
    const queued = snap.queued.length ? ` · ${snap.queued.length} queued` : '';
    parts.push(`${s.cyan('•')} ${s.bold(waiting)} ${s.dim(`(${since}esc to interrupt${queued})`)}`);
  }
  return parts.join('\n\n');
}

function questionText(overlay: Extract<Overlay, { kind: 'approval' }>, cwd: string, s: Style): string {
  const q = overlay.question;
  const lines: string[] = [];
  if (q.kind === 'command') {
    const cmd = q.argv.length === 3 && /^(ba|z)?sh$/.test(q.argv[0] ?? '') && q.argv[1]?.startsWith('-') ? (q.argv[2] ?? '') : q.argv.join(' ');
    lines.push(s.bold(q.retryWithoutSandbox ? 'Run this command again without the sandbox?' : 'Allow this command?'));
    lines.push(`  ${s.cyan('$')} ${cmd}`);
    if (q.cwd !== cwd) lines.push(s.dim(`  in ${q.cwd}`));
    lines.push(s.dim(`  why: ${q.reason}`));
  } else if (q.kind === 'mcp_tool') {
    lines.push(s.bold(`Allow the ${q.server} MCP server to run tool "${q.tool}"?`));
    const args = mcpArgsSummary(q.arguments, 200);
    if (args !== '') lines.push(`  ${s.dim(args)}`);
    lines.push(s.dim(`  why: ${q.reason}`));
  } else {
    lines.push(s.bold('Apply these changes?'));
    for (const ch of q.changes) {
      const letter = ch.kind === 'add' ? 'A' : ch.kind === 'delete' ? 'D' : 'M';
      const r = relative(cwd, ch.path);
      lines.push(`  ${s.dim(letter)} ${r.startsWith('..') || r === '' ? ch.path : r}`);
    }
    lines.push(s.dim(`  why: ${q.reason}`));
  }
  if (overlay.explaining) {
    lines.push('', `Tell the model what to do instead ${s.dim('(enter to send, esc to go back)')}`);
    lines.push(`${s.cyan('›')} ${renderEditor(overlay.explaining, cursor).join(' ')}`);
    return lines.join('\n');
  }
  lines.push('');
  APPROVAL_OPTIONS.forEach((opt, i) => {
    const sel = i === overlay.selected;
    const label = `${i + 1}. ${opt.label} ${s.dim(`(${opt.key})`)}`;
    lines.push(sel ? `${s.cyan('›')} ${s.bold(label)}` : `  ${label}`);
  });
  return lines.join('\n');
}

function pickerText(overlay: Extract<Overlay, { kind: 'picker' }>, s: Style, maxRows: number, columns: number): string {
  const rows: string[] = [];
  let selectedRow = 0;
  overlay.items.forEach((item, i) => {
    if (item.section) rows.push(s.dim(item.section));
    if (i === overlay.selected) selectedRow = rows.length;
    const sel = i === overlay.selected;
    const label = `${String(i + 1).padStart(2)}. ${item.label}`;
    // One row per item: the detail is cut to the width that is left.
    const room = columns - textWidth(label) - 4;
    const detail = item.detail && room > 8 ? `  ${s.dim(truncate(item.detail, room))}` : '';
    rows.push(sel ? `${s.cyan('›')}${s.bold(label)}${detail}` : ` ${label}${detail}`);
  });
  // Show a window of the list around the selection when it is longer than the room there is.
  const note = overlay.note === undefined ? [] : [s.dim(truncate(overlay.note, Math.max(8, columns - 2)))];
  const room = Math.max(3, maxRows - 2 - note.length);
  let shown = rows;
  if (rows.length > room) {
    const start = Math.max(0, Math.min(selectedRow - Math.floor(room / 2), rows.length - room));
    shown = rows.slice(start, start + room);
  }
  const head = `${s.bold(overlay.title)} ${s.dim('(↑/↓ to move, enter to choose, esc to cancel)')}`;
  return tailRows([head, ...shown, ...note].join('\n'), maxRows, columns, () => s.dim('…'));
}

/** The prompt editor, or what replaces it: a question or a picker. */
export function bottomView(snap: Snapshot, s: Style, cwd: string, maxRows: number): string {
  if (snap.overlay?.kind === 'approval') return questionText(snap.overlay, cwd, s);
  if (snap.overlay?.kind === 'picker') return pickerText(snap.overlay, s, maxRows, snap.columns);
  const queue = queueLines(snap.queued, s, snap.columns);
  if (snap.extras.search) return tailRows([...queue, ...searchLines(snap.extras.search, snap.editor.recall, s, cursor)].join('\n'), maxRows, snap.columns, () => s.dim('…'));
  const lines = renderEditor(snap.editor, cursor);
  const body = lines.map((l, i) => (i === 0 ? `${s.cyan('›')} ${l}` : `  ${l}`)).join('\n');
  const parts = [body];
  if (snap.editor.text === '') {
    parts[0] = `${s.cyan('›')} ${cursor(' ')}${s.dim(snap.running ? 'type to queue a message' : 'ask anything, / for commands')}`;
  }
  if (queue.length > 0) parts.unshift(queue.join('\n'));
  if (snap.extras.files) parts.push(...popupLines(snap.extras.files, s, snap.columns));
  else if (snap.editor.text.startsWith('/') && !snap.editor.text.includes('\n')) {
    const menu = matchingCommands(snap.editor.text);
    for (const c of menu) parts.push(`  ${s.bold(`/${c.name}`.padEnd(11))} ${s.dim(c.description)}`);
  }
  return tailRows(parts.join('\n'), maxRows, snap.columns, () => s.dim('…'));
}

export function footerView(snap: Snapshot, s: Style): string {
  const hint = snap.hint ? `${s.yellow(snap.hint)}\n` : '';
  return hint + footerText(snap.status, s);
}

/**
 * The whole redrawn area, fitted to the terminal: the bottom and footer keep their room, and the live
 * turn shows its last rows when it has more than fit.
 */
export function screenParts(snap: Snapshot, s: Style, o: LiveOptions & { cwd: string }): { live: string; bottom: string; footer: string } {
  const footer = footerView(snap, s);
  const footerRows = rowsOf(footer, snap.columns);
  const bottom = bottomView(snap, s, o.cwd, Math.max(3, snap.rows - footerRows - 4));
  const room = snap.rows - footerRows - rowsOf(bottom, snap.columns) - 3;
  const liveFull = liveView(snap, s, o);
  const live = liveFull === '' || room < 1 ? '' : tailRows(liveFull, room, snap.columns, (n) => s.dim(`… ${n} more lines above`));
  return { live, bottom, footer };
}
