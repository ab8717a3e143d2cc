/**
 * The history on the alternate screen (`--alt-screen`). That screen has no scrollback: what scrolls off its
 * top is gone. So there the UI draws the history itself, in the rows the live part leaves free, following
 * its end; PgUp/PgDn scroll it. (On the normal screen the history is printed once and the terminal's own
 * scrollback keeps it.)
 *
 * A scrolled view is anchored to the text it shows: it remembers how far from the end it was and how long
 * the history was then, so lines printed meanwhile (a streaming answer) do not move it.
 */
import { hangingWrap, wrapRows, type Style } from './style.js';
import type { HistoryEntry } from './transcript.js';

/** Where a scrolled view is: `offset` rows above the end of a history that had `total` rows. */
export interface HistoryScroll {
  offset: number;
  total: number;
}

const wrapped = new WeakMap<HistoryEntry, { columns: number; rows: string[] }>();

/** One entry as screen rows at `columns` (hanging indents kept, long lines cut as ink would). */
function entryRows(entry: HistoryEntry, columns: number): string[] {
  const hit = wrapped.get(entry);
  if (hit && hit.columns === columns) return hit.rows;
  // An empty entry still takes its row.
  const rows = entry.text === '' ? [''] : wrapRows(hangingWrap(entry.text, columns), columns);
  wrapped.set(entry, { columns, rows });
  return rows;
}

/** The whole history as screen rows, a blank row before each entry that does not continue the one before. */
export function historyRows(history: readonly HistoryEntry[], columns: number): string[] {
  const cols = Math.max(1, columns);
  const out: string[] = [];
  for (const entry of history) {
    if (out.length > 0 && entry.joined !== true) out.push('');
    for (const row of entryRows(entry, cols)) out.push(row);
  }
  return out;
}

/** How many rows above the end a view is now (0: following the end). */
export function currentOffset(scroll: HistoryScroll | null, total: number): number {
  return scroll === null ? 0 : Math.max(0, scroll.offset + (total - scroll.total));
}

/**
 * The rows of the history shown in `height` rows: the end, or `scroll`'s part of it. A view scrolled up says
 * on its last row how much is below it.
 */
export function historyWindow(rows: readonly string[], height: number, scroll: HistoryScroll | null, s: Style): string {
  if (height <= 0 || rows.length === 0) return '';
  // Scrolled, the last row says what is below: height - 1 rows of text.
  const offset = Math.min(currentOffset(scroll, rows.length), Math.max(0, rows.length - Math.max(1, height - 1)));
  if (offset === 0 || height === 1) return rows.slice(-height).join('\n');
  const end = rows.length - offset;
  const shown = rows.slice(Math.max(0, end - (height - 1)), end);
  return [...shown, s.dim(`↓ ${offset} more ${offset === 1 ? 'line' : 'lines'} below · PgDn`)].join('\n');
}

/**
 * The view after scrolling `delta` rows (negative: up, towards the start) in a window of `height` rows; null
 * once it reaches the end (it follows the end again).
 */
export function scrolled(scroll: HistoryScroll | null, delta: number, total: number, height: number): HistoryScroll | null {
  const top = Math.max(0, total - Math.max(1, height - 1));
  const offset = Math.min(top, Math.max(0, Math.min(top, currentOffset(scroll, total)) - delta));
  return offset === 0 ? null : { offset, total };
}
