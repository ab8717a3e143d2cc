/** The store of running unified exec processes: ids, the limit and who goes first, item events. */
import { describe, expect, it } from 'vitest';
import type { AgentEvent, CommandExecutionItem } from '../../../../src/agent/events.js';
import { ExecSession } from '../../../../src/agent/tools/unified-exec/session.js';
import { ExecSessions, MAX_SESSIONS } from '../../../../src/agent/tools/unified-exec/sessions.js';
import type { LiveExit, LiveProcess } from '../../../../src/sandbox/index.js';

/** A process under the test's control: it prints and ends when told. */
class FakeProcess {
  exit: LiveExit | null = null;
  killed = false;
  readonly tty = true;
  readonly sandboxed = true;
  private out: Array<(c: Buffer) => void> = [];
  private end!: (e: LiveExit) => void;
  readonly done = new Promise<LiveExit>((r) => (this.end = r));
  onOutput(l: (c: Buffer) => void): void {
    this.out.push(l);
  }
  print(text: string): void {
    for (const l of this.out) l(Buffer.from(text));
  }
  finish(exitCode: number): void {
    this.exit = { exitCode };
    this.end(this.exit);
  }
  write(): boolean {
    return !this.exit;
  }
  kill(): void {
    this.killed = true;
    this.finish(137);
  }
}

const item = (n: number): CommandExecutionItem => ({
  id: `item_${n}`,
  type: 'command_execution',
  command: `cmd ${n}`,
  cwd: '/w',
  aggregated_output: '',
  exit_code: null,
  status: 'in_progress',
});

function setup() {
  const store = new ExecSessions();
  const events: AgentEvent[] = [];
  store.attach((e) => events.push(e));
  const make = (n: number) => {
    const proc = new FakeProcess();
    const session = new ExecSession(proc as unknown as LiveProcess, item(n), store.onText);
    session.lastUsed = n;
    return { proc, session };
  };
  return { store, events, make };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ExecSessions', () => {
  it('hands out distinct ids from 1000 to 99999', () => {
    const { store, make } = setup();
    const ids = Array.from({ length: 50 }, (_, i) => store.add(make(i).session).id);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id >= 1000 && id < 100_000).toBe(true);
  });

  it(`keeps at most ${MAX_SESSIONS}: an exited one goes first, then the least recently used, never one of the 8 most recent`, async () => {
    const { store, events, make } = setup();
    const all = Array.from({ length: MAX_SESSIONS }, (_, i) => make(i));
    const ids = all.map((s) => store.add(s.session).id);
    // The oldest is touched again (now among the most recent); number 10 has ended unseen.
    (all[0] as { session: ExecSession }).session.lastUsed = 1000;
    const tenth = all[10] as { proc: FakeProcess };
    tenth.proc.finish(0);
    await tick();

    const first = store.add(make(100).session);
    expect(first.ended).toBe(ids[10]);
    const second = store.add(make(101).session);
    expect(second.ended).toBe(ids[1]);
    expect((all[1] as { proc: FakeProcess }).proc.killed).toBe(true);
    expect((all[0] as { proc: FakeProcess }).proc.killed).toBe(false);
    expect(store.size).toBe(MAX_SESSIONS);
    // The item of the one ended to make room completes (killed: 137).
    await tick();
    expect(events).toContainEqual({ type: 'item.completed', item: { ...item(1), exit_code: 137, status: 'failed' } });
  });

  it('streams output to the open item, completes it when the process ends, and only once', async () => {
    const { store, events, make } = setup();
    const { proc, session } = make(1);
    store.add(session);
    proc.print('hello\n');
    proc.finish(3);
    await tick();
    expect(events).toEqual([
      { type: 'command_output.delta', item_id: 'item_1', delta: 'hello\n' },
      { type: 'item.completed', item: { ...item(1), aggregated_output: 'hello\n', exit_code: 3, status: 'failed' } },
    ]);
  });

  it('at the end of a turn, running processes complete their items as they stand; later events go nowhere', async () => {
    const { store, events, make } = setup();
    const { proc, session } = make(2);
    store.add(session);
    proc.print('up\n');
    store.finishTurn();
    expect(events.at(-1)).toEqual({ type: 'item.completed', item: { ...item(2), aggregated_output: 'up\n' } });
    const count = events.length;
    proc.print('more\n');
    proc.finish(0);
    await tick();
    expect(events).toHaveLength(count);
    // The output is still there for the model.
    expect(session.take().text).toBe('up\nmore\n');
  });

  it('terminateAll kills every process, quietly', async () => {
    const { store, events, make } = setup();
    const a = make(1);
    const b = make(2);
    store.add(a.session);
    store.add(b.session);
    store.terminateAll();
    await tick();
    expect(a.proc.killed && b.proc.killed).toBe(true);
    expect(store.size).toBe(0);
    expect(events).toEqual([]);
  });
});
