import { describe, expect, it } from 'vitest';
import { InputParser, cleanPaste, type InputEvent } from '../../../src/ui/input/index.js';

const k = (name: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean } = {}): InputEvent => ({
  type: 'key',
  name,
  ctrl: mods.ctrl ?? false,
  meta: mods.meta ?? false,
  shift: mods.shift ?? false,
});
const text = (t: string): InputEvent => ({ type: 'text', text: t });
const parse = (...chunks: string[]): InputEvent[] => {
  const p = new InputParser();
  return chunks.flatMap((c) => p.push(c));
};

describe('InputParser', () => {
  it('splits a burst of control keys into one key each', () => {
    expect(parse('\x7f\x7f\x7f')).toEqual([k('backspace'), k('backspace'), k('backspace')]);
    expect(parse('\x03\x03')).toEqual([k('c', { ctrl: true }), k('c', { ctrl: true })]);
    expect(parse('hi\rthere\r')).toEqual([text('hi'), k('return'), text('there'), k('return')]);
    expect(parse('\x01\x05\x15\x0b\x17\x12\t\n')).toEqual([
      k('a', { ctrl: true }),
      k('e', { ctrl: true }),
      k('u', { ctrl: true }),
      k('k', { ctrl: true }),
      k('w', { ctrl: true }),
      k('r', { ctrl: true }),
      k('tab'),
      k('j', { ctrl: true }),
    ]);
  });

  it('reads arrows, Home/End, Delete and their xterm modifiers', () => {
    expect(parse('\x1b[A\x1b[B\x1bOC\x1b[D\x1b[H\x1b[F\x1b[3~')).toEqual([k('up'), k('down'), k('right'), k('left'), k('home'), k('end'), k('delete')]);
    expect(parse('\x1b[1;5D\x1b[1;3C\x1b[1;3A\x1b[3;5~\x1b[Z')).toEqual([
      k('left', { ctrl: true }),
      k('right', { meta: true }),
      k('up', { meta: true }),
      k('delete', { ctrl: true }),
      k('tab', { shift: true }),
    ]);
  });

  it('reads Alt as an ESC prefix', () => {
    expect(parse('\x1bb\x1bf\x1b\x7f\x1bd\x1b\r')).toEqual([
      k('b', { meta: true }),
      k('f', { meta: true }),
      k('backspace', { meta: true }),
      k('d', { meta: true }),
      k('return', { meta: true }),
    ]);
    expect(parse('\x1b\x1b[A')).toEqual([k('up', { meta: true })]);
  });

  it('reads Shift+Enter and other modified keys in the modifyOtherKeys and kitty forms', () => {
    expect(parse('\x1b[27;2;13~')).toEqual([k('return', { shift: true })]);
    expect(parse('\x1b[27;5;9~\x1b[27;3;127~')).toEqual([k('tab', { ctrl: true }), k('backspace', { meta: true })]);
    expect(parse('\x1b[13;2u\x1b[13;3u\x1b[127;5u\x1b[9;2u')).toEqual([
      k('return', { shift: true }),
      k('return', { meta: true }),
      k('backspace', { ctrl: true }),
      k('tab', { shift: true }),
    ]);
    // kitty's disambiguate mode: Ctrl-C, Alt+b, Escape, a shifted letter; releases are dropped.
    expect(parse('\x1b[99;5u\x1b[98;3u\x1b[27u\x1b[97;2u\x1b[97;1:3u')).toEqual([k('c', { ctrl: true }), k('b', { meta: true }), k('escape'), text('A')]);
    expect(parse('\x1b[27;5;99~')).toEqual([k('c', { ctrl: true })]);
  });

  it('keeps an escape sequence split across chunks until its end arrives', () => {
    const p = new InputParser();
    expect(p.push('a\x1b')).toEqual([text('a')]);
    expect(p.pending).toBe(true);
    expect(p.push('[')).toEqual([]);
    expect(p.push('27;2;1')).toEqual([]);
    expect(p.push('3~b')).toEqual([k('return', { shift: true }), text('b')]);
    expect(p.pending).toBe(false);
  });

  it('takes a lone ESC as the Escape key only when flushed', () => {
    const p = new InputParser();
    expect(p.push('\x1b')).toEqual([]);
    expect(p.flush()).toEqual([k('escape')]);
    expect(p.push('\x1b\x1b')).toEqual([]);
    expect(p.flush()).toEqual([k('escape'), k('escape')]);
    expect(p.push('\x1b\x1b\x1b')).toEqual([]);
    expect(p.flush()).toEqual([k('escape'), k('escape'), k('escape')]);
    // Alt+[ and Alt+Shift+O begin a sequence that never comes.
    expect(p.push('\x1b[')).toEqual([]);
    expect(p.flush()).toEqual([k('[', { meta: true })]);
    expect(p.push('\x1bO')).toEqual([]);
    expect(p.flush()).toEqual([k('o', { meta: true, shift: true })]);
    // An unfinished CSI is dropped, never typed.
    expect(p.push('\x1b[1;')).toEqual([]);
    expect(p.flush()).toEqual([]);
  });

  it('takes a bracketed paste as text, newlines kept, control characters and sequences dropped', () => {
    expect(parse('\x1b[200~line one\r\nline\ttwo\x03\x7f\x1b[31mred\x1b[0m\x1b[201~')).toEqual([{ type: 'paste', text: 'line one\nline\ttwored' }]);
    // Split anywhere, the markers too.
    const p = new InputParser();
    const chunks = ['x\x1b[20', '0~a\rb', '\x1b[2', '01~', 'y'];
    expect(chunks.flatMap((c) => p.push(c))).toEqual([text('x'), { type: 'paste', text: 'a\nb' }, text('y')]);
    // Keys inside a paste are text, never executed.
    expect(parse('\x1b[200~\r\x03\x04/quit\r\x1b[201~')).toEqual([{ type: 'paste', text: '\n/quit\n' }]);
  });

  it('never passes a control character as text', () => {
    const events = parse('a\x00b\x1c\x9bc');
    for (const e of events) if (e.type === 'text') expect(e.text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('')).toBe('abc');
  });

  it('cleans pasted text of OSC sequences too', () => {
    expect(cleanPaste('a\x1b]8;;http://x\x07link\x1b]8;;\x07b')).toBe('alinkb');
  });
});
