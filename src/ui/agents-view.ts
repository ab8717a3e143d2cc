/**
 * A subagent's transcript on screen, in place of the prompt: who it is and how it stands, then what it
 * has done so far (its task, commands, edits, answer) and what it is doing now, its last lines when it
 * has more than fit (PgUp/PgDn scroll back). Esc goes back to the session; ←/→ go to the other agents.
 * Pure functions of the snapshot, as the rest of the screen.
 */
import type { AgentRow } from './agents-board.js';
import { activityText, agentDetail, formatCollabLive, isRunning, statusWord, usageWords, type AgentDirectory } from './agents-format.js';
import { formatAnswer, formatCommand, formatMcpCall, formatPatch, formatPlan, formatReasoning } from './format.js';
import { escapeLine } from '../shared/index.js';
import { hangingWrap, rowsOf, tailRows, truncate, type Style } from './style.js';
import type { LiveState } from './transcript.js';
import type { Overlay } from './view-state.js';

type AgentOverlay = Extract<Overlay, { kind: 'agent' }>;

export function directoryOf(rows: readonly AgentRow[]): AgentDirectory {
  return { get: (id) => rows.find((r) => r.info.id === id)?.info };
}

/** What a subagent is doing now, as the session's own live part shows it. */
export function childLive(live: LiveState, dir: AgentDirectory, s: Style, columns: number): string {
  const parts: string[] = [];
  if (live.reasoning.trim() !== '') parts.push(tailRows(formatReasoning(live.reasoning, s), 3, columns, () => s.dim('…')));
  for (const p of live.patches) parts.push(formatPatch(p.item, p.diffs, s));
  for (const c of live.commands) parts.push(formatCommand(c.item, s, { liveTail: 3 }));
  for (const m of live.mcpCalls) parts.push(formatMcpCall(m.item, s));
  for (const c of live.collab) parts.push(formatCollabLive(c, dir, s));
  if (live.message.trim() !== '') parts.push(formatAnswer(live.message, s));
  if (live.plan) parts.push(formatPlan(live.plan, s));
  return parts.join('\n\n');
}

/** Entries of a subagent's transcript the view keeps (the newest). */
export const SHOWN_ENTRIES = 200;

/** The transcript's lines, wrapped to the width (the newest last). */
function bodyLines(row: AgentRow, dir: AgentDirectory, s: Style, columns: number): string[] {
  const blocks: string[] = [];
  // The last entries only (a frame is drawn many times a second); the whole transcript is in its session file.
  const entries = row.history.slice(-SHOWN_ENTRIES);
  if (entries.length < row.history.length) blocks.push(s.dim(`… ${row.history.length - entries.length} earlier entries not shown`));
  for (const e of entries) {
    if (e.joined && blocks.length > 0) blocks[blocks.length - 1] += `\n${e.text}`;
    else blocks.push(e.text);
  }
  const live = childLive(row.live, dir, s, columns);
  if (live !== '') blocks.push(live);
  if (blocks.length === 0) {
    // A helper restored with a resumed session: what it did is in its own session file.
    const file = row.info.rollout_path;
    blocks.push(s.dim(isRunning(row.info) || !file ? '(nothing yet)' : `(nothing in this session yet; its earlier work is in ${escapeLine(file)})`));
  }
  return hangingWrap(blocks.join('\n\n'), columns).split('\n');
}

function header(row: AgentRow | undefined, at: number, of: number, s: Style, columns: number): string[] {
  const keys = s.dim(`esc back · ←/→ other agents (${at} of ${of}) · pgup/pgdn scroll`);
  if (!row) return [s.bold('This agent is gone'), keys];
  const a = row.info;
  const doing = activityText(a) === '' ? '' : ` · ${activityText(a)}`;
  const title = `${s.magenta('Agent')} ${s.bold(escapeLine(a.nickname))} ${s.dim(agentDetail(a))} ${statusWord(a.status)}${doing} ${s.dim(`· ${usageWords(a.usage, a.cost_usd)}`)}`;
  return [truncate(title, Math.max(10, columns - 1)), keys];
}

/** How far back the transcript can scroll (lines from its end). */
export function agentScrollMax(o: AgentOverlay, rows: readonly AgentRow[], s: Style, maxRows: number, columns: number): number {
  const row = rows.find((r) => r.info.id === o.id);
  if (!row) return 0;
  return Math.max(0, bodyLines(row, directoryOf(rows), s, columns).length - Math.max(1, maxRows - 4));
}

/** The agent's header and the window of its transcript that fits `maxRows` rows. */
export function agentView(o: AgentOverlay, rows: readonly AgentRow[], s: Style, maxRows: number, columns: number): string {
  const index = rows.findIndex((r) => r.info.id === o.id);
  const row = rows[index];
  const head = header(row, index + 1, rows.length, s, columns);
  if (!row) return head.join('\n');
  const lines = bodyLines(row, directoryOf(rows), s, columns);
  // Two rows for the header, one blank, and one for a note of lines out of view above or below.
  const room = Math.max(1, maxRows - head.length - 2);
  const end = Math.max(0, lines.length - Math.min(o.scroll, Math.max(0, lines.length - 1)));
  const shown: string[] = [];
  let used = 0;
  for (let i = end - 1; i >= 0; i--) {
    const r = rowsOf(lines[i] as string, columns);
    if (used + r > room && shown.length > 0) break;
    shown.unshift(lines[i] as string);
    used += r;
  }
  const above = end - shown.length;
  const below = lines.length - end;
  const note = above > 0 || below > 0 ? [s.dim(`${above > 0 ? `… ${above} lines above` : ''}${above > 0 && below > 0 ? ' · ' : ''}${below > 0 ? `${below} lines below` : ''}`)] : [];
  return [...head, '', ...shown, ...note].join('\n');
}
