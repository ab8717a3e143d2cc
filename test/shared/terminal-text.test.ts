import { describe, expect, it } from 'vitest';
import { escapeControls, escapeLine } from '../../src/shared/index.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** Anything a terminal would act on, once escaped: C0 but TAB and LF, DEL, C1. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('escapeControls', () => {
  it('leaves plain text, newlines and tabs alone and returns the same string', () => {
    const text = 'line one\n\tindented — “quoted” \\x1b stays a backslash\n';
    expect(escapeControls(text)).toBe(text);
    expect(escapeControls('')).toBe('');
  });

  it('keeps Unicode intact: emoji, ZWJ sequences, flags, CJK, combining marks, RTL', () => {
    const text = '👍🏽 👩‍👩‍👧 🇫🇷 漢字かなカナ 한국어 e\u0301 n\u0303 Z\u0351\u0334 שלום مرحبا \u00a0nbsp ÿ';
    expect(escapeControls(text)).toBe(text);
    expect(escapeControls(`${ESC}]0;漢字👍🏽${BEL}é`)).toBe('\\x1b]0;漢字👍🏽\\x07é');
  });

  it('shows OSC title, clipboard (52) and hyperlink (8) sequences escaped', () => {
    expect(escapeControls(`a${ESC}]0;pwned${BEL}b`)).toBe('a\\x1b]0;pwned\\x07b');
    expect(escapeControls(`${ESC}]52;c;cHduZWQ=${BEL}`)).toBe('\\x1b]52;c;cHduZWQ=\\x07');
    expect(escapeControls(`${ESC}]8;;http://evil${ESC}\\click${ESC}]8;;${ESC}\\`)).toBe('\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\');
  });

  it('shows CSI cursor moves, erases and colours escaped', () => {
    expect(escapeControls(`ok${ESC}[2K${ESC}[1A${ESC}[10;5H${ESC}[31mred${ESC}[0m`)).toBe('ok\\x1b[2K\\x1b[1A\\x1b[10;5H\\x1b[31mred\\x1b[0m');
    expect(escapeControls(`${ESC}[?1049h${ESC}c`)).toBe('\\x1b[?1049h\\x1bc');
  });

  it('shows DCS, APC, PM and SOS strings escaped', () => {
    expect(escapeControls(`${ESC}Pq#0;2;0;0;0${ESC}\\`)).toBe('\\x1bPq#0;2;0;0;0\\x1b\\');
    expect(escapeControls(`${ESC}_Gf=100;AAAA${ESC}\\${ESC}^pm${ESC}\\${ESC}Xsos${ESC}\\`)).toBe('\\x1b_Gf=100;AAAA\\x1b\\\\x1b^pm\\x1b\\\\x1bXsos\\x1b\\');
  });

  it('shows 8-bit C1 controls escaped: CSI U+009B, OSC U+009D, ST U+009C, DCS U+0090, NEL U+0085', () => {
    expect(escapeControls('\u009b2J\u009d0;t\u009c\u0090x\u009cA\u0085B\u0080\u009f')).toBe('\\x9b2J\\x9d0;t\\x9c\\x90x\\x9cA\\x85B\\x80\\x9f');
  });

  it('makes nested and unterminated sequences inert, character by character', () => {
    expect(escapeControls(`${ESC}]0;${ESC}]52;c;${ESC}[31m`)).toBe('\\x1b]0;\\x1b]52;c;\\x1b[31m');
    expect(escapeControls(`${ESC}]0;never ends`)).toBe('\\x1b]0;never ends');
    expect(escapeControls(ESC)).toBe('\\x1b');
    expect(escapeControls(`${ESC}${ESC}[`)).toBe('\\x1b\\x1b[');
  });

  it('shows BEL, backspace, NUL, VT, FF, DEL and the other C0 controls escaped', () => {
    expect(escapeControls(`ding${BEL} sec\bret \u0000\u000b\u000c\u007f\u0001\u001f`)).toBe('ding\\x07 sec\\x08ret \\x00\\x0b\\x0c\\x7f\\x01\\x1f');
    for (let c = 0; c < 0xa0; c++) {
      const out = escapeControls(`a${String.fromCharCode(c)}b`);
      expect(RAW_CONTROL.test(out), `U+${c.toString(16)}`).toBe(false);
    }
  });

  it('turns CRLF into LF, shows a bare CR escaped and drops a CR that ends the input', () => {
    expect(escapeControls('one\r\ntwo\r\n')).toBe('one\ntwo\n');
    expect(escapeControls('rm -rf ~\rls   ')).toBe('rm -rf ~\\x0dls   ');
    expect(escapeControls('10%\r20%\r')).toBe('10%\\x0d20%');
    expect(escapeControls('\r\r\n')).toBe('\\x0d\n');
    expect(escapeControls('\r')).toBe('');
  });

  it('is stateless, so chunks escape the same as the whole (a CRLF split between chunks included)', () => {
    const whole = `out ${ESC}]0;x${BEL} \u009b31m 漢 \r\n next\n`;
    for (let cut = 0; cut <= whole.length; cut++) {
      expect(escapeControls(whole.slice(0, cut)) + escapeControls(whole.slice(cut))).toBe(escapeControls(whole));
    }
  });

  it('stays linear on long and pathological input', () => {
    const n = 1_000_000;
    const inputs = [
      'x'.repeat(n),
      ESC.repeat(n),
      `${ESC}]`.repeat(n / 2),
      '\r'.repeat(n),
      `${ESC}[31m漢👍🏽\r\n`.repeat(n / 10),
      '\u009b'.repeat(n),
    ];
    const started = performance.now();
    for (const input of inputs) {
      const out = escapeControls(input);
      expect(RAW_CONTROL.test(out)).toBe(false);
      expect(out.length).toBeGreaterThanOrEqual(input === '\r'.repeat(n) ? 4 * (n - 1) : 1);
    }
    // Quadratic work on a million characters would take minutes; linear takes well under a second.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('bidi overrides and escapeLine', () => {
  it('shows bidirectional overrides and isolates, which can disguise text, as \\u escapes', () => {
    expect(escapeControls('rm -rf /\u202e txt.exe')).toBe('rm -rf /\\u202e txt.exe');
    expect(escapeControls('a\u2066b\u2069c')).toBe('a\\u2066b\\u2069c');
    // Right-to-left letters themselves are text.
    expect(escapeControls('שלום مرحبا')).toBe('שלום مرحبا');
  });

  it('escapeLine keeps one line: newlines, tabs and every carriage return are escaped too', () => {
    expect(escapeLine('line 1\nline 2\ttab\r\n\x1b[2J')).toBe('line 1\\x0aline 2\\x09tab\\x0d\\x0a\\x1b[2J');
    expect(escapeLine('plain text, 漢字 👍')).toBe('plain text, 漢字 👍');
  });
});
