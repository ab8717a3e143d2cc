/**
 * Narrowing the terminal without ghost copies. When the window gets narrower, ink erases as many rows as its
 * last frame had and draws the new one. But most terminals (tmux, kitty, iTerm2, GNOME Terminal, Konsole,
 * WezTerm, Windows Terminal) reflow what is on screen: each line of that frame wider than the new width now
 * takes several rows, so ink's erase stops short and the top of the old frame stays above the new one — a
 * ghost copy of the prompt at each narrowing. Before ink's erase, the rows the reflow added are erased here,
 * and the cursor is left where ink's own erase then clears the rest of the old frame, so the new frame starts
 * where the old one did. (A terminal that does not reflow, such as xterm, cuts lines instead of wrapping
 * them; a few rows above the frame are then blanked — never a ghost.)
 */
import { textWidth } from './style.js';

const ERASE_LINE = '\u001b[2K';
const UP = '\u001b[1A';
const TO_COLUMN_1 = '\u001b[G';

/** Rows the lines of a frame (each drawn within the old width) take once a reflowing terminal is `columns` wide. */
export function reflowedRows(lines: readonly string[], columns: number): number {
  const cols = Math.max(1, columns);
  let rows = 0;
  for (const line of lines) rows += Math.max(1, Math.ceil(textWidth(line) / cols));
  return rows;
}

/**
 * What to write when the window narrows to `columns`, just before ink redraws: `frame` is the text ink drew
 * last (its lines as drawn, without the trailing newline ink adds). Empty when the reflow added no rows.
 */
export function reflowErase(frame: readonly string[], columns: number): string {
  const added = reflowedRows(frame, columns) - frame.length;
  if (added <= 0) return '';
  // The cursor is on the row under the frame. Erase that row and the added rows above it, then step up one:
  // ink's erase (the frame's line count, plus the row under it) then covers exactly the rest.
  let out = '';
  for (let i = 0; i < added; i++) out += ERASE_LINE + (i < added - 1 ? UP : '');
  return `${out}${UP}${TO_COLUMN_1}`;
}
