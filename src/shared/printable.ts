/**
 * Text from files we do not control (a corrupt rollout line, a config value) is escaped before it is
 * printed, so it can never move the cursor, change colours, ring the bell or retitle the terminal.
 */

/** C0 controls (newline and tab too: an error is one line), DEL, C1 controls, and bidi overrides. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character written as an escape: ESC → `\x1b`, BEL → `\x07`, U+202E → `\u202e`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
