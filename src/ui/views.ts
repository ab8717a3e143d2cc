/**
 * The redrawn part of the screen as text: the live turn, the prompt (or the question or picker in its
 * place) and the footer. Kept shorter than the terminal, so the terminal never has to scroll what the
 * UI redraws (which is what corrupts scrollback and makes other agents flicker). Pure functions of the
 * snapshot: nothing here reads the disk.
 */
import { escapeLine } from '../shared/index.js';
import { agentsPanel, formatCollabLive } from './agents-format.js';
import { agentView, directoryOf } from './agents-view.js';
import { historyRows, historyWindow } from './alt-history.js';
import { approvalView } from './approval-view.js';
import type { Overlay, Snapshot } from './controller.js';
import { renderEditor } from './editor.js';
import { formatAnswer, formatCommand, formatMcpCall, formatPatch, formatPlan, formatReasoning } from './format.js';
import { mcpStartingLine } from './mcp-startup.js';
import { popupLines, queueLines, searchLines } from './prompt-view.js';
import { shortcutsView } from './shortcuts.js';
import { popupChoice, slashPopup } from './slash.js';
import { footerText } from './status.js';
import { hangingWrap, rowsOf, tailRows, textWidth, truncate, wrapRows, type Style } from './style.js';

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
    // As Markdown and dimmed as a whole, as it will be printed (its last rows while it streams).
    parts.push(tailRows(formatReasoning(live.reasoning, s), 3, snap.columns, () => s.dim('…')));
  }
  for (const p of live.patches) parts.push(formatPatch(p.item, p.diffs, s));
  for (const c of live.commands) parts.push(formatCommand(c.item, s, { liveTail: 3 }));
  for (const m of live.mcpCalls) parts.push(formatMcpCall(m.item, s));
  for (const c of live.collab) parts.push(formatCollabLive(c, directoryOf(snap.agents), s));
  if (live.message.trim() !== '') parts.push(formatAnswer(live.message, s));
  if (live.plan) parts.push(formatPlan(live.plan, s));
  if (snap.mcpStarting) parts.push(`${s.cyan('•')} ${s.dim(mcpStartingLine(snap.mcpStarting, snap.queued.length))}`);
  if (snap.running) {
    const waiting = snap.overlay?.kind === 'approval' ? 'Waiting for your answer' : o.hideReasoning && live.reasoning !== '' ? 'Thinking' : 'Working';
    const since = snap.turnStartedAt === null ? '' : `${elapsed(o.now - snap.turnStartedAt)} · `;
    const queued = snap.queued.length ? ` · ${snap.queued.length} queued` : '';
    parts.push(`${s.cyan('•')} ${s.bold(waiting)} ${s.dim(`(${since}esc to interrupt${queued})`)}`);
  }
  return parts.join('\n\n');
}

function pickerText(overlay: Extract<Overlay, { kind: 'picker' }>, s: Style, maxRows: number, columns: number): string {
  // Labels come from rollouts (a session's first prompt), servers (model ids) and config: shown inert.
  const items = overlay.items.map((item) => ({
    ...item,
    label: escapeLine(item.label),
    ...(item.detail === undefined ? {} : { detail: escapeLine(item.detail) }),
    ...(item.columns === undefined ? {} : { columns: item.columns.map(escapeLine) }),
  }));
  // Aligned columns: the numbers, each fact column, then the labels padded so the details line up.
  const numWidth = Math.max(2, String(items.length).length);
  const cellWidths: number[] = [];
  for (const item of items) (item.columns ?? []).forEach((c, i) => (cellWidths[i] = Math.max(cellWidths[i] ?? 0, textWidth(c))));
  const labelRoom = Math.max(12, Math.floor(columns * 0.5));
  const labelWidth = items.some((i) => i.detail) ? Math.min(labelRoom, Math.max(0, ...items.map((i) => textWidth(i.label)))) : 0;
  const rows: string[] = [];
  let selectedRow = 0;
  items.forEach((item, i) => {
    if (item.section) rows.push(s.dim(item.section));
    if (i === overlay.selected) selectedRow = rows.length;
    const cells = (item.columns ?? []).map((c, k) => `${c}${' '.repeat(Math.max(0, (cellWidths[k] ?? 0) - textWidth(c)))}  `).join('');
    const label = labelWidth > 0 ? truncate(item.label, labelWidth) : item.label;
    const pad = ' '.repeat(Math.max(0, labelWidth - textWidth(label)));
    const head = `${String(i + 1).padStart(numWidth)}. ${cells}${label}`;
    // One row per item: the detail is cut to the width that is left.
    const room = columns - textWidth(head) - pad.length - 4;
    const detail = item.detail && room > 8 ? `${pad}  ${s.dim(truncate(item.detail, room))}` : '';
    rows.push(i === overlay.selected ? `${s.cyan('›')}${s.bold(head)}${detail}` : ` ${head}${detail}`);
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

export const EXIT_OPTIONS = [
  { key: 'c', label: 'Cancel' },
  { key: 'x', label: 'Exit' },
] as const;

function exitText(overlay: Extract<Overlay, { kind: 'exit' }>, s: Style): string {
  const rows = EXIT_OPTIONS.map((opt, i) => {
    const label = `${i + 1}. ${opt.label} ${s.dim(`(${opt.key})`)}`;
    return i === overlay.selected ? `${s.cyan('›')} ${s.bold(label)}` : `  ${label}`;
  });
  return [`${s.bold('Exit opencodex?')} ${s.dim('(enter to choose, esc to cancel)')}`, ...rows].join('\n');
}

/** The slash-command popup: the matching commands in aligned columns, the highlighted one marked. */
function popupText(snap: Snapshot, s: Style): string[] {
  const popup = slashPopup(snap.editor.text);
  const chosen = popupChoice(snap.editor.text, snap.slashSelected);
  const width = Math.max(...popup.map((c) => c.name.length)) + 1;
  return popup.map((c) => {
    const name = `/${c.name}`.padEnd(width + 2);
    return c === chosen ? `${s.cyan('›')} ${s.bold(s.cyan(name))} ${c.description}` : `  ${s.bold(name)} ${s.dim(c.description)}`;
  });
}

/** The prompt editor, or what replaces it: a question or a picker. */
export function bottomView(snap: Snapshot, s: Style, cwd: string, maxRows: number): string {
  const o = snap.overlay;
  if (o?.kind === 'approval') return approvalView(o, s, cwd, maxRows, snap.columns);
  if (o?.kind === 'picker') return pickerText(o, s, maxRows, snap.columns);
  if (o?.kind === 'exit') return exitText(o, s);
  if (o?.kind === 'agent') return agentView(o, snap.agents, s, maxRows, snap.columns);
  const queue = queueLines(snap.queued, s, snap.columns);
  if (snap.extras.search) return tailRows([...queue, ...searchLines(snap.extras.search, snap.editor.recall, s, cursor)].join('\n'), maxRows, snap.columns, () => s.dim('…'));
  const lines = renderEditor(snap.editor, cursor);
  const body = lines.map((l, i) => (i === 0 ? `${s.cyan('›')} ${l}` : `  ${l}`)).join('\n');
  const parts = [body];
  if (snap.editor.text === '') {
    // The longest hint that fits the width (a wrapped placeholder would push the screen up a row).
    const hints = snap.running ? ['type to queue a message'] : ['ask anything · / for commands · ? for shortcuts', 'ask anything · / for commands', 'ask anything'];
    const hint = hints.find((h) => textWidth(h) <= snap.columns - 4) ?? truncate(hints[hints.length - 1] as string, Math.max(1, snap.columns - 4));
    parts[0] = `${s.cyan('›')} ${cursor(' ')}${s.dim(hint)}`;
  }
  if (queue.length > 0) parts.unshift(queue.join('\n'));
  if (snap.extras.files) parts.push(...popupLines(snap.extras.files, s, snap.columns));
  else parts.push(...popupText(snap, s));
  if (snap.shortcuts) parts.push('', shortcutsView(s, snap.columns));
  return tailRows(parts.join('\n'), maxRows, snap.columns, () => s.dim('…'));
}

/** The footer, under the list of the session's subagents while any is open. */
export function footerView(snap: Snapshot, s: Style): string {
  const panel = agentsPanel(snap.agents.map((r) => r.info), s, snap.columns, { parentRunning: snap.running });
  return panel === '' ? footerText(snap.status, s) : `${panel}\n${footerText(snap.status, s)}`;
}

/** The rows the prompt (or the question or picker in its place) may take. */
export function bottomRows(snap: Snapshot, s: Style): number {
  return Math.max(3, snap.rows - rowsOf(footerView(snap, s), snap.columns) - 4);
}

/**
 * The whole redrawn area, fitted to the terminal: the bottom and footer keep their room, and the live
 * turn shows its last rows when it has more than fit.
 */
export function screenParts(snap: Snapshot, s: Style, o: LiveOptions & { cwd: string }): { live: string; bottom: string; footer: string } {
  const footer = footerView(snap, s);
  const footerRows = rowsOf(footer, snap.columns);
  const bottom = bottomView(snap, s, o.cwd, bottomRows(snap, s));
  const room = snap.rows - footerRows - rowsOf(bottom, snap.columns) - 3;
  const liveFull = hangingWrap(liveView(snap, s, o), snap.columns);
  const live = liveFull === '' || room < 1 ? '' : tailRows(liveFull, room, snap.columns, (n) => s.dim(`… ${n} more lines above`));
  return { live, bottom, footer };
}

/**
 * The alternate screen (`--alt-screen`), which has no scrollback: the history's window (`historyRows` rows of
 * it, its end or where PgUp/PgDn scrolled it) above the live part, the prompt and the footer, all within the
 * window's rows (one spare, so ink never redraws the whole screen).
 */
export function altScreenParts(
  snap: Snapshot,
  s: Style,
  o: LiveOptions & { cwd: string },
): { history: string; historyHeight: number; historyTotal: number; live: string; bottom: string; footer: string } {
  const parts = screenParts(snap, s, o);
  const used = (parts.live === '' ? 0 : 1 + rowsOf(parts.live, snap.columns)) + 1 + rowsOf(parts.bottom, snap.columns) + rowsOf(parts.footer, snap.columns);
  const historyHeight = Math.max(0, snap.rows - used - 1);
  const rows = historyRows(snap.history, snap.columns);
  return { ...parts, historyHeight, historyTotal: rows.length, history: historyWindow(rows, historyHeight, snap.historyScroll, s) };
}

/**
 * The rows of the frame App draws below the history for `snap` (on the alternate screen, the history's
 * window too), as ink lays them out: what the terminal shows of the redrawn part (see resize.ts).
 */
export function drawnFrame(snap: Snapshot, s: Style, o: LiveOptions & { cwd: string }, altScreen: boolean): string[] {
  const cols = snap.columns;
  const p = altScreen ? altScreenParts(snap, s, o) : { ...screenParts(snap, s, o), history: '' };
  return [...wrapRows(p.history, cols), ...(p.live !== '' ? ['', ...wrapRows(p.live, cols)] : []), '', ...wrapRows(p.bottom, cols), ...wrapRows(p.footer, cols)];
}
