/**
 * The subagents of one session (the whole tree: the session's helpers and theirs): spawning them within
 * the limits, running each one's turns concurrently in this process, queueing what is sent to them,
 * waiting on them with a bounded timeout, closing and reopening them, interrupting them with their parent,
 * and counting what each one used and cost. A child that fails becomes `errored`; nothing it does throws
 * into its parent.
 */
import { estimateCost } from '../../catalog/index.js';
import type { AgentSettings } from '../../config/index.js';
import type { ResponseItem } from '../../providers/index.js';
import { UserError, uuidv7 } from '../../shared/index.js';
import { addUsage, ZERO_USAGE, type AgentEvent, type AgentStatus, type SubagentInfo, type Usage } from '../events.js';
import { chooseChildModel, type ModelChoiceContext } from './model-choice.js';
import { pickNickname } from './nicknames.js';
import { DEFAULT_ROLE, type Role } from './roles.js';
import { isFinal, statusJson } from './status.js';

export { DEFAULT_WAIT_MS, MIN_WAIT_MS, MAX_WAIT_MS, waitTimeout, forkableHistory, type CollabOwner, type ChildSpec, type ChildRuntime, type ChildFactory, type SubagentManagerOptions } from './manager-types.js';
import { waitTimeout, forkableHistory, type CollabOwner, type ChildSpec, type ChildRuntime, type SubagentManagerOptions } from './manager-types.js';

export class CollabError extends Error {}

/** An error as one line for the model, with the fix a UserError names (a required MCP server's file). */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err instanceof UserError && err.hint ? `${err.message} (${err.hint})` : err.message;
}

class Child {
  status: AgentStatus = 'pending_init';
  closed = false;
  readonly queue: string[] = [];
  abort: AbortController | null = null;
  running: Promise<void> | null = null;
  activity: string | null = null;
  usage: Usage = { ...ZERO_USAGE };
  runtime: ChildRuntime | null = null;
  /** A restored child's rollout, continued when it is given work again. */
  resumeFrom: string | undefined;

  constructor(readonly spec: ChildSpec) {}

  get id(): string {
    return this.spec.id;
  }
}

export class SubagentManager {
  private readonly children = new Map<string, Child>();
  private readonly watchers = new Set<() => void>();
  /** Helpers that finished since their parent last looked (by parent thread id): told at its next request. */
  private readonly notices = new Map<string, Map<string, AgentStatus>>();
  private sink: ((event: AgentEvent) => void) | null = null;
  private seed = Math.floor(Math.random() * 1000);
  /** Aborted when the session ends: children still starting give up. */
  private readonly ending = new AbortController();
  /** Children being built and runtimes being disposed: the session's end waits for them. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly o: SubagentManagerOptions) {}

  get settings(): AgentSettings {
    return this.o.settings;
  }

  get choiceContext(): ModelChoiceContext {
    return this.o.choice;
  }

  get roles(): ReadonlyMap<string, Role> {
    return this.o.roles;
  }

  /** Where `subagent.updated` and `subagent.event` go (a front end that shows children). */
  setSink(sink: ((event: AgentEvent) => void) | null): void {
    this.sink = sink;
  }

  /** Every child, in the order they were spawned. */
  list(): SubagentInfo[] {
    return [...this.children.values()].map((c) => this.info(c));
  }

  get(id: string): SubagentInfo | undefined {
    const c = this.children.get(id);
    return c ? this.info(c) : undefined;
  }

  /** What every child used, added up, and its cost where every child's model has prices (else null). */
  total(): { usage: Usage; cost_usd: number | null; count: number } {
    let usage: Usage = { ...ZERO_USAGE };
    let cost: number | null = 0;
    for (const c of this.children.values()) {
      usage = addUsage(usage, c.usage);
      const own = this.costOf(c);
      cost = cost === null || own === null ? null : cost + own;
    }
    return { usage, cost_usd: this.children.size === 0 ? 0 : cost, count: this.children.size };
  }

  /** Whether a session at `depth` may spawn (the tools are offered only then). */
  canSpawnFrom(depth: number): boolean {
    return this.o.settings.enabled && depth + 1 <= this.o.settings.maxDepth;
  }

  /**
   * Spawns a child of `owner` working on `message` (once its agent type's MCP servers have started).
   * Rejects with a CollabError with a message the model can read. `warnings`: what failed to start
   * without stopping it.
   */
  async spawn(
    owner: CollabOwner,
    req: { message: string; agentType?: string | undefined; model?: string | undefined; effort?: string | undefined; forkContext?: boolean | undefined },
  ): Promise<SubagentInfo & { warnings: readonly string[] }> {
    if (this.ending.signal.aborted) throw new CollabError('cannot spawn an agent: the session is ending');
    const { settings } = this.o;
    if (req.message.trim() === '') throw new CollabError('spawn_agent needs a non-empty `message`: the task for the new agent');
    if (owner.depth + 1 > settings.maxDepth) {
      throw new CollabError(
        `cannot spawn an agent at depth ${owner.depth + 1}: agents.max_depth is ${settings.maxDepth}. Do the work yourself, or ask your parent agent to spawn it`,
      );
    }
    const open = [...this.children.values()].filter((c) => !c.closed);
    if (open.length >= settings.maxThreads) {
      const finished = open.filter((c) => isFinal(c.status)).map((c) => `${c.id} (${c.spec.nickname})`);
      throw new CollabError(
        `cannot spawn another agent: ${open.length} are open and agents.max_threads is ${settings.maxThreads}. ` +
          (finished.length > 0 ? `Close finished ones with close_agent first: ${finished.join(', ')}` : 'Wait for one to finish and close it with close_agent first'),
      );
    }
    const typeName = req.agentType ?? DEFAULT_ROLE;
    const role = this.o.roles.get(typeName);
    if (!role) throw new CollabError(`unknown agent_type \`${typeName}\`. Available: ${[...this.o.roles.keys()].join(', ')}`);
    const choice = chooseChildModel(this.o.choice, owner.parent(), { model: req.model, effort: req.effort, role });
    if ('error' in choice) throw new CollabError(choice.error);
    const taken = new Set(open.map((c) => c.spec.nickname));
    const nickname = pickNickname(taken, role.nicknames ?? [], this.seed++);
    const spec: ChildSpec = { id: uuidv7(), nickname, role, parentId: owner.threadId, depth: owner.depth + 1, choice };
    if (req.forkContext === true) {
      if (!owner.history) throw new CollabError('fork_context is not available here: give the agent what it needs to know in `message`');
      spec.forked = forkableHistory(owner.history(), choice.model.requested === owner.parent().model.requested);
    }
    const child = new Child(spec);
    // Counted against max_threads while it starts, so spawns made meanwhile see it.
    this.children.set(spec.id, child);
    let runtime: ChildRuntime;
    const starting = this.o.factory(spec, { signal: this.ending.signal });
    this.track(starting);
    try {
      runtime = await starting;
    } catch (err) {
      this.children.delete(spec.id);
      throw new CollabError(`could not start the agent: ${errorText(err)}`);
    }
    child.runtime = runtime;
    if (this.ending.signal.aborted || child.closed) {
      child.closed = true;
      child.status = 'shutdown';
      this.release(child);
      this.changed(child);
      return { ...this.info(child), warnings: runtime.warnings };
    }
    this.enqueue(child, req.message);
    return { ...this.info(child), warnings: runtime.warnings };
  }

  /** Gives a child more work (after its current turn, or at once with `interrupt`). Returns a submission id. */
  send(target: string, message: string, interrupt: boolean): string {
    const child = this.find(target);
    if (child.closed) throw new CollabError(`agent ${target} (${child.spec.nickname}) is closed; reopen it with resume_agent before sending it input`);
    if (message.trim() === '') throw new CollabError('send_input needs a non-empty `message`');
    if (interrupt && child.abort) child.abort.abort();
    // Working again from now on: a wait that follows sees this work's outcome, not the last one's.
    if (isFinal(child.status)) child.status = 'running';
    this.enqueue(child, message);
    return uuidv7();
  }

  /**
   * Waits until one of `targets` reaches a final status (completed, errored, interrupted, shutdown) or
   * `timeoutMs` passes (clamped to 1 ms–5 min), and returns every target's status.
   */
  async wait(targets: readonly string[], timeoutMs: number | undefined, signal: AbortSignal): Promise<{ status: Record<string, AgentStatus>; timed_out: boolean }> {
    if (targets.length === 0) throw new CollabError('wait_agent needs at least one agent id in `targets`');
    const children = targets.map((t) => this.find(t));
    const snapshot = (): Record<string, AgentStatus> => Object.fromEntries(children.map((c) => [c.id, c.status]));
    const done = (): boolean => children.some((c) => isFinal(c.status));
    if (done()) return { status: snapshot(), timed_out: false };
    const ms = waitTimeout(timeoutMs);
    const timedOut = await new Promise<boolean>((resolve) => {
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        this.watchers.delete(watch);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const watch = (): void => {
        if (done()) finish(false);
      };
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      this.watchers.add(watch);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    for (const c of children) if (isFinal(c.status)) this.notices.get(c.spec.parentId)?.delete(c.id);
    return { status: snapshot(), timed_out: timedOut && !done() };
  }

  /**
   * The helpers of `ownerId` that finished since it last waited on them, as one `<subagent_notification>`
   * message each, once: the owner's next request tells its model.
   */
  takeNotices(ownerId: string): ResponseItem[] {
    const pending = this.notices.get(ownerId);
    if (!pending || pending.size === 0) return [];
    const items: ResponseItem[] = [];
    for (const [id, status] of pending) {
      const c = this.children.get(id);
      const body = JSON.stringify({ agent_id: id, nickname: c?.spec.nickname ?? null, status: statusJson(status) });
      items.push({ type: 'message', role: 'user', content: [{ type: 'input_text', text: `<subagent_notification>\n${body}\n</subagent_notification>` }] });
    }
    pending.clear();
    return items;
  }

  /** Closes a child (interrupting it if it runs); returns its status before. */
  close(target: string): AgentStatus {
    const child = this.find(target);
    if (child.closed) throw new CollabError(`agent ${target} (${child.spec.nickname}) is already closed`);
    const previous = child.status;
    child.closed = true;
    this.notices.get(child.spec.parentId)?.delete(child.id);
    child.queue.length = 0;
    child.abort?.abort();
    if (!child.running) {
      child.status = 'shutdown';
      this.release(child);
    }
    this.changed(child);
    return previous;
  }

  /** Reopens a closed child so it can take input again; returns its status. */
  resume(target: string): AgentStatus {
    const child = this.find(target);
    if (!child.closed) throw new CollabError(`agent ${target} (${child.spec.nickname}) is not closed; send it input with send_input`);
    const open = [...this.children.values()].filter((c) => !c.closed).length;
    if (open >= this.o.settings.maxThreads) {
      throw new CollabError(`cannot reopen agent ${target}: ${open} are open and agents.max_threads is ${this.o.settings.maxThreads}; close another one first`);
    }
    child.closed = false;
    if (child.status === 'shutdown') child.status = 'interrupted';
    this.changed(child);
    return child.status;
  }

  /** Interrupts every running child of `ownerId` and their children (the owner's turn was interrupted). */
  interruptTree(ownerId: string): void {
    for (const c of this.children.values()) {
      if (c.spec.parentId !== ownerId) continue;
      c.queue.length = 0;
      c.abort?.abort();
    }
  }

  /**
   * Interrupts every running child and waits for their turns to end, then releases them all (their own
   * MCP servers closed) and waits for that too. Nothing can be spawned after it.
   */
  async shutdown(): Promise<void> {
    this.ending.abort();
    for (const c of this.children.values()) {
      c.queue.length = 0;
      c.abort?.abort();
    }
    await Promise.all([...this.children.values()].map((c) => c.running ?? Promise.resolve()));
    for (const c of this.children.values()) this.release(c);
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(p: Promise<unknown>): void {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  /**
   * A child known from a resumed parent's rollout: its last status (a turn that never ended is
   * `interrupted`) and its own rollout, continued if it is given work again.
   */
  restore(spec: ChildSpec, state: { status: AgentStatus; closed: boolean; usage?: Usage; rolloutPath?: string | undefined }): void {
    const child = new Child(spec);
    child.status = state.status === 'running' || state.status === 'pending_init' ? 'interrupted' : state.status;
    child.closed = state.closed;
    if (state.usage) child.usage = { ...state.usage };
    child.resumeFrom = state.rolloutPath;
    this.children.set(spec.id, child);
  }

  private find(id: string): Child {
    const child = this.children.get(id);
    if (!child) {
      const known = [...this.children.values()].map((c) => `${c.id} (${c.spec.nickname})`);
      throw new CollabError(`no agent with id ${id}${known.length > 0 ? `. Known agents: ${known.join(', ')}` : ': no agent was spawned in this session'}`);
    }
    return child;
  }

  private enqueue(child: Child, message: string): void {
    child.queue.push(message);
    if (!child.running) child.running = this.drive(child);
    this.changed(child);
  }

  /** Runs the child's queued messages one turn each, until none is left. */
  private async drive(child: Child): Promise<void> {
    await Promise.resolve();
    while (child.queue.length > 0 && !child.closed) {
      const message = child.queue.shift() as string;
      const abort = new AbortController();
      child.abort = abort;
      child.status = 'running';
      child.activity = 'starting';
      this.changed(child);
      let status: AgentStatus;
      try {
        const session = (await this.runtimeOf(child)).session;
        const outcome = await session.runTurn({ text: message }, { signal: abort.signal, emit: (e) => this.childEvent(child, e) });
        child.usage = { ...session.usage };
        if (outcome.status === 'completed') status = { completed: outcome.lastMessage };
        else if (outcome.status === 'failed') status = { errored: outcome.message };
        else status = 'interrupted';
      } catch (err) {
        status = abort.signal.aborted ? 'interrupted' : { errored: err instanceof Error ? err.message : String(err) };
      }
      child.abort = null;
      child.activity = null;
      // With more input queued the child works on: only the outcome of its last piece of work is reported.
      if (child.closed) child.status = 'shutdown';
      else if (child.queue.length === 0) {
        child.status = status;
        this.notice(child);
      }
      this.changed(child);
    }
    child.running = null;
    if (child.closed) {
      child.status = 'shutdown';
      this.release(child);
      this.changed(child);
    }
  }

  private notice(child: Child): void {
    const parent = child.spec.parentId;
    let pending = this.notices.get(parent);
    if (!pending) this.notices.set(parent, (pending = new Map()));
    pending.set(child.id, child.status);
  }

  /** The child's runtime, built again (continuing its rollout) when it was released and is given work. */
  private async runtimeOf(child: Child): Promise<ChildRuntime> {
    if (!child.runtime) {
      const starting = this.o.factory(child.spec, { resumeFrom: child.resumeFrom, signal: this.ending.signal });
      this.track(starting);
      const runtime = await starting;
      child.resumeFrom = undefined;
      child.runtime = runtime;
      for (const w of runtime.warnings) this.sink?.({ type: 'subagent.event', agent_id: child.id, event: { type: 'warning', message: w } });
    }
    return child.runtime;
  }

  private release(child: Child): void {
    const rt = child.runtime;
    if (!rt) return;
    child.runtime = null;
    child.resumeFrom = rt.rolloutPath ?? undefined;
    // Closing its rollout, commands or servers failing is nothing the parent can act on.
    let disposing: Promise<void>;
    try {
      disposing = rt.dispose();
    } catch {
      return;
    }
    this.track(disposing);
  }

  private childEvent(child: Child, event: AgentEvent): void {
    let update = false;
    if (event.type === 'usage.updated') {
      child.usage = { ...event.total };
      update = true;
    } else if (event.type === 'item.started') {
      const item = event.item;
      child.activity = item.type === 'command_execution' ? `running ${item.command}` : item.type === 'file_change' ? 'editing files' : item.type === 'mcp_tool_call' ? `calling ${item.server}.${item.tool}` : child.activity;
      update = true;
    } else if (event.type === 'reasoning.delta' && child.activity !== 'thinking') {
      child.activity = 'thinking';
      update = true;
    } else if (event.type === 'agent_message.delta' && child.activity !== 'writing') {
      child.activity = 'writing';
      update = true;
    }
    this.sink?.({ type: 'subagent.event', agent_id: child.id, event });
    if (update) this.changed(child, false);
  }

  private changed(child: Child, statusMayHaveChanged = true): void {
    this.sink?.({ type: 'subagent.updated', agent: this.info(child) });
    if (statusMayHaveChanged) for (const w of [...this.watchers]) w();
  }

  private costOf(child: Child): number | null {
    return estimateCost(child.spec.choice.model.entry, child.usage);
  }

  private info(c: Child): SubagentInfo {
    const { spec } = c;
    return {
      id: spec.id,
      nickname: spec.nickname,
      role: spec.role.name === DEFAULT_ROLE ? null : spec.role.name,
      parent_id: spec.parentId,
      depth: spec.depth,
      model: spec.choice.model.requested,
      provider: spec.choice.provider.id,
      effort: spec.choice.effort ?? null,
      status: c.status,
      activity: c.activity,
      usage: { ...c.usage },
      cost_usd: this.costOf(c),
      rollout_path: c.runtime?.rolloutPath ?? c.resumeFrom ?? null,
    };
  }
}
