/**
 * Terminal input as events. Everything the terminal sends goes through here, chunk by chunk: a chunk
 * may hold many keys (a burst of Backspaces, two Ctrl-Cs, typed text ending in Enter), part of an
 * escape sequence (the rest comes in the next chunk), or a bracketed paste. Every byte becomes a key,
 * text or a paste; a control character is never passed on as text.
 *
 * Understood: C0 controls (Ctrl+letter, Enter, Tab, Backspace), Alt as an ESC prefix, CSI and SS3 keys
 * with xterm modifiers (`ESC[1;5D`), the kitty keyboard protocol (`ESC[13;2u`), xterm's modifyOtherKeys
 * (`ESC[27;2;13~`) and bracketed paste (`ESC[200~ … ESC[201~`). A lone ESC stays pending until more
 * input comes or `flush()` (the caller's short timeout) says it was the Escape key.
 */

export interface KeyEvent {
  type: 'key';
  /**
   * `return`, `tab`, `backspace`, `delete`, `escape`, `up`, `down`, `left`, `right`, `home`, `end`,
   * `pageup`, `pagedown`, `insert`, `space`, `f1`…`f12`, or the character of a key pressed with Ctrl or
   * Alt (lower case: Ctrl-C is `c` with `ctrl`).
   */
  name: string;
  ctrl: boolean;
  /** Alt (or Meta). */
  meta: boolean;
  shift: boolean;
}

/** Printable text typed (one or more characters, no control characters). */
export interface TextEvent {
  type: 'text';
  text: string;
}

/** A bracketed paste: its text, newlines as `\n`, other control characters removed. */
export interface PasteEvent {
  type: 'paste';
  text: string;
}

export type InputEvent = KeyEvent | TextEvent | PasteEvent;

const ESC = '\u001b';
const PASTE_END = `${ESC}[201~`;
/** A CSI longer than this without its final byte is not one: dropped. */
const MAX_SEQUENCE = 64;

const key = (name: string, mods: Partial<Omit<KeyEvent, 'type' | 'name'>> = {}): KeyEvent => ({
  type: 'key',
  name,
  ctrl: mods.ctrl ?? false,
  meta: mods.meta ?? false,
  shift: mods.shift ?? false,
});

/** Removes what a paste must not carry into the prompt: escape sequences and control characters but newline and tab. */
export function cleanPaste(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // CSI and OSC sequences (colours copied from a terminal), then any other ESC with its next character.
      .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
      .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g, '')
      .replace(/\u001b./gsu, '')
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
  );
}

/** A C0 control character (or DEL) as a key. */
function controlKey(code: number, meta = false): KeyEvent {
  if (code === 0x0d) return key('return', { meta });
  if (code === 0x09) return key('tab', { meta });
  if (code === 0x7f || code === 0x08) return key('backspace', { meta });
  if (code === 0x1b) return key('escape', { meta });
  if (code === 0x00) return key('space', { ctrl: true, meta });
  if (code >= 0x01 && code <= 0x1a) return key(String.fromCharCode(code + 0x60), { ctrl: true, meta });
  // 0x1c-0x1f: Ctrl-\ Ctrl-] Ctrl-^ Ctrl-_
  return key(String.fromCharCode(code + 0x40), { ctrl: true, meta });
}

/** xterm modifier parameter (1 + bits: shift 1, alt 2, ctrl 4, super 8, hyper 16, meta 32). */
function modifiers(param: number | undefined): Pick<KeyEvent, 'ctrl' | 'meta' | 'shift'> {
  const bits = param === undefined || Number.isNaN(param) ? 0 : Math.max(0, param - 1);
  return { shift: (bits & 1) !== 0, meta: (bits & 2) !== 0 || (bits & 32) !== 0, ctrl: (bits & 4) !== 0 };
}

const LETTER_KEYS: Record<string, string> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', P: 'f1', Q: 'f2', R: 'f3', S: 'f4' };
const TILDE_KEYS: Record<number, string> = {
  1: 'home',
  2: 'insert',
  3: 'delete',
  4: 'end',
  5: 'pageup',
  6: 'pagedown',
  7: 'home',
  8: 'end',
  11: 'f1',
  12: 'f2',
  13: 'f3',
  14: 'f4',
  15: 'f5',
  17: 'f6',
  18: 'f7',
  19: 'f8',
  20: 'f9',
  21: 'f10',
  23: 'f11',
  24: 'f12',
};
/** Kitty's codes for keys that are not characters (the keypad's Enter; the rest are ignored). */
const KITTY_KEYS: Record<number, string> = { 57414: 'return', 57399: '0' };

/**
 * A key given by its Unicode code point and modifiers (kitty's CSI u and modifyOtherKeys): a named key,
 * a character typed (text, also with Shift), or a character pressed with Ctrl or Alt.
 */
function codepointEvent(code: number, mods: Pick<KeyEvent, 'ctrl' | 'meta' | 'shift'>, shifted: number | undefined, text: string | undefined): InputEvent | null {
  if (code === 13 || code === 57414) return key('return', mods);
  if (code === 9) return key('tab', mods);
  if (code === 127 || code === 8) return key('backspace', mods);
  if (code === 27) return key('escape', mods);
  if (KITTY_KEYS[code] !== undefined || (code >= 57344 && code <= 63743)) return null; // keypad, media, modifier keys alone
  if (code < 32 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  const ch = String.fromCodePoint(code);
  if (!mods.ctrl && !mods.meta) {
    if (text !== undefined && text !== '') return { type: 'text', text };
    if (code === 32) return { type: 'text', text: ' ' };
    const typed = mods.shift ? (shifted !== undefined ? String.fromCodePoint(shifted) : ch.toUpperCase()) : ch;
    return { type: 'text', text: typed };
  }
  return key(code === 32 ? 'space' : ch.toLowerCase(), mods);
}

const num = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number(s));

/** A complete CSI sequence (`params`, `final`) as an event; null for one that is not a key (focus, unknown). */
function csiEvent(params: string, final: string): InputEvent | null {
  const fields = params.split(';');
  if (final === 'u') {
    // kitty: CSI code[:shifted[:base]] ; mods[:event] ; text-codepoints u
    const [codeField = '', modField = '', textField] = fields;
    const [code, shifted] = codeField.split(':').map((x) => num(x));
    const [mod, eventType] = modField.split(':').map((x) => num(x));
    if (eventType === 3 || code === undefined) return null; // a key release
    const text = textField === undefined ? undefined : textField.split(':').map((c) => String.fromCodePoint(Number(c))).join('');
    return codepointEvent(code, modifiers(mod), shifted, text);
  }
  if (final === '~') {
    const first = num(fields[0]?.split(':')[0]);
    // xterm modifyOtherKeys: CSI 27 ; mods ; code ~
    if (first === 27 && fields.length >= 3) return codepointEvent(Number(fields[2]), modifiers(num(fields[1])), undefined, undefined);
    const name = first === undefined ? undefined : TILDE_KEYS[first];
    return name === undefined ? null : key(name, modifiers(num(fields[1]?.split(':')[0])));
  }
  if (final === 'Z') return key('tab', { shift: true });
  const name = LETTER_KEYS[final];
  if (name === undefined || params.startsWith('<') || params.startsWith('>') || params.startsWith('?')) return null;
  return key(name, modifiers(num(fields[1]?.split(':')[0])));
}

type Parsed = { events: InputEvent[]; next: number } | 'incomplete';

export class InputParser {
  /** The start of an escape sequence whose rest has not arrived yet. */
  private rest = '';
  /** The text of a bracketed paste being received, or null. */
  private pasting: string | null = null;

  /** Something is held back: an incomplete escape sequence or an unfinished paste. */
  get pending(): boolean {
    return this.rest !== '' || this.pasting !== null;
  }

  /** A paste has started and its end marker has not come yet. */
  get inPaste(): boolean {
    return this.pasting !== null;
  }

  /** What is held back is one or more ESCs alone (the Escape key, unless a sequence follows). */
  get escapeOnly(): boolean {
    return this.pasting === null && /^\u001b+$/.test(this.rest);
  }

  /** The events in a chunk of input (decoded text), with what an earlier chunk left pending. */
  push(chunk: string): InputEvent[] {
    const s = this.rest + chunk;
    this.rest = '';
    const events: InputEvent[] = [];
    let i = 0;
    while (i < s.length) {
      if (this.pasting !== null) {
        const end = s.indexOf(PASTE_END, i);
        if (end === -1) {
          // Keep what could be the start of the end marker for the next chunk.
          let keep = 0;
          for (let n = Math.min(PASTE_END.length - 1, s.length - i); n > 0; n--) {
            if (PASTE_END.startsWith(s.slice(s.length - n))) {
              keep = n;
              break;
            }
          }
          this.pasting += s.slice(i, s.length - keep);
          this.rest = s.slice(s.length - keep);
          return events;
        }
        events.push({ type: 'paste', text: cleanPaste(this.pasting + s.slice(i, end)) });
        this.pasting = null;
        i = end + PASTE_END.length;
        continue;
      }
      const code = s.charCodeAt(i);
      if (code === 0x1b) {
        const parsed = this.escape(s, i);
        if (parsed === 'incomplete') {
          this.rest = s.slice(i);
          return events;
        }
        events.push(...parsed.events);
        i = parsed.next;
        continue;
      }
      if (code < 0x20 || code === 0x7f) {
        // Ctrl-J (a line feed) is its own key: the editor makes it a new line.
        events.push(code === 0x0a ? key('j', { ctrl: true }) : controlKey(code));
        i++;
        continue;
      }
      let j = i + 1;
      while (j < s.length) {
        const c = s.charCodeAt(j);
        if (c < 0x20 || c === 0x7f || c === 0x1b) break;
        j++;
      }
      const text = s.slice(i, j).replace(/[\u0080-\u009f]/g, '');
      if (text !== '') events.push({ type: 'text', text });
      i = j;
    }
    return events;
  }

  /**
   * No more input came after a pending escape: a lone ESC was the Escape key (two were two); an
   * unfinished sequence is dropped. An unfinished paste is ended with what arrived of it.
   */
  flush(): InputEvent[] {
    const rest = this.rest;
    this.rest = '';
    if (this.pasting !== null) {
      const text = cleanPaste(this.pasting + rest);
      this.pasting = null;
      return text === '' ? [] : [{ type: 'paste', text }];
    }
    // Escape pressed (once or more); Alt+[ or Alt+Shift+O, whose bytes begin a sequence that never came.
    if (/^\u001b+$/.test(rest)) return [...rest].map(() => key('escape'));
    if (rest === `${ESC}[`) return [key('[', { meta: true })];
    if (rest === `${ESC}O`) return [key('o', { meta: true, shift: true })];
    return [];
  }

  /** The escape sequence at `i` (s[i] is ESC). */
  private escape(s: string, i: number): Parsed {
    if (i + 1 >= s.length) return 'incomplete';
    const next = s[i + 1] as string;
    if (next === '[') return this.csi(s, i);
    if (next === 'O') {
      if (i + 2 >= s.length) return 'incomplete';
      const final = s[i + 2] as string;
      const name = LETTER_KEYS[final];
      const ev = final === 'M' ? key('return') : name === undefined ? null : key(name);
      return { events: ev ? [ev] : [], next: i + 3 };
    }
    if (next === ESC) {
      // ESC ESC: Alt with a sequence (ESC ESC [ A is Alt+Up), or Escape pressed twice.
      if (i + 2 >= s.length) return 'incomplete';
      const inner = this.escape(s, i + 1);
      if (inner === 'incomplete') return inner;
      const events = inner.events.map((e) => (e.type === 'key' ? { ...e, meta: true } : e));
      return { events, next: inner.next };
    }
    // Alt + a character.
    const cp = s.codePointAt(i + 1) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (cp < 0x20 || cp === 0x7f) return { events: [cp === 0x0a ? key('return', { meta: true }) : controlKey(cp, true)], next: i + 2 };
    const ch = String.fromCodePoint(cp);
    const lower = ch.toLowerCase();
    return { events: [key(ch === ' ' ? 'space' : lower, { meta: true, shift: lower !== ch })], next: i + 1 + width };
  }

  private csi(s: string, i: number): Parsed {
    let j = i + 2;
    // The Linux console's F1-F5: ESC [ [ A.
    if (s[j] === '[') {
      if (j + 1 >= s.length) return 'incomplete';
      return { events: [], next: j + 2 };
    }
    while (j < s.length && j - i < MAX_SEQUENCE) {
      const c = s.charCodeAt(j);
      if (c >= 0x40 && c <= 0x7e) break;
      if (c < 0x20 || c > 0x3f) {
        // Not a CSI after all: drop the ESC [ and go on with this character.
        return { events: [], next: j };
      }
      j++;
    }
    if (j >= s.length) return 'incomplete';
    if (j - i >= MAX_SEQUENCE) return { events: [], next: j };
    const params = s.slice(i + 2, j);
    const final = s[j] as string;
    if (final === '~' && params === '200') {
      this.pasting = '';
      return { events: [], next: j + 1 };
    }
    const ev = csiEvent(params, final);
    return { events: ev ? [ev] : [], next: j + 1 };
  }
}

