/**
 * The unified exec processes of one agent session that outlived the call that started them. They
 * survive turns (and model switches) and end when the model sees them exit, when the store is full
 * (the least recently used goes), or when the agent session ends (`terminateAll`, also on exit).
 *
 * Items: a command's `command_execution` item completes when its process ends while a turn is running;
 * one still running when the turn completes is completed then as it stands (`in_progress`, no exit
 * code), as `codex exec --json` does, so every started item is completed within its turn.
 */
import { randomInt } from '../../../shared/index.js';
import type { AgentEvent } from '../../events.js';
import { ExecSession } from './session.js';

/** At most this many processes are kept (Codex's limit); starting another ends the least recently used. */
export const MAX_SESSIONS = 64;
/** From this many on, the model is told to end the ones it no longer needs. */
export const WARN_SESSIONS = 60;
/** The most recently used ones are never ended to make room. */
const PROTECTED_RECENT = 8;

export class ExecSessions {
  private readonly sessions = new Map<number, ExecSession>();
  /** Every id handed out, so a stale id from earlier in the conversation never names a new process. */
  private readonly used = new Set<number>();
  private sink: ((event: AgentEvent) => void) | undefined;

  /** Where item events go: the running turn's (each tool call attaches its own). */
  attach(emit: (event: AgentEvent) => void): void {
    this.sink = emit;
  }

  emit(event: AgentEvent): void {
    this.sink?.(event);
  }

  /** Streams a command's output to its item while the item is open. */
  readonly onText = (session: ExecSession, text: string): void => {
    if (session.itemOpen) this.emit({ type: 'command_output.delta', item_id: session.item.id, delta: text });
  };

  get size(): number {
    return this.sessions.size;
  }

  get(id: number): ExecSession | undefined {
    return this.sessions.get(id);
  }

  /**
   * Keeps a running process under a new id (random, as Codex's, so an id cannot be guessed from another).
   * Returns the id and, when the store was full, the id of the process ended to make room.
   */
  add(session: ExecSession): { id: number; ended: number | null } {
    const ended = this.sessions.size >= MAX_SESSIONS ? this.prune() : null;
    let id: number;
    do id = randomInt(1000, 100_000);
    while (this.used.has(id));
    this.used.add(id);
    this.sessions.set(id, session);
    void session.done.then(() => {
      // Also for one ended to make room: its item completes with the status it was killed with.
      if (!session.itemOpen) return;
      session.itemOpen = false;
      this.emit({ type: 'item.completed', item: completedItem(session) });
    });
    return { id, ended };
  }

  remove(id: number): void {
    this.sessions.delete(id);
  }

  /** Ends the least recently used process that is not among the most recent few, preferring one that already exited. */
  private prune(): number | null {
    const byUse = [...this.sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    const candidates = byUse.slice(0, Math.max(0, byUse.length - PROTECTED_RECENT));
    const victim = candidates.find(([, s]) => s.exit !== null) ?? candidates[0];
    if (!victim) return null;
    const [id, session] = victim;
    this.sessions.delete(id);
    session.kill();
    return id;
  }

  /** The turn is about to complete: items of processes still running are completed as they stand. */
  finishTurn(): void {
    for (const s of this.sessions.values()) {
      if (!s.itemOpen) continue;
      s.itemOpen = false;
      this.emit({ type: 'item.completed', item: { ...s.item, aggregated_output: s.transcriptText() } });
    }
    this.sink = undefined;
  }

  /** The agent session ends: every process is killed, quietly. */
  terminateAll(): void {
    this.sink = undefined;
    for (const s of this.sessions.values()) {
      s.itemOpen = false;
      s.kill();
    }
    this.sessions.clear();
  }
}

/** A command's item once its process has ended. */
export function completedItem(session: ExecSession): ExecSession['item'] {
  const code = session.exit?.exitCode ?? null;
  return { ...session.item, aggregated_output: session.transcriptText(), exit_code: code, status: code === 0 ? 'completed' : 'failed' };
}
