/**
 * Terminal styles as plain functions over strings. Everything the UI shows is painted here, so NO_COLOR
 * (or a terminal without colour) is one switch: a colourless style returns its text unchanged.
 */
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
export type Style = Record<StyleName, Paint> & { color: boolean };

export function createStyle(color: boolean): Style {
  const entries = Object.entries(CODES).map(([name, [on, off]]) => {
    // Re-open the style after an inner reset of the same kind, so nested styles keep working.
    const paint: Paint = color
      ? (text) => (text === '' ? '' : `\u001b[${on}m${text.split(`\u001b[${off}m`).join(`\u001b[${off}m\u001b[${on}m`)}\u001b[${off}m`)
      : (text) => text;
    return [name, paint];
  });
  return { ...(Object.fromEntries(entries) as Record<StyleName, Paint>), color };
}

/** Colour is on unless NO_COLOR is set (to anything non-empty) or the output is not a terminal. */
export function colorEnabled(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty && env.TERM !== 'dumb';
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Columns a character takes: 2 for wide East Asian characters and most emoji, 0 for combining marks. */
function charWidth(cp: number): number {
  if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp >= 0x300 && cp <= 0x36f) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function textWidth(text: string): number {
  let w = 0;
  for (const ch of stripAnsi(text)) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** Terminal rows a block of text takes at `columns` once wrapped. */
export function rowsOf(text: string, columns: number): number {
  const cols = Math.max(1, columns);
  let rows = 0;
  for (const line of text.split('\n')) rows += Math.max(1, Math.ceil(textWidth(line) / cols));
  return rows;
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

/** Plain text cut to `width` columns, with an ellipsis when it was longer. */
export function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = textWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}
