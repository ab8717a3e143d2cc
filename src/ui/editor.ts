/**
 * The prompt editor as a value: text, cursor, and recall of earlier prompts. Pure functions from one
 * state to the next, so every key is easy to test and the component only draws.
 */
export interface EditorState {
  text: string;
  /** Offset into `text` (UTF-16 units, always on a code point boundary). */
  cursor: number;
  /** Earlier prompts, oldest first. */
  recall: readonly string[];
  /** Index into `recall` while browsing it, else null. */
  recallAt: number | null;
  /** What was being typed before browsing started. */
  draft: string;
}

export const emptyEditor = (recall: readonly string[] = []): EditorState => ({ text: '', cursor: 0, recall, recallAt: null, draft: '' });

const set = (e: EditorState, text: string, cursor: number): EditorState => ({ ...e, text, cursor: Math.max(0, Math.min(cursor, text.length)) });

/** Text as the prompt may hold it: never a control character — newlines stay, tabs become spaces, the rest is dropped. */
export function promptText(input: string): string {
  return input
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');
}

export function insert(e: EditorState, input: string): EditorState {
  const clean = promptText(input);
  if (clean === '') return e;
  return set(e, e.text.slice(0, e.cursor) + clean + e.text.slice(e.cursor), e.cursor + clean.length);
}

function prevBoundary(text: string, at: number): number {
  if (at <= 0) return 0;
  const code = text.charCodeAt(at - 1);
  return code >= 0xdc00 && code <= 0xdfff && at >= 2 ? at - 2 : at - 1;
}

function nextBoundary(text: string, at: number): number {
  if (at >= text.length) return text.length;
  const code = text.charCodeAt(at);
  return code >= 0xd800 && code <= 0xdbff ? at + 2 : at + 1;
}

export function backspace(e: EditorState): EditorState {
  if (e.cursor === 0) return e;
  const from = prevBoundary(e.text, e.cursor);
  return set(e, e.text.slice(0, from) + e.text.slice(e.cursor), from);
}

export function deleteForward(e: EditorState): EditorState {
  if (e.cursor >= e.text.length) return e;
  return set(e, e.text.slice(0, e.cursor) + e.text.slice(nextBoundary(e.text, e.cursor)), e.cursor);
}

export const left = (e: EditorState): EditorState => set(e, e.text, prevBoundary(e.text, e.cursor));
export const right = (e: EditorState): EditorState => set(e, e.text, nextBoundary(e.text, e.cursor));

const lineStart = (text: string, at: number): number => text.lastIndexOf('\n', at - 1) + 1;
const lineEnd = (text: string, at: number): number => {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
};

export const home = (e: EditorState): EditorState => set(e, e.text, lineStart(e.text, e.cursor));
export const end = (e: EditorState): EditorState => set(e, e.text, lineEnd(e.text, e.cursor));

/** Ctrl-U: delete to the start of the line. */
export function killToStart(e: EditorState): EditorState {
  const from = lineStart(e.text, e.cursor);
  return set(e, e.text.slice(0, from) + e.text.slice(e.cursor), from);
}

/** Ctrl-K: delete to the end of the line. */
export function killToEnd(e: EditorState): EditorState {
  const to = lineEnd(e.text, e.cursor);
  return set(e, e.text.slice(0, e.cursor) + e.text.slice(to === e.cursor ? to + 1 : to), e.cursor);
}

/** Characters that end a word for word motion, besides whitespace (as in shells and Codex's composer). */
const SEPARATORS = '`~!@#$%^&*()-=+[{]}\\|;:\'",.<>/?';
type CharClass = 'space' | 'separator' | 'word';
const classOf = (ch: string): CharClass => (/\s/.test(ch) ? 'space' : SEPARATORS.includes(ch) ? 'separator' : 'word');

/** Where the word before `at` starts: whitespace skipped, then a run of word characters (or of separators). */
export function wordStartBefore(text: string, at: number): number {
  let i = at;
  while (i > 0 && classOf(text[i - 1] as string) === 'space') i--;
  if (i === 0) return 0;
  const kind = classOf(text[i - 1] as string);
  while (i > 0 && classOf(text[i - 1] as string) === kind) i--;
  return i;
}

/** Where the word after `at` ends: whitespace skipped, then a run of word characters (or of separators). */
export function wordEndAfter(text: string, at: number): number {
  let i = at;
  while (i < text.length && classOf(text[i] as string) === 'space') i++;
  if (i >= text.length) return text.length;
  const kind = classOf(text[i] as string);
  while (i < text.length && classOf(text[i] as string) === kind) i++;
  return i;
}

/** Alt+←, Ctrl+←, Alt+B: to the start of the word before the cursor. */
export const wordLeft = (e: EditorState): EditorState => set(e, e.text, wordStartBefore(e.text, e.cursor));
/** Alt+→, Ctrl+→, Alt+F: to the end of the word after the cursor. */
export const wordRight = (e: EditorState): EditorState => set(e, e.text, wordEndAfter(e.text, e.cursor));

/** Ctrl-W / Alt-Backspace: delete the word before the cursor. */
export function deleteWord(e: EditorState): EditorState {
  const from = wordStartBefore(e.text, e.cursor);
  return set(e, e.text.slice(0, from) + e.text.slice(e.cursor), from);
}

/** Alt-D / Ctrl+Delete: delete the word after the cursor. */
export function deleteWordForward(e: EditorState): EditorState {
  const to = wordEndAfter(e.text, e.cursor);
  return set(e, e.text.slice(0, e.cursor) + e.text.slice(to), e.cursor);
}

function recallTo(e: EditorState, at: number | null): EditorState {
  // An earlier prompt from history.jsonl (another program may have written it) gets no control character in either.
  const text = at === null ? e.draft : promptText(e.recall[at] ?? '');
  return { ...e, text, cursor: text.length, recallAt: at, draft: e.recallAt === null ? e.text : e.draft };
}

/** Up: the line above, or from the first line the previous prompt. */
export function up(e: EditorState): EditorState {
  const start = lineStart(e.text, e.cursor);
  if (start > 0) {
    const col = e.cursor - start;
    const prevStart = lineStart(e.text, start - 1);
    return set(e, e.text, Math.min(prevStart + col, start - 1));
  }
  if (e.recall.length === 0) return e;
  const at = e.recallAt === null ? e.recall.length - 1 : Math.max(0, e.recallAt - 1);
  return recallTo(e, at);
}

/** Down: the line below, or from the last line the next prompt (and finally the draft). */
export function down(e: EditorState): EditorState {
  const endAt = lineEnd(e.text, e.cursor);
  if (endAt < e.text.length) {
    const col = e.cursor - lineStart(e.text, e.cursor);
    const nextStart = endAt + 1;
    return set(e, e.text, Math.min(nextStart + col, lineEnd(e.text, nextStart)));
  }
  if (e.recallAt === null) return e;
  return recallTo(e, e.recallAt + 1 >= e.recall.length ? null : e.recallAt + 1);
}

/**
 * Enter: submit, or continue on a new line when the text ends with a backslash. Returns the text to
 * submit (null when the editor keeps the text) and the next state.
 */
export function enter(e: EditorState): { submit: string | null; next: EditorState } {
  if (e.cursor === e.text.length && e.text.endsWith('\\')) {
    return { submit: null, next: set(e, `${e.text.slice(0, -1)}\n`, e.text.length) };
  }
  if (e.text.trim() === '') return { submit: null, next: e };
  const recall = e.recall[e.recall.length - 1] === e.text ? e.recall : [...e.recall, e.text];
  return { submit: e.text, next: emptyEditor(recall) };
}

/** The lines of the editor with the cursor painted where it is. */
export function renderEditor(e: EditorState, cursor: (ch: string) => string): string[] {
  const before = e.text.slice(0, e.cursor);
  const at = e.text.slice(e.cursor, nextBoundary(e.text, e.cursor));
  const after = e.text.slice(e.cursor + at.length);
  const shown = at === '' || at === '\n' ? `${before}${cursor(' ')}${at}${after}` : `${before}${cursor(at)}${after}`;
  return shown.split('\n');
}
