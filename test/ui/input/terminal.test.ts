/**
 * Reading the terminal (readInput): raw mode on and off, UTF-8 split across reads, and how long held-back
 * input waits (fake timers: a lone ESC briefly, a begun sequence longer, an unfinished paste until idle).
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readInput, type InputEvent } from '../../../src/ui/input/index.js';

class FakeStdin extends EventEmitter {
  isTTY = true;
  raw: boolean[] = [];
  setRawMode(mode: boolean): void {
    this.raw.push(mode);
  }
  send(chunk: Buffer | string): void {
    this.emit('data', chunk);
  }
}

const names = (events: InputEvent[]): string[] => events.map((e) => (e.type === 'key' ? `${e.meta ? 'M-' : ''}${e.name}` : `${e.type}:${e.text}`));

describe('readInput', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function start() {
    const stdin = new FakeStdin();
    const got: InputEvent[] = [];
    const stop = readInput(stdin, (events) => got.push(...events));
    return { stdin, got, stop };
  }

  it('puts the terminal in raw mode and back, and stops listening', () => {
    const { stdin, got, stop } = start();
    expect(stdin.raw).toEqual([true]);
    stop();
    expect(stdin.raw).toEqual([true, false]);
    stdin.send('x');
    expect(got).toEqual([]);
  });

  it('decodes UTF-8 split across reads', () => {
    const { stdin, got } = start();
    const euro = Buffer.from('a€', 'utf8');
    stdin.send(euro.subarray(0, 2));
    stdin.send(euro.subarray(2));
    expect(names(got)).toEqual(['text:a', 'text:€']);
  });

  it('takes a lone ESC as Escape after 50 ms, but waits longer for the end of a begun sequence', () => {
    const { stdin, got } = start();
    stdin.send('\x1b');
    vi.advanceTimersByTime(49);
    expect(got).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(names(got)).toEqual(['escape']);
    got.length = 0;
    stdin.send('\x1b[');
    vi.advanceTimersByTime(300);
    stdin.send('D');
    expect(names(got)).toEqual(['left']);
    got.length = 0;
    stdin.send('\x1b[1;');
    vi.advanceTimersByTime(501);
    stdin.send('5D');
    expect(names(got)).toEqual(['text:5D']); // the sequence was dropped, never typed
  });

  it('ends a paste whose end marker never comes once input goes idle', () => {
    const { stdin, got } = start();
    stdin.send('\x1b[200~half a paste\r');
    vi.advanceTimersByTime(999);
    expect(got).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(got).toEqual([{ type: 'paste', text: 'half a paste\n' }]);
  });
});
