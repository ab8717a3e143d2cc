/**
 * Terminal styles as plain functions over strings. Everything the UI shows is painted here, so NO_COLOR
 * (or a terminal without colour) is one switch: a colourless style returns its text unchanged. Widths,
 * wrapping and truncation use the packages ink itself lays text out with (string-width, wrap-ansi,
 * cli-truncate), so the UI's arithmetic agrees with what ink draws.
 */
import cliTruncate from 'cli-truncate';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import stripAnsiCodes from 'strip-ansi';
import wrapAnsi from 'wrap-ansi';

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  underline: [4, 24],
  inverse: [7, 27],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
} as const;

export type StyleName = keyof typeof CODES;
export type Paint = (text: string) => string;
/** `color`: colours are painted; `attributes`: bold, dim, italic, underline and inverse are. */
export type Style = Record<StyleName, Paint> & { color: boolean; attributes: boolean };

const ATTRIBUTES: ReadonlySet<StyleName> = new Set(['bold', 'dim', 'italic', 'underline', 'inverse']);

/** A style painting colours when `color`, and the other attributes when `attributes` (NO_COLOR keeps them). */
export function createStyle(color: boolean, attributes = color): Style {
  const entries = Object.entries(CODES).map(([name, [on, off]]) => {
    const painted = ATTRIBUTES.has(name as StyleName) ? attributes : color;
    // Re-open the style after an inner reset of the same kind, so nested styles keep working. Dim is the
    // exception: bold and dim end with the same code (SGR 22), and ink's output layer drops a dim re-opened
    // after a bold part ends, so the rest would lose its dim. Inside dim there is no bold: dim wins.
    const paint: Paint = !painted
      ? (text) => text
      : name === 'dim'
        ? (text) => (text === '' ? '' : `\u001b[${on}m${text.replaceAll('\u001b[1m', '').replaceAll(`\u001b[${off}m`, '')}\u001b[${off}m`)
        : (text) => (text === '' ? '' : `\u001b[${on}m${text.split(`\u001b[${off}m`).join(`\u001b[${off}m\u001b[${on}m`)}\u001b[${off}m`);
    return [name, paint];
  });
  return { ...(Object.fromEntries(entries) as Record<StyleName, Paint>), color, attributes };
}

/**
 * The interactive UI's style for this environment: `NO_COLOR` takes the colours away and keeps bold,
 * dim and italic (as the no-color.org convention asks); a dumb terminal gets neither.
 */
export function terminalStyle(env: NodeJS.ProcessEnv): Style {
  return createStyle(colorEnabled(env, true), env.TERM !== 'dumb');
}

/** Colour is on unless NO_COLOR is set (to anything non-empty) or the output is not a terminal. */
export function colorEnabled(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty && env.TERM !== 'dumb';
}

export function stripAnsi(text: string): string {
  return stripAnsiCodes(text);
}

/** Columns the text takes on screen, measured as ink measures it (escape sequences take none). */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/**
 * Terminal rows a block of text takes at `columns`, wrapped as ink wraps a <Text> (word by word, long
 * words cut), so what is kept shorter than the window really is.
 */
export function rowsOf(text: string, columns: number): number {
  const cols = Math.max(1, columns);
  let rows = 0;
  for (const line of text.split('\n')) {
    // A line that fits needs no wrapping (the common case, and the cheap one).
    rows += stringWidth(line) <= cols ? 1 : wrapAnsi(line, cols, { trim: false, hard: true }).split('\n').length;
  }
  return rows;
}

/** `text` as ink draws a <Text> at `columns`: its screen rows (empty text: none). */
export function wrapRows(text: string, columns: number): string[] {
  if (text === '') return [];
  const cols = Math.max(1, columns);
  return text.split('\n').flatMap((line) => (stringWidth(line) <= cols ? [line] : wrapAnsi(line, cols, { trim: false, hard: true }).split('\n')));
}

/** A line's hanging indent: its leading blanks and the marker the UI puts there (`• `, `› `, `1. `, `│ `…). */
const HANG = /^\s*(?:(?:[•□✔›■│▌✓✗]|\d+[.)])\s+)?/;

/**
 * `text` wrapped to `columns` the way a reader expects: a line too long for the window goes on under its
 * own text, not under its marker — a list item under the item, a prompt under the prompt, an error under
 * its message. (Left to ink, the continuation would start at the window's edge.) Styles carry over.
 */
export function hangingWrap(text: string, columns: number): string {
  const cols = Math.max(1, columns);
  return text
    .split('\n')
    .map((line) => {
      if (stringWidth(line) <= cols) return line;
      const indent = stringWidth((HANG.exec(stripAnsiCodes(line)) ?? [''])[0]);
      // A marker as wide as most of the window: plain wrapping reads better.
      if (indent === 0 || indent > cols / 2) return line;
      const body = wrapAnsi(sliceAnsi(line, indent), cols - indent, { trim: true, hard: true }).split('\n');
      const pad = ' '.repeat(indent);
      return body.map((l, i) => (i === 0 ? sliceAnsi(line, 0, indent) + l : pad + l)).join('\n');
    })
    .join('\n');
}

/** The last lines of `text` that fit in `maxRows` rows, with a note of how many lines were left out. */
export function tailRows(text: string, maxRows: number, columns: number, note: (hidden: number) => string): string {
  if (rowsOf(text, columns) <= maxRows) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  let rows = 1; // the note
  for (let i = lines.length - 1; i >= 0; i--) {
    const r = rowsOf(lines[i] as string, columns);
    if (rows + r > maxRows) break;
    kept.unshift(lines[i] as string);
    rows += r;
  }
  return [note(lines.length - kept.length), ...kept].join('\n');
}

/** Text cut to `width` columns, with an ellipsis when it was longer (styles are kept and closed). */
export function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  return width < 1 ? '' : cliTruncate(text, width);
}
