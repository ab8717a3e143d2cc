/**
 * Ctrl-R: search the earlier prompts (history.jsonl and this session's), newest first, as a shell's
 * reverse-i-search does. Typing narrows the search (case-insensitive substring), Ctrl-R again finds the
 * next older match, Enter (or Tab, →) puts the match in the prompt to edit or send, Esc / Ctrl-G / Ctrl-C
 * go back to what was being typed. Pure functions of the state, like the editor.
 */
import { promptText, type EditorState } from './editor.js';

export interface HistorySearch {
  query: string;
  /** Index into the recall list of the match shown, or null (none yet, or none found). */
  at: number | null;
  /** The last search found nothing (the previous match, if any, stays shown). */
  failed: boolean;
  /** The prompt as it was when the search started. */
  draft: EditorState;
}

export const startSearch = (draft: EditorState): HistorySearch => ({ query: '', at: null, failed: false, draft });

/** The newest entry before index `before` containing `query`, skipping ones equal to `skip`. */
function findBefore(recall: readonly string[], query: string, before: number, skip?: string): number | null {
  const q = query.toLowerCase();
  for (let i = Math.min(before, recall.length) - 1; i >= 0; i--) {
    const entry = recall[i] as string;
    if (entry === skip) continue;
    if (entry.toLowerCase().includes(q)) return i;
  }
  return null;
}

/** The query changed: search again from the current match (inclusive), else from the newest entry. */
function research(s: HistorySearch, recall: readonly string[], query: string): HistorySearch {
  if (query === '') return { ...s, query, at: null, failed: false };
  const from = s.at !== null && !s.failed ? s.at + 1 : recall.length;
  const at = findBefore(recall, query, from) ?? findBefore(recall, query, recall.length);
  return at === null ? { ...s, query, failed: true } : { ...s, query, at, failed: false };
}

export const typeInSearch = (s: HistorySearch, recall: readonly string[], text: string): HistorySearch => research(s, recall, s.query + text.replace(/\n/g, ' '));

export function backspaceInSearch(s: HistorySearch, recall: readonly string[]): HistorySearch {
  const chars = [...s.query];
  chars.pop();
  return research({ ...s, at: null, failed: false }, recall, chars.join(''));
}

/** Ctrl-R again: the next older match. */
export function olderMatch(s: HistorySearch, recall: readonly string[]): HistorySearch {
  const from = s.at ?? recall.length;
  const at = findBefore(recall, s.query, from, s.at === null ? undefined : recall[s.at]);
  return at === null ? { ...s, failed: true } : { ...s, at, failed: false };
}

/** The matched prompt, or null. */
export const matchText = (s: HistorySearch, recall: readonly string[]): string | null => (s.at === null ? null : (recall[s.at] ?? null));

/** Enter: the prompt holds the match (recall continues from it with ↑/↓); without one, the draft. */
export function acceptSearch(s: HistorySearch, recall: readonly string[]): EditorState {
  const match = matchText(s, recall);
  if (match === null) return s.draft;
  const text = promptText(match);
  return { ...s.draft, text, cursor: text.length, recallAt: s.at, draft: s.draft.text };
}
