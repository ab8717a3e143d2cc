/**
 * What the prompt shows besides the editor: the Ctrl-R history search and the `@` file popup. Kept in
 * the controller's snapshot as one value (`extras`), changed only by the key handling.
 */
import type { FilePopup } from './file-popup.js';
import type { HistorySearch } from './history-search.js';

export interface PromptExtras {
  /** Ctrl-R is searching the earlier prompts. */
  search: HistorySearch | null;
  /** The cursor is in an `@path` token: the files that match it. */
  files: FilePopup | null;
}

export const NO_EXTRAS: PromptExtras = Object.freeze({ search: null, files: null });
