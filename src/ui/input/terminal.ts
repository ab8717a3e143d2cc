/**
 * Reads the terminal: raw mode, UTF-8 decoded across chunk boundaries, every chunk parsed into events
 * (parser.ts) and handed on in order. The one place input is read; ink's own input handling is not used.
 * A lone ESC waits `escapeMs` for the rest of a sequence before it counts as the Escape key; a begun
 * sequence waits longer for its end.
 */
import { StringDecoder } from 'node:string_decoder';
import { InputParser, type InputEvent } from './parser.js';

/** The part of a terminal's stdin this needs (tests pass a stream with these). */
export interface InputStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume?: () => unknown;
  pause?: () => unknown;
  ref?: () => unknown;
  unref?: () => unknown;
}

export interface InputOptions {
  /** How long a lone ESC waits for the rest of an escape sequence (default 50 ms). */
  escapeMs?: number;
  /**
   * How long a begun sequence (`ESC [`, `ESC O`, …: no key sends only that) waits for its end (default
   * 500 ms): a terminal, ssh or tmux may deliver one sequence in two reads well apart under load.
   */
  sequenceMs?: number;
  /** How long an unfinished paste waits for its end marker (default 1 s without input). */
  pasteIdleMs?: number;
}

/**
 * Sequences that ask the terminal to report modified keys it would otherwise send as plain ones
 * (Shift+Enter as `ESC[27;2;13~` or `ESC[13;2u`), and bracketed paste; and their undoing.
 * modifyOtherKeys mode 1 (xterm, tmux with extended-keys) keeps Ctrl-C, Enter and plain keys as they
 * were; kitty's "disambiguate" flag reports Escape and Ctrl/Alt chords as CSI u (parsed the same) and
 * keeps plain Enter, Tab and Backspace. Terminals that know neither ignore both requests.
 */
export const ENABLE_INPUT_MODES = '\u001b[?2004h\u001b[>4;1m\u001b[>1u';
export const DISABLE_INPUT_MODES = '\u001b[<u\u001b[>4;0m\u001b[?2004l';

/** Starts reading `stdin`; returns the function that stops. */
export function readInput(stdin: InputStream, onEvents: (events: InputEvent[]) => void, o: InputOptions = {}): () => void {
  const parser = new InputParser();
  const decoder = new StringDecoder('utf8');
  const escapeMs = o.escapeMs ?? 50;
  const sequenceMs = o.sequenceMs ?? 500;
  const pasteIdleMs = o.pasteIdleMs ?? 1000;
  let timer: NodeJS.Timeout | null = null;

  const deliver = (events: InputEvent[]): void => {
    if (events.length > 0) onEvents(events);
  };
  const onTimeout = (): void => {
    timer = null;
    deliver(parser.flush());
  };
  const onData = (chunk: Buffer | string): void => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    deliver(parser.push(text));
    if (parser.pending) timer = setTimeout(onTimeout, parser.inPaste ? pasteIdleMs : parser.escapeOnly ? escapeMs : sequenceMs);
  };

  if (stdin.isTTY) stdin.setRawMode?.(true);
  stdin.on('data', onData);
  stdin.ref?.();
  stdin.resume?.();
  return () => {
    if (timer) clearTimeout(timer);
    stdin.off('data', onData);
    if (stdin.isTTY) stdin.setRawMode?.(false);
    stdin.pause?.();
    stdin.unref?.();
  };
}
