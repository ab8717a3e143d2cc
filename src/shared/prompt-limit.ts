/**
 * The longest prompt we send: Codex's limit on one user message, 1,048,576 characters (Unicode code
 * points, as Codex counts them). A longer one is refused before anything is sent.
 */
import { UserError } from './errors.js';

export const MAX_PROMPT_CHARS = 1 << 20;

/** Characters (code points) in `text`: UTF-16 units less the second half of each surrogate pair. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Why `text` cannot be sent as a prompt, as `[cause, fix]`; undefined when it can. */
function problem(text: string): [string, string] | undefined {
  // Code points never outnumber UTF-16 units: most prompts need no counting.
  if (text.length <= MAX_PROMPT_CHARS) return undefined;
  const chars = codePoints(text);
  if (chars <= MAX_PROMPT_CHARS) return undefined;
  const n = (x: number): string => x.toLocaleString('en-US');
  return [
    `the prompt is ${n(chars)} characters long, over the limit of ${n(MAX_PROMPT_CHARS)} (1 MiB)`,
    'shorten it, or save the text to a file in the workspace and ask for that file to be read',
  ];
}

/** Why `text` cannot be sent as a prompt, in one line (cause — fix); undefined when it can. */
export function promptTooLong(text: string): string | undefined {
  const p = problem(text);
  return p && `${p[0]} — ${p[1]}`;
}

/** Throws a UserError (the cause, with the fix as its hint) when `text` is too long to send as a prompt. */
export function checkPromptLength(text: string): void {
  const p = problem(text);
  if (p) throw new UserError(p[0], { hint: p[1] });
}
