/**
 * One unified exec process as the tools see it: output gathered as it arrives (what the model has not
 * read yet, and the whole transcript for the command's item), input typed into its terminal, and waiting
 * for either more time to pass or the process to end.
 */
import { StringDecoder } from 'node:string_decoder';
import { Capture, type Captured, type LiveExit, type LiveProcess } from '../../../sandbox/index.js';
import type { CommandExecutionItem } from '../../events.js';
import { keptOutput } from '../output.js';

/** Output kept between two reads by the model (head and tail halves), and for the item's transcript. */
export const OUTPUT_CAP_BYTES = 1024 * 1024;

export class ExecSession {
  /** The item shown for the command; open until it is completed (the process ended, or the turn did). */
  item: CommandExecutionItem;
  itemOpen = true;
  /** When the model last started or touched it (for pruning the least recently used). */
  lastUsed = performance.now();
  private pending = new Capture(OUTPUT_CAP_BYTES);
  private transcript = new Capture(OUTPUT_CAP_BYTES);
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly proc: LiveProcess,
    item: CommandExecutionItem,
    onText: (session: ExecSession, text: string) => void,
  ) {
    this.item = item;
    const decoder = new StringDecoder('utf8');
    proc.onOutput((chunk) => {
      this.pending.add(chunk);
      this.transcript.add(chunk);
      const text = decoder.write(chunk);
      if (text !== '') onText(this, text);
    });
    void proc.done.then(() => {
      const tail = decoder.end();
      if (tail !== '') onText(this, tail);
      for (const w of this.waiters) w();
    });
  }

  get tty(): boolean {
    return this.proc.tty;
  }

  get sandboxed(): boolean {
    return this.proc.sandboxed;
  }

  /** The exit, once the process has ended and its output has been read. */
  get exit(): LiveExit | null {
    return this.proc.exit;
  }

  get done(): Promise<LiveExit> {
    return this.proc.done;
  }

  /** What arrived since the last call (the first time: since the start). */
  take(): Captured {
    const out = this.pending.result();
    this.pending = new Capture(OUTPUT_CAP_BYTES);
    return out;
  }

  /** Everything the command printed (head and tail when it was long), as the item shows it. */
  transcriptText(): string {
    return keptOutput(this.transcript.result());
  }

  /** Types into the terminal; false when it has none or has ended. */
  write(chars: string): boolean {
    return this.proc.write(chars);
  }

  kill(): void {
    this.proc.kill();
  }

  /** Waits until `deadline` (a `performance.now()` time), the end of the process, or the abort, whichever is first. */
  async waitUntil(deadline: number, signal?: AbortSignal): Promise<void> {
    if (this.proc.exit || signal?.aborted) return;
    const remaining = deadline - performance.now();
    if (remaining <= 0) return;
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.waiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, remaining);
      signal?.addEventListener('abort', finish, { once: true });
      this.waiters.add(finish);
    });
  }
}
