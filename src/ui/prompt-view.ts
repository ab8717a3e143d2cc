/**
 * How the prompt's extras are drawn: the prompts queued during a turn (above the prompt), the Ctrl-R
 * search (in the prompt's place) and the `@` file popup (under it).
 */
import type { FilePopup } from './file-popup.js';
import { matchText, type HistorySearch } from './history-search.js';
import { escapeControls, escapeLine } from '../shared/index.js';
import { truncate, type Style } from './style.js';

/** Queued prompts shown before "… N more". */
const QUEUE_SHOWN = 5;

/** The queued prompts, dim and in order (first line of each), with how to take the last one back. */
export function queueLines(queued: readonly string[], s: Style, columns: number): string[] {
  if (queued.length === 0) return [];
  const width = Math.max(8, columns - 4);
  const lines = queued.slice(0, QUEUE_SHOWN).map((q) => s.dim(`↳ ${truncate(escapeLine(q.split('\n')[0] ?? ''), width)}${q.includes('\n') ? ' …' : ''}`));
  if (queued.length > QUEUE_SHOWN) lines.push(s.dim(`  … ${queued.length - QUEUE_SHOWN} more`));
  lines.push(s.dim('  alt+↑ edit the last queued message'));
  return lines;
}

/** The query's first occurrence in `text`, highlighted. */
function highlight(text: string, query: string, s: Style): string {
  if (query === '') return text;
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  if (at === -1) return text;
  return `${text.slice(0, at)}${s.bold(s.yellow(text.slice(at, at + query.length)))}${text.slice(at + query.length)}`;
}

/** The Ctrl-R search: the match (its lines) and the search line under it. */
export function searchLines(search: HistorySearch, recall: readonly string[], s: Style, cursor: (ch: string) => string): string[] {
  // An earlier prompt is shown inert: history.jsonl may hold text another program wrote.
  const match = matchText(search, recall);
  const lines = escapeControls(match ?? '').split('\n').map((l, i) => (i === 0 ? `${s.cyan('›')} ${highlight(l, search.query, s)}` : `  ${highlight(l, search.query, s)}`));
  const label = search.failed ? 'failing reverse-i-search' : 'reverse-i-search';
  lines.push(`${s.dim(`${label}:`)} ${escapeLine(search.query)}${cursor(' ')} ${s.dim('(ctrl-r older · enter to use · esc to cancel)')}`);
  return lines;
}

function markMatched(path: string, indexes: readonly number[], s: Style): string {
  if (indexes.length === 0) return path;
  const marked = new Set(indexes);
  let out = '';
  for (let i = 0; i < path.length; i++) out += marked.has(i) ? s.bold(s.cyan(path[i] as string)) : path[i];
  return out;
}

/** The `@` popup: the matching files, the selected one marked; or why there are none. */
export function popupLines(popup: FilePopup, s: Style, columns: number): string[] {
  if (popup.matches.length === 0) {
    if (popup.indexing) return [s.dim('  indexing files…')];
    return [s.dim(popup.searching ? '  searching…' : '  no matching files')];
  }
  const width = Math.max(8, columns - 4);
  const lines = popup.matches.map((m, i) => {
    // A file name is foreign text: one with control characters is shown escaped (and unmarked).
    const inert = escapeLine(m.path);
    const path = inert !== m.path || inert.length > width ? truncate(inert, width) : markMatched(m.path, m.indexes, s);
    return i === popup.selected ? `${s.cyan('›')} ${s.bold(path)}` : `  ${path}`;
  });
  lines.push(s.dim('  tab or enter to insert · esc to close'));
  return lines;
}
