/**
 * One connection following one thread: the thread's events as app-server notifications (Codex's names and
 * order: `turn/started`, `item/started`, deltas, `item/completed`, `thread/tokenUsage/updated`,
 * `turn/completed`, …), and the turn's approval questions as server→client requests when this connection
 * started the turn.
 */
import type { AgentEvent, FileChangeItem, ThreadItem, Usage } from '../agent/index.js';
import type { Asker, LiveThread, ThreadEvent } from '../host/index.js';
import type { ApprovalQuestion, ApprovalReply } from '../sandbox/index.js';
import { uuidv7 } from '../shared/index.js';
import type { RpcConnection } from './jsonrpc.js';
import type { V2ThreadItem, V2TokenUsageBreakdown, V2Turn } from './protocol.js';
import { agentMessage, userMessage, v2Item } from './wire.js';

const breakdown = (u: Usage): V2TokenUsageBreakdown => ({
  totalTokens: u.input_tokens + u.output_tokens,
  inputTokens: u.input_tokens,
  cachedInputTokens: u.cached_input_tokens,
  cacheWriteInputTokens: u.cache_write_input_tokens,
  outputTokens: u.output_tokens,
  reasoningOutputTokens: u.reasoning_output_tokens,
});

/**
 * A change's `diff` as Codex's clients read it: an added file's content, a deleted file's content, an
 * update's unified diff from its first hunk (no `---`/`+++` file header: the path is beside it).
 */
function changeText(kind: 'add' | 'delete' | 'update', diff: string | undefined, oldText: string | null | undefined, newText: string | null | undefined): string {
  if (kind === 'add') return newText ?? '';
  if (kind === 'delete') return oldText ?? '';
  return (diff ?? '').replace(/^--- [^\n]*\n\+\+\+ [^\n]*\n/, '');
}

interface Streaming {
  id: string;
  text: string;
}

export class ThreadSubscription {
  private readonly stop: () => void;
  /** Notifications held back until a response has been written (see hold()). */
  private held: Array<[string, unknown]> | null = null;
  private turnId = '';
  private n = 0;
  private message: Streaming | null = null;
  private reasoning: Streaming | null = null;
  /** Commands started and not completed, oldest first; `asked` once a question named them. */
  private commands: Array<{ id: string; cwd: string; command: string; asked: boolean }> = [];
  /** A patch shown for approval (its fileChange item started), waiting for the agent's own item. */
  private approvedPatch: { id: string; changes: V2ThreadItem } | null = null;
  private readonly alias = new Map<string, string>();
  private readonly diffs = new Map<string, Map<string, string>>();
  private readonly heldPatches = new Map<string, FileChangeItem>();
  private lastAnswer: V2ThreadItem | null = null;
  private failure: string | null = null;
  /** Patches subagents asked to apply (their fileChange items, by agent id), completed when the child's own item is. */
  private readonly childPatches = new Map<string, V2ThreadItem>();
  /** The contextCompaction item of a running thread/compact/start. */
  private compaction: string | null = null;
  private waiting = 0;
  readonly asker: Asker;

  constructor(
    private readonly conn: RpcConnection,
    readonly thread: LiveThread,
  ) {
    this.stop = thread.subscribe((e) => this.handle(e));
    this.asker = (q, turn) => this.ask(q, turn);
  }

  close(): void {
    this.stop();
    this.thread.dropAsker(this.asker);
  }

  /** Holds notifications until release(): a request's response must come before what it started. */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const [method, params] of held) this.conn.notify(method, params);
  }

  private notify(method: string, params: Record<string, unknown>): void {
    if (this.held) this.held.push([method, params]);
    else this.conn.notify(method, params);
  }

  private get ids(): { threadId: string; turnId: string } {
    return { threadId: this.thread.id, turnId: this.turnId };
  }

  private started(item: V2ThreadItem): void {
    this.notify('item/started', { item, ...this.ids, startedAtMs: Date.now() });
  }

  private completed(item: V2ThreadItem): void {
    this.notify('item/completed', { item, ...this.ids, completedAtMs: Date.now(), contentTokenCount: null });
  }

  private status(flags: Array<'waitingOnApproval'> | null): void {
    this.notify('thread/status/changed', { threadId: this.thread.id, status: flags === null ? { type: 'idle' } : { type: 'active', activeFlags: flags } });
  }

  private handle(e: ThreadEvent): void {
    if (e.kind === 'turn.begin') {
      this.turnId = e.turnId;
      this.failure = null;
      this.lastAnswer = null;
      this.status([]);
      this.notify('turn/started', { threadId: this.thread.id, turn: this.turn('inProgress', e.startedAt, null) });
      if (e.compaction) {
        this.compaction = `compact_${this.n++}`;
        this.started({ type: 'contextCompaction', id: this.compaction });
        return;
      }
      if (e.review !== undefined) {
        // A review (review/start) shows as Codex's: entered review mode (what is reviewed), the reviewer's
        // items, exited review mode with the review.
        const entered: V2ThreadItem = { type: 'enteredReviewMode', id: `review_${this.n++}`, review: e.review };
        this.started(entered);
        this.completed(entered);
        return;
      }
      const user = userMessage(uuidv7(), e.input.text);
      this.started(user);
      this.completed(user);
    } else if (e.kind === 'turn.steered') {
      const user = userMessage(uuidv7(), e.input.text);
      this.started(user);
      this.completed(user);
    } else if (e.kind === 'agent') this.agentEvent(e.event);
    else if (e.kind === 'review.exited') {
      this.closeStreams();
      const exited: V2ThreadItem = { type: 'exitedReviewMode', id: `review_${this.n++}`, review: e.text };
      this.started(exited);
      this.completed(exited);
      this.lastAnswer = exited;
    } else {
      this.closeStreams();
      if (this.compaction) this.completed({ type: 'contextCompaction', id: this.compaction });
      this.compaction = null;
      this.status(null);
      const status = e.outcome.status === 'completed' ? 'completed' : e.outcome.status === 'interrupted' ? 'interrupted' : 'failed';
      this.notify('turn/completed', { threadId: this.thread.id, turn: this.turn(status, e.startedAt, e.completedAt) });
    }
  }

  private turn(status: V2Turn['status'], startedAt: number, completedAt: number | null): V2Turn {
    const done = completedAt !== null;
    const failure = status === 'failed' ? (this.failure ?? 'the turn failed') : null;
    return {
      id: this.turnId,
      rootTurnId: this.turnId,
      items: done && this.lastAnswer ? [this.lastAnswer] : [],
      itemsView: done && this.lastAnswer ? 'summary' : 'notLoaded',
      status,
      error: failure === null ? null : { message: failure, codexErrorInfo: null, additionalDetails: null },
      startedAt: Math.floor(startedAt / 1000),
      completedAt: completedAt === null ? null : Math.floor(completedAt / 1000),
      durationMs: completedAt === null ? null : completedAt - startedAt,
    };
  }

  /** Streamed text whose item never completed (an interrupted response) is completed as it stands. */
  private closeStreams(): void {
    if (this.reasoning) this.completed({ type: 'reasoning', id: this.reasoning.id, summary: [this.reasoning.text], content: [] });
    if (this.message) this.completed(agentMessage(this.message.id, this.message.text));
    this.reasoning = null;
    this.message = null;
    this.commands = [];
  }

  private agentEvent(ev: AgentEvent): void {
    const { threadId, turnId } = this.ids;
    switch (ev.type) {
      case 'agent_message.delta':
        if (!this.message) {
          this.message = { id: `msg_${this.n++}`, text: '' };
          this.started(agentMessage(this.message.id, ''));
        }
        this.message.text += ev.delta;
        this.notify('item/agentMessage/delta', { threadId, turnId, itemId: this.message.id, delta: ev.delta });
        return;
      case 'reasoning.delta':
        if (!this.reasoning) {
          this.reasoning = { id: `rs_${this.n++}`, text: '' };
          this.started({ type: 'reasoning', id: this.reasoning.id, summary: [], content: [] });
          this.notify('item/reasoning/summaryPartAdded', { threadId, turnId, itemId: this.reasoning.id, summaryIndex: 0 });
        }
        this.reasoning.text += ev.delta;
        this.notify('item/reasoning/summaryTextDelta', { threadId, turnId, itemId: this.reasoning.id, delta: ev.delta, summaryIndex: 0 });
        return;
      case 'item.started':
        return this.itemStarted(ev.item);
      case 'item.updated':
        if (ev.item.type === 'todo_list') this.plan(ev.item.items);
        return;
      case 'item.completed':
        return this.itemCompleted(ev.item);
      case 'command_output.delta':
        this.notify('item/commandExecution/outputDelta', { threadId, turnId, itemId: ev.item_id, delta: ev.delta });
        return;
      case 'patch.diff': {
        const id = this.alias.get(ev.item_id) ?? ev.item_id;
        this.diffs.set(id, new Map(ev.diffs.map((d) => [d.path, changeText(d.kind, d.diff, d.old_text, d.new_text)])));
        return;
      }
      case 'usage.updated':
        this.notify('thread/tokenUsage/updated', {
          threadId,
          turnId,
          tokenUsage: { total: breakdown(ev.total), last: breakdown(ev.last), modelContextWindow: this.thread.agent.session.model.facts.contextWindow },
        });
        return;
      case 'turn.failed':
        this.failure = ev.error.message;
        this.notify('error', { threadId, turnId, willRetry: false, error: { message: ev.error.message, codexErrorInfo: null, additionalDetails: null } });
        return;
      case 'error':
        this.notify('error', { threadId, turnId, willRetry: true, error: { message: ev.message, codexErrorInfo: null, additionalDetails: null } });
        return;
      case 'warning':
        this.notify('warning', { threadId, message: ev.message });
        return;
      case 'context.compacted':
        this.notify('thread/compacted', { threadId, turnId });
        return;
      case 'subagent.event':
        return this.childEvent(ev.agent_id, ev.event);
      default:
        return;
    }
  }

  /** What a subagent did that this connection shows: the end of a patch it asked this client to approve. */
  private childEvent(agentId: string, ev: AgentEvent): void {
    const patch = this.childPatches.get(agentId);
    if (!patch || ev.type !== 'item.completed' || ev.item.type !== 'file_change') return;
    this.childPatches.delete(agentId);
    this.completed({ ...patch, status: ev.item.status === 'completed' ? 'completed' : 'failed' } as V2ThreadItem);
  }

  private readonly agentInfo = (id: string) => this.thread.agent.subagents?.get(id);

  private plan(items: ReadonlyArray<{ text: string; completed: boolean }>): void {
    this.notify('turn/plan/updated', { ...this.ids, explanation: null, plan: items.map((i) => ({ step: i.text, status: i.completed ? 'completed' : 'pending' })) });
  }

  private itemStarted(item: ThreadItem): void {
    if (item.type === 'todo_list') return this.plan(item.items);
    if (item.type === 'error') return;
    if (item.type === 'file_change') {
      const shown = this.approvedPatch;
      if (shown) {
        // Already on screen since its approval question: the agent's item continues it.
        this.alias.set(item.id, shown.id);
        this.approvedPatch = null;
      } else this.heldPatches.set(item.id, item);
      return;
    }
    if (item.type === 'command_execution') this.commands.push({ id: item.id, cwd: item.cwd, command: item.command, asked: false });
    const v2 = v2Item(item, undefined, this.agentInfo);
    if (v2) this.started(v2);
  }

  private itemCompleted(item: ThreadItem): void {
    if (item.type === 'todo_list') return this.plan(item.items);
    if (item.type === 'error') {
      this.notify('warning', { threadId: this.thread.id, message: item.message });
      return;
    }
    if (item.type === 'agent_message' || item.type === 'reasoning') {
      const streaming = item.type === 'agent_message' ? this.message : this.reasoning;
      const v2 = v2Item(streaming ? { ...item, id: streaming.id } : item) as V2ThreadItem;
      if (!streaming) this.started(item.type === 'agent_message' ? agentMessage(item.id, '') : { type: 'reasoning', id: item.id, summary: [], content: [] });
      if (item.type === 'agent_message') {
        this.message = null;
        this.lastAnswer = v2;
      } else this.reasoning = null;
      this.completed(v2);
      return;
    }
    if (item.type === 'command_execution') this.commands = this.commands.filter((c) => c.id !== item.id);
    if (item.type === 'file_change') {
      const id = this.alias.get(item.id) ?? item.id;
      const v2 = v2Item({ ...item, id }, this.diffs.get(id)) as V2ThreadItem;
      if (this.heldPatches.delete(item.id)) this.started({ ...v2, status: 'inProgress' } as V2ThreadItem);
      this.diffs.delete(id);
      this.completed(v2);
      return;
    }
    const v2 = v2Item(item, undefined, this.agentInfo);
    if (v2) this.completed(v2);
  }

  // --- approvals ---

  private async ask(q: ApprovalQuestion, turn: { turnId: string; signal: AbortSignal }): Promise<ApprovalReply> {
    const { threadId } = this.ids;
    const base = { threadId, turnId: turn.turnId, startedAtMs: Date.now() };
    let method: string;
    let params: Record<string, unknown>;
    let declined: (() => void) | null = null;
    // A subagent's question names it; its commands and patches are not among this thread's items.
    const child = q.agent;
    const who = child ? `${child.nickname}${child.role ? ` (${child.role})` : ''}, a subagent: ` : '';
    if (q.kind === 'command') {
      const pending = child ? [] : this.commands.filter((c) => c.cwd === q.cwd);
      const item = child ? undefined : ([...pending].reverse().find((c) => !c.asked) ?? pending[pending.length - 1] ?? this.commands[this.commands.length - 1]);
      if (item) item.asked = true;
      const command = item?.command ?? q.argv.join(' ');
      method = 'item/commandExecution/requestApproval';
      params = {
        ...base,
        itemId: item?.id ?? `call_${this.n++}`,
        reason: who + (q.retryWithoutSandbox ? 'command failed; retry without sandbox?' : (q.justification ?? q.reason)),
        command,
        cwd: q.cwd,
        commandActions: [{ type: 'unknown', command }],
        availableDecisions: ['accept', 'acceptForSession', 'decline', 'cancel'],
      };
    } else if (q.kind === 'patch') {
      const id = `patch_${this.n++}`;
      const item: V2ThreadItem = {
        type: 'fileChange',
        id,
        changes: q.changes.map((c) => ({
          path: c.path,
          kind: c.kind === 'update' ? { type: 'update', move_path: c.movePath ?? null } : { type: c.kind },
          diff: changeText(c.kind, c.preview?.diff, c.preview?.oldText, c.preview?.newText),
        })),
        status: 'inProgress',
      };
      this.started(item);
      if (child) this.childPatches.set(child.id, item);
      else this.approvedPatch = { id, changes: item };
      declined = () => {
        if (child) this.childPatches.delete(child.id);
        else this.approvedPatch = null;
        this.completed({ ...item, status: 'declined' } as V2ThreadItem);
      };
      method = 'item/fileChange/requestApproval';
      params = { ...base, itemId: id, reason: who + q.reason, grantRoot: null };
    } else {
      method = 'mcpServer/elicitation/request';
      params = {
        threadId,
        turnId: turn.turnId,
        serverName: q.server,
        mode: 'form',
        message: `${who}Allow the ${q.server} MCP server to run tool "${q.tool}"? (${q.reason})`,
        requestedSchema: { type: 'object', properties: {} },
        _meta: { codex_approval_kind: 'mcp_tool_call', tool: q.tool },
      };
    }
    this.waiting++;
    this.status(['waitingOnApproval']);
    const request = this.conn.request(method, params);
    const onAbort = (): void => this.conn.forget(request.id);
    turn.signal.addEventListener('abort', onAbort, { once: true });
    let reply: ApprovalReply = { answer: 'deny' };
    let cancel = false;
    try {
      const result = (await request.result) as { decision?: unknown; action?: unknown } | null;
      const decision = q.kind === 'mcp_tool' ? (result?.action === 'accept' ? 'accept' : 'decline') : result?.decision;
      if (decision === 'accept') reply = { answer: 'approve-once' };
      else if (decision === 'acceptForSession' || (decision !== null && typeof decision === 'object' && 'acceptWithExecpolicyAmendment' in decision)) {
        reply = { answer: 'approve-session' };
      } else cancel = decision === 'cancel';
    } catch {
      // The client went away or the turn ended: declined.
    } finally {
      turn.signal.removeEventListener('abort', onAbort);
      this.waiting--;
      this.notify('serverRequest/resolved', { threadId, requestId: request.id });
      if (!turn.signal.aborted) this.status(this.waiting > 0 ? ['waitingOnApproval'] : []);
    }
    if (reply.answer === 'deny') declined?.();
    // "cancel": decline and stop the turn, as Codex does.
    if (cancel) void this.thread.interrupt(turn.turnId);
    return reply;
  }
}
