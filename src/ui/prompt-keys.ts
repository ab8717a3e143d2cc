/**
 * Keys for what the prompt shows besides the editor: the Ctrl-R history search (history-search.ts) and
 * the `@` file popup (file-popup.ts). The key handler asks here first; what is not taken goes on to
 * the editor.
 */
import type { UiController } from './controller.js';
import type { EditorState } from './editor.js';
import { FilePopups, insertPath } from './file-popup.js';
import { acceptSearch, backspaceInSearch, olderMatch, startSearch, typeInSearch, type HistorySearch } from './history-search.js';
import type { KeyInfo } from './keys.js';

const isPlain = (key: KeyInfo): boolean =>
  !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && !key.backspace && !key.delete && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.home && !key.end;

export class PromptKeys {
  readonly files: FilePopups;

  constructor(private readonly c: UiController) {
    this.files = new FilePopups(
      () => c.settings.cwd,
      () => c.extras.files,
      (files) => c.setFilePopup(files),
    );
  }

  get searching(): boolean {
    return this.c.extras.search !== null;
  }

  private setSearch(search: HistorySearch | null): void {
    this.c.setSearch(search);
  }

  private setEditor(e: EditorState): void {
    this.c.setEditor(e);
    this.files.update(e);
  }

  /** Ctrl-R in the editor: starts searching the earlier prompts. */
  startSearch(): void {
    this.files.dismiss();
    this.setSearch(startSearch(this.c.editor));
  }

  /** Esc, Ctrl-G, Ctrl-C: back to what was typed before the search. */
  cancelSearch(): void {
    const s = this.c.extras.search;
    if (!s) return;
    this.setSearch(null);
    this.setEditor(s.draft);
  }

  /** Enter, Tab and the motion keys: the match goes into the prompt. */
  acceptSearch(): void {
    const s = this.c.extras.search;
    if (!s) return;
    this.setSearch(null);
    this.setEditor(acceptSearch(s, this.c.editor.recall));
  }

  /**
   * A key while searching. Returns true when the search took it; false when the search ended and the
   * key is for the editor (an arrow key moves in the accepted prompt, as in a shell).
   */
  searchKey(input: string, key: KeyInfo): boolean {
    const s = this.c.extras.search;
    if (!s) return false;
    const recall = this.c.editor.recall;
    if (key.escape || (key.ctrl && (input === 'g' || input === 'c'))) {
      this.cancelSearch();
      return true;
    }
    if (key.ctrl && input === 'r') {
      this.setSearch(olderMatch(s, recall));
      return true;
    }
    if (key.backspace) {
      this.setSearch(backspaceInSearch(s, recall));
      return true;
    }
    if (key.return || key.tab) {
      this.acceptSearch();
      return true;
    }
    if (isPlain(key) && input !== '') {
      this.setSearch(typeInSearch(s, recall, input));
      return true;
    }
    this.acceptSearch();
    return false;
  }

  /** A key while the `@` popup is open; true when the popup took it. */
  popupKey(input: string, key: KeyInfo): boolean {
    const popup = this.c.extras.files;
    if (!popup) return false;
    const hasMatches = popup.matches.length > 0;
    if (hasMatches && (key.upArrow || (key.ctrl && input === 'p'))) {
      this.files.move(-1);
      return true;
    }
    if (hasMatches && (key.downArrow || (key.ctrl && input === 'n'))) {
      this.files.move(1);
      return true;
    }
    if (key.tab || (key.return && !key.shift && !key.meta && hasMatches)) {
      const chosen = this.files.selected();
      if (chosen) this.setEditor(insertPath(this.c.editor, popup, chosen.path));
      return true;
    }
    return false;
  }

  /** The prompt changed: the popup follows it. */
  afterEdit(): void {
    this.files.update(this.c.editor);
  }

  close(): void {
    this.files.close();
  }
}
