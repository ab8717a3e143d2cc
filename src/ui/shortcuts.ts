/**
 * The `?` overlay: the keys of the prompt, one per line in two aligned columns. `?` on an empty prompt
 * shows it and hides it again; any other key hides it. Whoever adds a key adds its line here.
 */
import { truncate, type Style } from './style.js';

export const SHORTCUTS: ReadonlyArray<{ keys: string; what: string }> = [
  { keys: 'enter', what: 'send the prompt (queued while a turn runs)' },
  { keys: 'shift+enter, ctrl+j', what: 'new line (also alt+enter, or \\ at the end of the line)' },
  { keys: '↑ / ↓', what: 'earlier prompts; in the / menu, move the highlight' },
  { keys: '/', what: 'commands (tab completes a name, enter runs the highlighted one)' },
  { keys: 'esc', what: 'interrupt the running turn' },
  { keys: 'ctrl+c', what: 'interrupt the turn, else clear the prompt, else ask to exit' },
  { keys: 'ctrl+d', what: 'exit (on an empty prompt)' },
  { keys: '@', what: 'find a file; tab or enter inserts its path' },
  { keys: '!', what: 'run a shell command in the session (!ls)' },
  { keys: 'ctrl+r', what: 'search earlier prompts' },
  { keys: 'alt+↑', what: 'edit the last queued prompt' },
  { keys: 'ctrl+a / ctrl+e', what: 'start / end of the line' },
  { keys: 'alt+← / alt+→', what: 'word left / right (also ctrl+← / ctrl+→, alt+b / alt+f)' },
  { keys: 'ctrl+u / ctrl+k / ctrl+w', what: 'delete to the start / to the end / the word before' },
  { keys: 'alt+d', what: 'delete the word after' },
  { keys: 'ctrl+o', what: 'show all of the last long command output' },
  { keys: 'ctrl+t', what: "open a subagent's transcript (esc back, ←/→ the others)" },
  { keys: 'pgup / pgdn', what: 'scroll a long diff or command being approved; with --alt-screen, the conversation' },
  { keys: '?', what: 'show or hide these shortcuts' },
];

export function shortcutsView(s: Style, columns: number): string {
  const width = Math.max(...SHORTCUTS.map((k) => k.keys.length));
  const rows = SHORTCUTS.map((k) => `  ${s.bold(k.keys.padEnd(width))}  ${s.dim(truncate(k.what, Math.max(8, columns - width - 5)))}`);
  return [s.dim('Shortcuts'), ...rows].join('\n');
}
