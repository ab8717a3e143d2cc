/**
 * Parsed input through the key handler, in process: what ends up in the prompt and what is sent when
 * keys arrive together in one chunk (bursts, Enter inside typed text, two Ctrl-Cs), as Shift+Enter
 * sequences, or as a bracketed paste. No model is reached: sending is recorded.
 */
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../../src/config/index.js';
import { UiController } from '../../../src/ui/controller.js';
import { InputParser } from '../../../src/ui/input/index.js';
import { KeyHandler } from '../../../src/ui/keys.js';
import { createStyle } from '../../../src/ui/style.js';
import { makeHome } from '../../support/cli.js';

function setup(recall: readonly string[] = []) {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "http://127.0.0.1:9/v1"\nenv_key = "MOCK_KEY"\n`,
  });
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k' };
  const loaded = loadConfig({ home, env });
  const exits: number[] = [];
  const c = new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: createStyle(false),
    env,
    persistence: { recall },
    onExit: () => exits.push(1),
  });
  const sent: string[] = [];
  c.send = (text: string) => {
    sent.push(text);
  };
  const keys = new KeyHandler(c);
  const parser = new InputParser();
  /** Each argument is one chunk from the terminal. */
  const input = (...chunks: string[]): void => {
    for (const chunk of chunks) keys.dispatch(parser.push(chunk));
  };
  const flush = (): void => keys.dispatch(parser.flush());
  return { c, keys, sent, exits, input, flush };
}

describe('keys arriving together', () => {
  it('takes a burst of Backspaces as Backspaces, never as text', () => {
    const t = setup();
    t.input('hello worldXYZ', '\x7f\x7f\x7f');
    expect(t.c.editor.text).toBe('hello world');
    t.input('\x01>\x05<'); // Ctrl-A > Ctrl-E <
    expect(t.c.editor.text).toBe('>hello world<');
    t.input('\x1b[D\x1b[D\x1b[3~'); // ← ← Delete
    expect(t.c.editor.text).toBe('>hello worl<');
  });

  it('submits at each Enter inside typed text, and a Ctrl-J is a new line', () => {
    const t = setup();
    t.input('one\rtwo\nlines\r');
    expect(t.sent).toEqual(['one', 'two\nlines']);
    expect(t.c.editor.text).toBe('');
  });

  it('makes Shift+Enter a new line in the modifyOtherKeys and kitty forms, and Alt+Enter too', () => {
    const t = setup();
    t.input('a\x1b[27;2;13~b\x1b[13;2u', 'c\x1b\r', 'd');
    expect(t.c.editor.text).toBe('a\nb\nc\nd');
    expect(t.sent).toEqual([]);
    t.input('\r');
    expect(t.sent).toEqual(['a\nb\nc\nd']);
  });

  it('keeps a paste as text: its Enter does not submit, its Ctrl-C does not clear', () => {
    const t = setup();
    t.input('see: ', '\x1b[200~line one\r\n\x03line two\r\x1b[201~');
    expect(t.c.editor.text).toBe('see: line one\nline two\n');
    expect(t.sent).toEqual([]);
  });

  it('takes Ctrl-Cs in one chunk as separate presses: clear, ask to exit, cancel; Ctrl-C and x in one chunk exit', () => {
    const t = setup();
    t.input('draft\x03\x03');
    expect(t.c.editor.text).toBe('');
    expect(t.c.overlay?.kind).toBe('exit');
    t.input('\x03');
    expect(t.c.overlay).toBeNull();
    expect(t.exits).toEqual([]);
    t.input('\x03x');
    expect(t.exits).toEqual([1]);
  });

  it('takes a lone ESC as Escape only after the wait, and never types an unknown sequence or a control character', () => {
    const t = setup();
    t.input('x\x1b');
    t.flush();
    t.input('\x1b[15~\x1b[5~\x1b[I\x1bOP'); // F5, Page Up, focus in, F1
    expect(t.c.editor.text).toBe('x');
    let all = '';
    for (let b = 0; b < 0x20; b++) if (b !== 0x0d && b !== 0x03 && b !== 0x04 && b !== 0x1b) all += String.fromCharCode(b);
    t.input(`${all}\x7f\x9b\x85y`);
    expect(t.c.editor.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(t.c.editor.text).toContain('y');
  });

  it('moves and deletes by word with Alt+B/F, Alt/Ctrl+arrows (both encodings), Ctrl-W, Alt-Backspace, Alt-D, Ctrl+Delete', () => {
    const t = setup();
    t.input('one two three four');
    t.input('\x1bb\x1bbX'); // Alt+B twice
    expect(t.c.editor.text).toBe('one two Xthree four');
    t.input('\x1b[1;5D\x1b[1;5D\x17'); // Ctrl+← twice, Ctrl-W
    expect(t.c.editor.text).toBe('two Xthree four');
    t.input('\x1b[1;3C\x1bd'); // Alt+→, Alt-D
    expect(t.c.editor.text).toBe('two four');
    t.input('\x1b[F\x1b\x7f'); // End, Alt-Backspace
    expect(t.c.editor.text).toBe('two ');
    t.input('a b', '\x1b\x1b[D', '\x1b[3;5~'); // Alt+← as ESC ESC [ D, Ctrl+Delete
    expect(t.c.editor.text).toBe('two a ');
    t.input('\x1bf\x1b[1;5C!'); // Alt+F, Ctrl+→ at the end
    expect(t.c.editor.text).toBe('two a !');
    expect(t.sent).toEqual([]);
  });

  it('Alt+Up takes the last queued prompt back into the editor; Ctrl-R searches earlier prompts and Ctrl-C gives the draft back', () => {
    const t = setup(['make the tests pass', 'update the docs']);
    t.c.queuePrompt('first');
    t.c.queuePrompt('second');
    t.input('tail', '\x1b[1;3A');
    expect(t.c.queued).toEqual(['first']);
    expect(t.c.editor).toMatchObject({ text: 'second\ntail', cursor: 6 });
    t.input('\x03'); // clears the prompt
    expect(t.c.editor.text).toBe('');
    t.input('draft\x12tests');
    expect(t.c.extras.search?.query).toBe('tests');
    t.input('\x03');
    expect(t.c.extras.search).toBeNull();
    expect(t.c.editor.text).toBe('draft');
    t.input('\x12', '\x1b[200~the\ndo\x1b[201~', 'cs');
    expect(t.c.extras.search?.query).toBe('the docs'); // a paste while searching is searched for
    t.input('\r');
    expect(t.c.editor.text).toBe('update the docs');
    expect(t.sent).toEqual([]);
    t.input('\r');
    expect(t.sent).toEqual(['update the docs']);
  });
});
