/**
 * The `@` file popup: while the cursor is in a word starting with `@`, the files matching the rest of it
 * are listed under the prompt; ↑/↓ (Ctrl-P/N) move the selection, Tab or Enter put the selected path in
 * place of the `@word` (quoted when it has spaces), Esc closes the list until another `@word` is typed.
 */
import type { EditorState } from './editor.js';
import { FileFinder, type FileMatch } from './file-search/index.js';

/** Rows of matches the popup shows. */
export const POPUP_ROWS = 8;

export interface FilePopup {
  /** Where the `@` is in the prompt, and where the word ends. */
  start: number;
  end: number;
  query: string;
  matches: readonly FileMatch[];
  selected: number;
  /** The file index is being built for the first time. */
  indexing: boolean;
  /** A search for `query` has not answered yet (the matches shown are for an earlier query). */
  searching: boolean;
}

/** The `@word` the cursor is in or just after: `@` at the start of the prompt or after whitespace. */
export function atToken(text: string, cursor: number): { start: number; end: number; query: string } | null {
  let start = cursor;
  while (start > 0 && !/\s/.test(text[start - 1] as string)) start--;
  if (text[start] !== '@' || start >= cursor) return null;
  let end = cursor;
  while (end < text.length && !/\s/.test(text[end] as string)) end++;
  return { start, end, query: text.slice(start + 1, end) };
}

/** The prompt with the selected path in place of the `@word`, followed by a space. */
export function insertPath(e: EditorState, popup: FilePopup, path: string): EditorState {
  const shown = /\s/.test(path) ? `"${path.replace(/"/g, '\\"')}"` : path;
  const text = `${e.text.slice(0, popup.start)}${shown} ${e.text.slice(popup.end).replace(/^ /, '')}`;
  return { ...e, text, cursor: popup.start + shown.length + 1 };
}

/** Keeps the popup in step with the prompt, searching the files as the `@word` changes. */
export class FilePopups {
  private finder: FileFinder | null = null;
  /** The `@` position the user closed the popup at (it stays closed while that word is edited). */
  private dismissed: number | null = null;

  constructor(
    private readonly root: () => string,
    private readonly get: () => FilePopup | null,
    private readonly set: (popup: FilePopup | null) => void,
  ) {}

  /** The prompt changed: open, update or close the popup. */
  update(e: EditorState): void {
    const token = atToken(e.text, e.cursor);
    if (token === null || token.start === this.dismissed) {
      if (token === null) this.dismissed = null;
      if (this.get() !== null) this.set(null);
      return;
    }
    const old = this.get();
    if (old && old.start === token.start && old.query === token.query) {
      if (old.end !== token.end) this.set({ ...old, end: token.end });
      return;
    }
    this.set({ ...token, matches: old?.matches ?? [], selected: 0, indexing: old?.indexing ?? false, searching: true });
    const finder = this.finderFor(this.root());
    finder.search(token.query, POPUP_ROWS, (found) => {
      const now = this.get();
      if (!now || now.query !== found.query || now.start !== token.start) return;
      this.set({ ...now, matches: found.matches, indexing: found.indexing, searching: found.indexing, selected: Math.min(now.selected, Math.max(0, found.matches.length - 1)) });
    });
  }

  /** Esc: closes the popup for this `@word`. */
  dismiss(): void {
    const p = this.get();
    if (p) this.dismissed = p.start;
    this.set(null);
  }

  /** ↑/↓: moves the selection (wrapping). */
  move(delta: number): void {
    const p = this.get();
    if (!p || p.matches.length === 0) return;
    const n = p.matches.length;
    this.set({ ...p, selected: (p.selected + delta + n) % n });
  }

  /** The selected match, if any. */
  selected(): FileMatch | null {
    const p = this.get();
    return p?.matches[p.selected] ?? null;
  }

  close(): void {
    this.finder?.close();
    this.finder = null;
  }

  private finderFor(root: string): FileFinder {
    if (this.finder?.root !== root) {
      this.finder?.close();
      this.finder = new FileFinder(root);
    }
    return this.finder;
  }
}
