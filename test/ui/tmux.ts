/**
 * Driving the built CLI in a real terminal: a private tmux server per test, keys in with send-keys, the
 * screen out with capture-pane. Waits poll the screen against a deadline (no fixed sleeps), so the
 * tests hold on a slow, loaded machine.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CLI } from '../support/cli.js';

function tmux(socket: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env: env ?? process.env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`tmux ${args[0]}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface TerminalOptions {
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  columns?: number;
  rows?: number;
}

export class Terminal {
  private constructor(
    private readonly socket: string,
    readonly columns: number,
  ) {}

  /** Starts `opencodex ARGS` in a fresh tmux server; the pane stays after exit and shows `[exit N]`. */
  static async start(o: TerminalOptions): Promise<Terminal> {
    const socket = `ocx-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const columns = o.columns ?? 100;
    // CI variables switch ink to its non-interactive output; a user's terminal has none of them.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: o.env.HOME ?? process.env.HOME, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...o.env };
    const command = `cd ${quote(o.cwd)} && ${quote(process.execPath)} ${quote(CLI)} ${o.args.map(quote).join(' ')}; echo "[exit $?]"; sleep 3600`;
    await tmux(socket, ['new-session', '-d', '-s', 'main', '-x', String(columns), '-y', String(o.rows ?? 30), command], env);
    return new Terminal(socket, columns);
  }

  /** The visible screen, trailing blank lines dropped. */
  async screen(): Promise<string> {
    const text = await tmux(this.socket, ['capture-pane', '-p', '-t', 'main']);
    return text.replace(/\s+$/, '');
  }

  /** The visible screen with its colours (SGR escape sequences kept). */
  async coloured(): Promise<string> {
    const text = await tmux(this.socket, ['capture-pane', '-p', '-e', '-t', 'main']);
    return text.replace(/\s+$/, '');
  }

  /** The pane's title, as the program set it (OSC 0/2). */
  async title(): Promise<string> {
    return (await tmux(this.socket, ['display-message', '-p', '-t', 'main', '#{pane_title}'])).replace(/\n$/, '');
  }

  /** Polls the pane's title until it matches; fails with the last title. */
  async waitForTitle(test: RegExp, o: { timeoutMs?: number } = {}): Promise<string> {
    const deadline = Date.now() + (o.timeoutMs ?? 15_000);
    for (;;) {
      const title = await this.title();
      if (test.test(title)) return title;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the title to match ${String(test)}; it was: ${title}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Lets the program set tmux's clipboard with OSC 52 (`on`), as a terminal that honours it would. */
  async setClipboard(mode: 'on' | 'off'): Promise<void> {
    await tmux(this.socket, ['set-option', '-s', 'set-clipboard', mode]);
  }

  /** The names of tmux's paste buffers (an OSC 52 write makes one when the clipboard is on). */
  async buffers(): Promise<string[]> {
    const out = await tmux(this.socket, ['list-buffers', '-F', '#{buffer_name}']);
    return out.split('\n').filter((l) => l !== '');
  }

  /** The screen and its scrollback. */
  async all(): Promise<string> {
    const text = await tmux(this.socket, ['capture-pane', '-p', '-S', '-', '-t', 'main']);
    return text.replace(/\s+$/, '');
  }

  /** Types text literally. */
  async type(text: string): Promise<void> {
    await tmux(this.socket, ['send-keys', '-t', 'main', '-l', text]);
  }

  /**
   * Types text into the focused input and presses Enter once the screen shows it there (`› TEXT`): keys
   * sent together can reach the UI before it has taken the text, and the Enter is then lost.
   */
  async submit(text: string): Promise<void> {
    const shown = (screen: string): number => screen.split(`› ${text}`).length - 1;
    const before = shown(await this.screen());
    await this.type(text);
    await this.waitFor((screen) => shown(screen) > before);
    await this.press('Enter');
  }

  /**
   * Writes exact bytes to the program in one write (`send-keys -H`): a burst of keys arrives in one
   * chunk, as it does when the machine is busy; `text` is taken as Latin-1/UTF-16 code units < 256.
   */
  async bytes(text: string): Promise<void> {
    const hex = [...Buffer.from(text, 'latin1')].map((b) => b.toString(16).padStart(2, '0'));
    await tmux(this.socket, ['send-keys', '-t', 'main', '-H', ...hex]);
  }

  /** Presses keys by tmux name (Enter, Escape, C-c, Down, …). */
  async press(...keys: string[]): Promise<void> {
    await tmux(this.socket, ['send-keys', '-t', 'main', ...keys]);
  }

  /** Polls the screen (with scrollback when `all`) until `test` passes; fails with the last screen. */
  async waitFor(test: RegExp | ((screen: string) => boolean), o: { timeoutMs?: number; all?: boolean } = {}): Promise<string> {
    const deadline = Date.now() + (o.timeoutMs ?? 15_000);
    const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
    let last = '';
    for (;;) {
      last = o.all ? await this.all() : await this.screen();
      if (ok(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(test)}; the screen was:\n${last}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Resizes the window, as a user dragging its edge (tmux reflows what is on screen, as most terminals do). */
  async resize(columns: number, rows?: number): Promise<void> {
    await tmux(this.socket, ['resize-window', '-t', 'main', '-x', String(columns), ...(rows === undefined ? [] : ['-y', String(rows)])]);
  }

  async close(): Promise<void> {
    await tmux(this.socket, ['kill-server']).catch(() => undefined);
  }
}

/** A screen as the fixtures keep it: what varies between runs (paths, ids, times) replaced, no trailing blanks. */
export function normalizeScreen(screen: string, replace: Record<string, string>): string {
  let text = screen;
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  text = text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<session-id>')
    .replace(/\b\d+(\.\d+)?(ms|s)\b/g, '<t>')
    .replace(/\b\d+m \d+s\b/g, '<t>')
    .replace(/[ \t]+$/gm, '');
  return `${text}\n`;
}

/**
 * Compares the screen with `fixtures/NAME.txt` (a vitest file snapshot): a difference fails the test;
 * `npm test -- -u` rewrites the fixtures on purpose, for review in the diff. The screen is read again
 * until it equals the fixture (up to 5 s), so a frame caught between two renders is not a difference;
 * what is compared in the end is the last screen read.
 */
export async function expectScreen(term: Terminal, name: string, replace: Record<string, string>, o: { all?: boolean } = {}): Promise<string> {
  const path = join(import.meta.dirname, 'fixtures', `${name}.txt`);
  const want = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const read = async (): Promise<string> => normalizeScreen(o.all ? await term.all() : await term.screen(), replace);
  const deadline = Date.now() + 5000;
  let text = await read();
  while (want !== undefined && text !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    text = await read();
  }
  await expect(text, `screen fixture ${name}.txt (npm test -- -u updates it)`).toMatchFileSnapshot(path);
  return text;
}
