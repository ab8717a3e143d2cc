/**
 * Text that opencodex did not write itself (model text, reasoning, command lines and output, file names,
 * server and MCP messages) made inert for a terminal: every control character is shown as a visible
 * `\xHH` escape, so no escape sequence (CSI, OSC title/clipboard/hyperlink, DCS/APC/PM/SOS strings, 8-bit
 * C1 forms), BEL, backspace or bare carriage return can act on the terminal or hide earlier text.
 *
 * - `\n` and `\t` are kept; `\r\n` becomes `\n`.
 * - A bare `\r` (which would move the cursor back over the line) is shown as `\x0d`; a `\r` ending the
 *   input is dropped, as it may be the first half of a `\r\n` split across output chunks.
 * - Every other C0 control (U+0000–U+001F), DEL (U+007F) and C1 control (U+0080–U+009F) is shown as
 *   `\x` and two lowercase hex digits, e.g. `ESC ] 0 ; t BEL` → `\x1b]0;t\x07`. Each character is escaped
 *   on its own, so an unterminated or nested sequence is as inert as a complete one.
 * - Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make text read
 *   differently from what it is, are shown as `\u202e` and so on.
 * - Everything else (printable ASCII, emoji, CJK, combining marks, backslashes) is left as it is: the form
 *   is for reading, not a reversible encoding.
 *
 * `escapeLine` is the same for text that must stay on one line (an error, a table cell, a config value):
 * newlines, tabs and every carriage return are escaped too.
 *
 * Stateless and linear in the input's length; text without controls is returned as is.
 */

const HEX = '0123456789abcdef';
const ESCAPES: readonly string[] = Array.from({ length: 0xa0 }, (_, c) => `\\x${HEX[c >> 4] ?? '0'}${HEX[c & 15] ?? '0'}`);

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

const isBidi = (c: number): boolean => (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);

/** A code unit that is shown escaped (C0 other than TAB and LF, DEL, C1, bidi); CR is decided by its neighbours. */
function isControl(c: number, oneLine: boolean): boolean {
  if (c < 0x20) return oneLine || (c !== TAB && c !== LF);
  return (c >= 0x7f && c < 0xa0) || isBidi(c);
}

// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const ANY_CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function escapeWith(text: string, oneLine: boolean): string {
  if (!(oneLine ? ANY_CONTROL_OR_BREAK : ANY_CONTROL).test(text)) return text;
  const parts: string[] = [];
  let from = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (!isControl(c, oneLine)) continue;
    if (from < i) parts.push(text.slice(from, i));
    from = i + 1;
    if (!oneLine && c === CR && (i + 1 === n || text.charCodeAt(i + 1) === LF)) continue;
    parts.push(c < 0xa0 ? (ESCAPES[c] ?? '') : `\\u${c.toString(16)}`);
  }
  if (from < n) parts.push(text.slice(from));
  return parts.join('');
}

/** Foreign text made inert for a terminal, keeping its lines and tabs (see above). */
export function escapeControls(text: string): string {
  return escapeWith(text, false);
}

/** Foreign text made inert and kept on one line: newlines, tabs and carriage returns are escaped too. */
export function escapeLine(text: string): string {
  return escapeWith(text, true);
}
