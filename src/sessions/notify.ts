/**
 * `notify = ["program", "arg", …]`: after each turn, runs the program with Codex's JSON payload as its
 * last argument (codex-compat.md §7.4). Fire and forget: stdio ignored, never awaited, failures ignored.
 */
import { spawn } from 'node:child_process';

export interface TurnCompletePayload {
  type: 'agent-turn-complete';
  'thread-id': string;
  'turn-id': string;
  cwd: string;
  'input-messages': string[];
  'last-assistant-message': string | null;
}

export function runNotify(notify: readonly string[] | undefined, payload: TurnCompletePayload): void {
  if (!notify || notify.length === 0) return;
  const [program, ...args] = notify as [string, ...string[]];
  try {
    const child = spawn(program, [...args, JSON.stringify(payload)], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // A program that cannot start does not fail the turn.
  }
}
