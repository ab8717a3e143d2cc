/**
 * What the prompt shows besides the editor, as logic: the Ctrl-R search over earlier prompts, the `@`
 * token and the path put in its place, and the queue of prompts typed during a turn.
 */
import { describe, expect, it } from 'vitest';
import * as ed from '../../../src/ui/editor.js';
import { atToken, insertPath, type FilePopup } from '../../../src/ui/file-popup.js';
import { acceptSearch, backspaceInSearch, matchText, olderMatch, startSearch, typeInSearch } from '../../../src/ui/history-search.js';
import { popupLines, queueLines, searchLines } from '../../../src/ui/prompt-view.js';
import { createStyle } from '../../../src/ui/style.js';
import { shellCommandOf } from '../../../src/ui/user-shell.js';

const RECALL = ['deploy staging', 'write notes', 'Deploy production', 'fix test', 'deploy production'];

describe('Ctrl-R history search', () => {
  it('finds the newest match, older ones on Ctrl-R (each text once), and fails without losing the match', () => {
    let s = startSearch(ed.emptyEditor(RECALL));
    s = typeInSearch(s, RECALL, 'depl');
    expect(matchText(s, RECALL)).toBe('deploy production');
    s = olderMatch(s, RECALL);
    expect(matchText(s, RECALL)).toBe('Deploy production'); // case-insensitive
    s = olderMatch(s, RECALL);
    expect(matchText(s, RECALL)).toBe('deploy staging');
    s = olderMatch(s, RECALL);
    expect(s.failed).toBe(true);
    expect(matchText(s, RECALL)).toBe('deploy staging');
    s = typeInSearch(s, RECALL, 'oy s');
    expect(matchText(s, RECALL)).toBe('deploy staging');
    s = typeInSearch(s, RECALL, 'x');
    expect(s.failed).toBe(true);
    s = backspaceInSearch(s, RECALL);
    expect(s).toMatchObject({ query: 'deploy s', failed: false });
    expect(matchText(s, RECALL)).toBe('deploy staging');
  });

  it('puts the match in the prompt on accept (recall continues from there); without a match, the draft', () => {
    const draft = ed.insert(ed.emptyEditor(RECALL), 'half typed');
    const s = typeInSearch(startSearch(draft), RECALL, 'notes');
    const e = acceptSearch(s, RECALL);
    expect(e).toMatchObject({ text: 'write notes', cursor: 11, recallAt: 1, draft: 'half typed' });
    expect(ed.up(e).text).toBe('deploy staging');
    expect(acceptSearch(typeInSearch(startSearch(draft), RECALL, 'zzz'), RECALL).text).toBe('half typed');
  });
});

describe('@ file token', () => {
  it('is a word starting with @ at the start or after whitespace, with the cursor in it', () => {
    expect(atToken('look at @src/ke', 15)).toEqual({ start: 8, end: 15, query: 'src/ke' });
    expect(atToken('@rea and more', 3)).toEqual({ start: 0, end: 4, query: 'rea' });
    expect(atToken('mail me@example.com', 19)).toBeNull();
    expect(atToken('look at @src', 4)).toBeNull();
    expect(atToken('just @', 6)).toEqual({ start: 5, end: 6, query: '' });
  });

  it('is replaced by the chosen path and a space, quoted when the path has spaces', () => {
    const popup = (start: number, end: number): FilePopup => ({ start, end, query: '', matches: [], selected: 0, indexing: false, searching: false });
    const e = { ...ed.emptyEditor(), text: 'see @bt and more', cursor: 7 };
    expect(insertPath(e, popup(4, 7), 'src/Button.tsx')).toMatchObject({ text: 'see src/Button.tsx and more', cursor: 19 });
    const f = { ...ed.emptyEditor(), text: 'see @gu', cursor: 7 };
    expect(insertPath(f, popup(4, 7), 'docs/button guide.md')).toMatchObject({ text: 'see "docs/button guide.md" ', cursor: 27 });
  });
});

describe('the queue of prompts typed during a turn', () => {
  it('shows the first line of each, in order, five at most, and how to take the last back', () => {
    const s = createStyle(false);
    expect(queueLines([], s, 80)).toEqual([]);
    const lines = queueLines(['one', 'two\nmore lines', 'three', 'four', 'five', 'six', 'seven'], s, 80);
    expect(lines).toEqual(['↳ one', '↳ two …', '↳ three', '↳ four', '↳ five', '  … 2 more', '  alt+↑ edit the last queued message']);
  });
});

describe('!cmd', () => {
  it('is a prompt starting with ! and a command; a lone ! is a prompt for the model', () => {
    expect(shellCommandOf('!ls -la')).toBe('ls -la');
    expect(shellCommandOf('  ! git status  ')).toBe('git status');
    expect(shellCommandOf('!')).toBeNull();
    expect(shellCommandOf('why does !x fail?')).toBeNull();
  });
});

describe('foreign text around the prompt', () => {
  const TITLE = '\x1b]0;pwned\x07';
  it('is shown inert: file names, earlier prompts, queued prompts', () => {
    const s = createStyle(false);
    const popup: FilePopup = { start: 0, end: 1, query: '', matches: [{ path: `evil${TITLE}.txt`, indexes: [0] }], selected: 0, indexing: false, searching: false };
    const shown = popupLines(popup, s, 80).join('\n');
    expect(shown).toContain('evil\\x1b]0;pwned\\x07.txt');
    expect(shown).not.toContain('\x1b');
    const recall = [`run ${TITLE}it`];
    const search = typeInSearch(startSearch(ed.emptyEditor(recall)), recall, 'run');
    const lines = searchLines(search, recall, s, (ch) => ch).join('\n');
    expect(lines).toContain('run \\x1b]0;pwned\\x07it');
    expect(lines).not.toContain('\x1b');
    expect(queueLines([`q${TITLE}`], s, 80)[0]).toBe('↳ q\\x1b]0;pwned\\x07');
  });

  it('never brings a control character into the prompt, recalled with ↑ or accepted from Ctrl-R', () => {
    const recall = [`run ${TITLE}it\tnow`];
    expect(ed.up(ed.emptyEditor(recall)).text).toBe('run ]0;pwnedit    now');
    expect(acceptSearch(typeInSearch(startSearch(ed.emptyEditor(recall)), recall, 'run'), recall).text).toBe('run ]0;pwnedit    now');
  });
});
