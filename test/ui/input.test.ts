/**
 * Typing in a real terminal (tmux) against the scripted server: keys that arrive together (a burst of
 * Backspaces, two Ctrl-Cs in one write), escape sequences split across writes, Shift+Enter in the
 * modifyOtherKeys and kitty forms, bracketed paste, UTF-8 split across writes, word motion and
 * deletion, Ctrl-R history search, the `@` file popup, `!cmd`, and the prompts queued during a turn. What the server received is checked each time.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome } from '../support/cli.js';
import { startScriptedServer, stallAfter, turn, type ScriptedServer } from '../support/scripted-server.js';
import { Terminal } from './tmux.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocx-input-ws-'));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

function home(extra: Record<string, string> = {}): string {
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\napproval_policy = "never"\nsandbox_mode = "danger-full-access"\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 0\n`,
    ...extra,
  });
}

type Json = Record<string, unknown>;
/** The text of the user messages of request `n` (the prompts the model got). */
function userTexts(n: number): string[] {
  const input = (server.requests[n]?.body?.input ?? []) as Json[];
  return input
    .filter((i) => i.type === 'message' && i.role === 'user')
    .map((i) => ((i.content ?? []) as Json[]).map((c) => String(c.text ?? '')).join(''));
}
const lastPrompt = (n: number): string => userTexts(n).at(-1) ?? '';

async function start(o: { cwd?: string; home?: string; args?: string[] } = {}): Promise<{ term: Terminal; cwd: string }> {
  const cwd = o.cwd ?? workspace();
  const term = await Terminal.start({ args: o.args ?? [], cwd, env: { OPENCODEX_HOME: o.home ?? home(), HOME: cwd, MOCK_KEY: 'k' } });
  await term.waitFor(/ask anything/);
  return { term, cwd };
}

describe('keys in a terminal', () => {
  it('takes a burst of Backspaces as Backspaces, and never sends a control character', async () => {
    server.reset();
    server.reply(turn({ text: 'Got the burst.' }));
    const { term } = await start();
    try {
      await term.type('hello worldXYZ');
      await term.waitFor(/› hello worldXYZ/);
      await term.bytes('\x7f\x7f\x7f');
      await term.waitFor((s) => /› hello world\s*$/m.test(s) && !s.includes('XYZ'));
      // Ctrl-U, Ctrl-A, Ctrl-E and Ctrl-K arriving together are keys too.
      await term.bytes('\x01>\x05<');
      await term.waitFor(/› >hello world</);
      await term.press('Enter');
      await term.waitFor(/Got the burst\./);
      expect(lastPrompt(0)).toBe('>hello world<');
      expect(JSON.stringify(server.requests[0]?.body)).not.toMatch(/\\u007f|\\u0001|\\u0005/);
    } finally {
      await term.close();
    }
  }, 60_000);

  it('takes two Ctrl-Cs in one write as two presses: they interrupt the turn (and only that); Ctrl-C and x in one write exit', async () => {
    server.reset();
    server.reply(stallAfter(6, { text: 'This answer starts and then stalls for ever.', deltaSize: 4 }));
    const { term } = await start();
    try {
      await term.submit('take your time');
      await term.waitFor(/esc to interrupt/);
      await term.bytes('\x03\x03');
      const screen = await term.waitFor((s) => /Interrupted\./.test(s) && /ask anything/.test(s));
      expect(screen).not.toMatch(/\[exit|Exit opencodex\?/);
      // The prompt is empty: nothing of the burst was typed into it.
      expect(screen).toMatch(/›\s+ask anything/);
      await term.bytes('\x03x'); // Ctrl-C asks "Exit opencodex?", x answers Exit
      await term.waitFor(/\[exit 0\]/);
    } finally {
      await term.close();
    }
  }, 60_000);

  it('reads Shift+Enter (modifyOtherKeys and kitty forms), split escape sequences, UTF-8 split across writes, and pastes', async () => {
    server.reset();
    server.reply(turn({ text: 'Two lines received.' }), turn({ text: 'Paste received.' }));
    const { term } = await start();
    try {
      await term.type('first');
      await term.waitFor(/› first/);
      await term.bytes('\x1b[27;2;13~');
      await term.type('second');
      await term.bytes('\x1b[13;2u');
      await term.type('third ac');
      await term.waitFor(/third ac/);
      // Left arrow in two writes: ESC [ then D; then a euro sign in two writes.
      await term.bytes('\x1b[');
      await term.bytes('D');
      await term.type('b');
      await term.bytes('\xe2\x82');
      await term.bytes('\xac');
      let screen = await term.waitFor(/third ab€c/);
      expect(screen).toMatch(/› first\n\s+second\n\s+third ab€c/);
      await term.press('Enter');
      await term.waitFor(/Two lines received\./);
      expect(lastPrompt(0)).toBe('first\nsecond\nthird ab€c');

      // A bracketed paste: newlines kept, its control bytes dropped, its Enter and Ctrl-C not executed.
      await term.bytes('\x1b[200~pasted one\r\n\x03pasted two\r\x1b[201~');
      screen = await term.waitFor(/› pasted one\n\s+pasted two/);
      expect(screen).not.toMatch(/Paste received/);
      await term.press('Enter');
      await term.waitFor(/Paste received\./);
      expect(lastPrompt(1)).toBe('pasted one\npasted two\n');
    } finally {
      await term.close();
    }
  }, 60_000);

  it('moves and deletes by word: Alt+B/F, Alt/Ctrl+arrows, Ctrl-W, Alt-Backspace, Alt-D', async () => {
    server.reset();
    server.reply(turn({ text: 'Words received.' }));
    const { term } = await start();
    try {
      await term.type('one two three four');
      await term.waitFor(/› one two three four/);
      await term.press('M-b'); // before "four"
      await term.press('M-b'); // before "three"
      await term.type('X');
      await term.waitFor(/› one two Xthree four/);
      await term.press('C-Left', 'C-Left'); // before "two"
      await term.press('C-w'); // deletes "one "
      await term.waitFor(/› two Xthree four/);
      await term.press('M-Right'); // after "two"
      await term.press('M-d'); // deletes " Xthree"
      await term.waitFor(/› two four/);
      await term.press('End');
      await term.press('M-BSpace'); // deletes "four"
      await term.waitFor((s) => /› two\s*$/m.test(s));
      await term.type('done');
      await term.press('M-f');
      await term.waitFor(/› two done/);
      await term.press('Enter');
      await term.waitFor(/Words received\./);
      expect(lastPrompt(0)).toBe('two done');
    } finally {
      await term.close();
    }
  }, 60_000);

  it('searches earlier prompts with Ctrl-R', async () => {
    server.reset();
    server.reply(turn({ text: 'Searched and sent.' }));
    const history = ['deploy the staging server', 'write the release notes', 'deploy the production server', 'fix the flaky test']
      .map((text, i) => JSON.stringify({ conversation_id: 'c', ts: 1700000000 + i, text }))
      .join('\n');
    const { term } = await start({ home: home({ 'history.jsonl': `${history}\n` }) });
    try {
      await term.press('C-r');
      await term.waitFor(/reverse-i-search:/);
      await term.type('deploy');
      await term.waitFor(/› deploy the production server[\s\S]*reverse-i-search: deploy/);
      await term.press('C-r');
      await term.waitFor(/› deploy the staging server/);
      await term.press('C-r');
      await term.waitFor(/failing reverse-i-search: deploy/);
      await term.press('Enter');
      let screen = await term.waitFor((s) => /› deploy the staging server/.test(s) && !/reverse-i-search/.test(s));
      expect(screen).not.toMatch(/Searched and sent/);
      await term.type(' now');
      await term.press('Enter');
      await term.waitFor(/Searched and sent\./);
      expect(lastPrompt(0)).toBe('deploy the staging server now');
      // Esc gives back what was typed before the search.
      await term.type('draft');
      await term.press('C-r');
      await term.type('notes');
      await term.waitFor(/› write the release notes/);
      await term.press('Escape');
      screen = await term.waitFor((s) => /› draft/.test(s) && !/reverse-i-search/.test(s));
      expect(server.requests).toHaveLength(1);
    } finally {
      await term.close();
    }
  }, 60_000);

  it('finds files with @: fuzzy, .gitignore respected, Tab or Enter inserts the path, Esc closes the list', async () => {
    server.reset();
    server.reply(turn({ text: 'Looked at it.' }));
    const cwd = workspace();
    for (const dir of ['src/components', 'src/utils', 'build', 'docs']) mkdirSync(join(cwd, dir), { recursive: true });
    writeFileSync(join(cwd, '.gitignore'), 'build/\n');
    writeFileSync(join(cwd, 'src/components/Button.tsx'), '');
    writeFileSync(join(cwd, 'src/utils/format.ts'), '');
    writeFileSync(join(cwd, 'build/Button.js'), '');
    writeFileSync(join(cwd, 'docs/button guide.md'), '');
    const { term } = await start({ cwd });
    try {
      await term.type('look at @btntsx');
      let screen = await term.waitFor(/src\/components\/Button\.tsx[\s\S]*tab or enter to insert/);
      expect(screen).not.toMatch(/build\/Button/);
      expect(screen).toMatch(/› src\/components\/Button\.tsx/); // the best match is selected
      await term.press('Tab');
      screen = await term.waitFor((s) => /› look at src\/components\/Button\.tsx\s*$/m.test(s) && !/tab or enter to insert/.test(s));
      // A path with a space is quoted; Enter picks the selected match (it does not send).
      await term.type('and @guide');
      await term.waitFor(/docs\/button guide\.md[\s\S]*tab or enter to insert/);
      await term.press('Enter');
      await term.waitFor((s) => s.includes('and "docs/button guide.md"') && !/tab or enter to insert/.test(s));
      // Esc closes the list for this word; the text stays as typed.
      await term.type('@form');
      await term.waitFor(/src\/utils\/format\.ts[\s\S]*tab or enter to insert/);
      await term.press('Escape');
      screen = await term.waitFor((s) => !/tab or enter to insert/.test(s));
      expect(screen).toMatch(/@form/);
      await term.press('C-w', 'C-w'); // "form", then "@"
      await term.type('please');
      await term.press('Enter');
      await term.waitFor(/Looked at it\./);
      expect(lastPrompt(0)).toBe('look at src/components/Button.tsx and "docs/button guide.md" please');
      expect(server.requests).toHaveLength(1);
    } finally {
      await term.close();
    }
  }, 60_000);

  it('runs !cmd in the session: its output shown like a command, its record sent to the model with the next prompt', async () => {
    server.reset();
    server.reply(turn({ text: 'I saw the listing.' }));
    const cwd = workspace();
    writeFileSync(join(cwd, 'notes.txt'), 'remember the milk\n');
    const { term } = await start({ cwd });
    try {
      await term.submit('!cat notes.txt; echo "exit soon" >&2; exit 3');
      let screen = await term.waitFor((s) => /cat notes\.txt/.test(s) && /remember the milk/.test(s) && /ask anything/.test(s));
      expect(screen).toMatch(/✗ cat notes\.txt; echo "exit soon" >&2; exit 3 +exit 3 · \d+ms\n\s+│ remember the milk\n\s+│ exit soon/);
      expect(server.requests).toHaveLength(0); // the command alone asks the model nothing
      await term.submit('what did it say?');
      await term.waitFor(/I saw the listing\./);
      const texts = userTexts(0);
      const record = texts.find((t) => t.startsWith('<user_shell_command>')) ?? '';
      expect(record).toContain('<command>\ncat notes.txt; echo "exit soon" >&2; exit 3\n</command>');
      expect(record).toContain('Exit code: 3');
      expect(record).toMatch(/remember the milk/);
      expect(texts.at(-1)).toBe('what did it say?');
      screen = await term.screen();
      expect(screen).not.toMatch(/user_shell_command/);
    } finally {
      await term.close();
    }
  }, 60_000);

  it('shows the prompts queued during a turn in order, lets the last be taken back with Alt+Up, then sends them one by one', async () => {
    server.reset();
    const cwd = workspace();
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'while [ ! -f go ]; do sleep 0.05; done; echo released' }, callId: 'wait' }] }),
      turn({ text: 'First turn done.' }),
      turn({ text: 'Answer to the first queued.' }),
      turn({ text: 'Answer to the second queued.' }),
      turn({ text: 'Answer to the edited one.' }),
    );
    const { term } = await start({ cwd });
    try {
      await term.submit('start working');
      await term.waitFor(/esc to interrupt/);
      await term.submit('first queued');
      await term.submit('second queued');
      await term.submit('third queued');
      let screen = await term.waitFor(/↳ first queued\n\s*↳ second queued\n\s*↳ third queued/);
      expect(screen).toMatch(/alt\+↑ edit the last queued message/);
      expect(screen).toMatch(/3 queued/);
      // Alt+Up: "third queued" comes back into the prompt; edit it and queue it again.
      await term.press('M-Up');
      screen = await term.waitFor((s) => /› third queued/.test(s) && !/↳ third queued/.test(s));
      expect(screen).toMatch(/↳ first queued\n\s*↳ second queued/);
      await term.press('C-u');
      await term.submit('second queued, edited');
      await term.waitFor(/↳ first queued\n\s*↳ second queued\n\s*↳ second queued, edited/);
      writeFileSync(join(cwd, 'go'), '');
      await term.waitFor(/Answer to the edited one\./);
      await term.waitFor((s) => !s.includes('↳'));
      // Sent one by one, in order, after the turn: each queued prompt is a turn of its own.
      expect(server.requests.map((_, i) => lastPrompt(i))).toEqual(['start working', 'start working', 'first queued', 'second queued', 'second queued, edited']);
      const all = await term.all();
      expect(all.indexOf('Answer to the first queued.')).toBeLessThan(all.indexOf('› second queued'));
    } finally {
      await term.close();
    }
  }, 90_000);
});
