/**
 * One ACP session following one thread: the thread's events as `session/update` notifications (message and
 * thought chunks, tool calls with their status, output and diffs, plans, usage), and the turn's approval
 * questions as `session/request_permission` requests, linked to the tool call they are about.
 */
import type { AgentEvent, CollabToolCallItem, ThreadItem } from '../agent/index.js';
import type { Asker, LiveThread, ThreadEvent } from '../host/index.js';
import type { ApprovalQuestion, ApprovalReply } from '../sandbox/index.js';
import { collabTitle, stateText } from './collab.js';
import type { AgentContext, PermissionOption, SessionUpdate, ToolCallContent, ToolCallUpdate, ToolKind } from '@agentclientprotocol/sdk';

const text = (t: string): ToolCallContent => ({ type: 'content', content: { type: 'text', text: t } });

/** Output shown in a tool call, as a fenced block (long output keeps its end, where errors are). */
function outputBlock(output: string): ToolCallContent {
  const max = 20_000;
  const kept = output.length > max ? `…\n${output.slice(-max)}` : output;
  return text(`\`\`\`\n${kept.replace(/```/g, '`\u200b``')}${kept.endsWith('\n') ? '' : '\n'}\`\`\``);
}

const OUTPUT_EVERY_MS = 150;

const PERMISSION_OPTIONS: PermissionOption[] = [
  { optionId: 'allow_once', name: 'Allow', kind: 'allow_once' },
  { optionId: 'allow_always', name: 'Allow for this session', kind: 'allow_always' },
  { optionId: 'reject_once', name: 'Reject', kind: 'reject_once' },
];

export class SessionStream {
  private readonly stop: () => void;
  private n = 0;
  /** Commands started and not completed (questions about a command name the latest not yet asked about). */
  private commands: Array<{ id: string; cwd: string; asked: boolean }> = [];
  /** Output of running commands so far, shown in their tool calls at most every OUTPUT_EVERY_MS. */
  private readonly output = new Map<string, { text: string; timer: NodeJS.Timeout | null }>();
  /** The turn id of a running `/compact`. */
  private compaction: string | null = null;
  /** A patch shown for approval, waiting for the agent's file_change item (which continues its tool call). */
  private shownPatch: string | null = null;
  private readonly alias = new Map<string, string>();
  private readonly diffs = new Map<string, ToolCallContent[]>();
  /** Patches subagents asked to apply (their tool calls, by agent id), finished when the helper's patch is. */
  private readonly childPatches = new Map<string, string>();
  /** Notifications are sent in order (the SDK's notify is async). */
  private queue: Promise<void> = Promise.resolve();
  readonly asker: Asker;

  constructor(
    private readonly client: AgentContext,
    readonly thread: LiveThread,
  ) {
    this.stop = thread.subscribe((e) => this.handle(e));
    this.asker = (q, turn) => this.ask(q, turn);
  }

  close(): void {
    for (const id of [...this.output.keys()]) this.stopOutput(id);
    this.stop();
    this.thread.dropAsker(this.asker);
  }

  /** Resolves once every update queued so far is sent. */
  flushed(): Promise<void> {
    return this.queue;
  }

  send(update: SessionUpdate): void {
    const params = { sessionId: this.thread.id, update };
    this.queue = this.queue.then(() => this.client.notify('session/update', params)).catch(() => undefined);
  }

  private handle(e: ThreadEvent): void {
    if (e.kind === 'turn.begin' && e.compaction) {
      this.compaction = e.turnId;
      this.send({ sessionUpdate: 'compaction_update', compactionId: e.turnId, status: 'in_progress' });
    } else if (e.kind === 'agent') this.agentEvent(e.event);
    else if (e.kind === 'turn.end') {
      if (this.compaction === e.turnId) {
        const status = e.outcome.status === 'completed' ? 'completed' : e.outcome.status === 'interrupted' ? 'cancelled' : 'failed';
        this.send({ sessionUpdate: 'compaction_update', compactionId: e.turnId, status, ...(e.outcome.status === 'failed' ? { error: e.outcome.message } : {}) });
        this.compaction = null;
      }
      this.commands = [];
      for (const id of [...this.output.keys()]) this.stopOutput(id);
    }
  }

  private agentEvent(ev: AgentEvent): void {
    switch (ev.type) {
      case 'agent_message.delta':
        return this.send({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: ev.delta } });
      case 'reasoning.delta':
        return this.send({ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: ev.delta } });
      case 'item.started':
        return this.itemStarted(ev.item);
      case 'item.updated':
        if (ev.item.type === 'todo_list') this.plan(ev.item.items);
        return;
      case 'item.completed':
        return this.itemCompleted(ev.item);
      case 'command_output.delta':
        return this.commandOutput(ev.item_id, ev.delta);
      case 'patch.diff': {
        const id = this.alias.get(ev.item_id) ?? ev.item_id;
        this.diffs.set(
          id,
          ev.diffs.map((d) => ({ type: 'diff', path: d.move_path ?? d.path, oldText: d.old_text ?? null, newText: d.new_text ?? '' })),
        );
        return;
      }
      case 'subagent.event':
        return this.childEvent(ev.agent_id, ev.event);
      case 'context.compacted':
        // Compacted on its own within a turn (the context filled up); `/compact` reports its own.
        if (this.compaction === null) this.send({ sessionUpdate: 'compaction_update', compactionId: `auto_${this.n++}`, status: 'completed' });
        return;
      case 'usage.updated':
        return this.send({
          sessionUpdate: 'usage_update',
          used: ev.last.input_tokens + ev.last.output_tokens,
          size: this.thread.agent.session.model.facts.contextWindow,
        });
      case 'turn.failed':
      case 'error':
      case 'warning':
        // The prompt's error answer carries a failure; retries and warnings show as a thought.
        if (ev.type !== 'turn.failed') this.send({ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: `\n[${ev.type === 'error' ? 'retrying' : 'warning'}: ${ev.message}]\n` } });
        return;
      default:
        return;
    }
  }

  /** A running command's output: its tool call shows what came so far, updated at most every OUTPUT_EVERY_MS. */
  private commandOutput(id: string, delta: string): void {
    const o = this.output.get(id) ?? { text: '', timer: null };
    o.text += delta;
    this.output.set(id, o);
    o.timer ??= setTimeout(() => {
      o.timer = null;
      if (this.output.get(id) === o) this.send({ sessionUpdate: 'tool_call_update', toolCallId: id, content: [outputBlock(o.text)] });
    }, OUTPUT_EVERY_MS);
  }

  /** What a subagent did that this session shows: the end of a patch it asked the client to approve. */
  private childEvent(agentId: string, ev: AgentEvent): void {
    const id = this.childPatches.get(agentId);
    if (id === undefined || ev.type !== 'item.completed' || ev.item.type !== 'file_change') return;
    this.childPatches.delete(agentId);
    this.send({ sessionUpdate: 'tool_call_update', toolCallId: id, status: ev.item.status === 'completed' ? 'completed' : 'failed' });
  }

  /** A subagent as people name it: its nickname, and its type when it has one. */
  private agentName(id: string): string {
    const a = this.thread.agent.subagents?.get(id);
    return a ? `${a.nickname}${a.role && a.role !== 'default' ? ` (${a.role})` : ''}` : id;
  }

  /** A subagent tool call's title: the action and the helpers it concerns. */
  private collabTitle(item: CollabToolCallItem): string {
    const spawned = item.tool === 'spawn_agent' ? this.thread.agent.subagents?.get(item.receiver_thread_ids[0] ?? '') : undefined;
    return collabTitle(item.tool, { names: item.receiver_thread_ids.map((id) => this.agentName(id)), prompt: item.prompt, done: item.status !== 'in_progress', model: spawned?.model });
  }

  /** What a finished subagent tool call shows: each helper's state, with its answer or error. */
  private collabContent(item: CollabToolCallItem): ToolCallContent[] {
    if (item.status === 'failed') return [text(item.error ?? 'the call failed')];
    return Object.entries(item.agents_states).map(([id, st]) => stateText(this.agentName(id), st.status, st.message));
  }

  private stopOutput(id: string): void {
    const o = this.output.get(id);
    if (o?.timer) clearTimeout(o.timer);
    this.output.delete(id);
  }

  private plan(items: ReadonlyArray<{ text: string; completed: boolean }>): void {
    const next = items.findIndex((i) => !i.completed);
    this.send({
      sessionUpdate: 'plan',
      entries: items.map((i, k) => ({ content: i.text, priority: 'medium', status: i.completed ? 'completed' : k === next ? 'in_progress' : 'pending' })),
    });
  }

  private itemStarted(item: ThreadItem): void {
    switch (item.type) {
      case 'todo_list':
        return this.plan(item.items);
      case 'command_execution':
        this.commands.push({ id: item.id, cwd: item.cwd, asked: false });
        return this.send({ sessionUpdate: 'tool_call', toolCallId: item.id, title: item.command, kind: 'execute', status: 'in_progress', rawInput: { command: item.command, cwd: item.cwd } });
      case 'file_change': {
        if (this.shownPatch) {
          this.alias.set(item.id, this.shownPatch);
          this.shownPatch = null;
          return this.send({ sessionUpdate: 'tool_call_update', toolCallId: this.alias.get(item.id) as string, status: 'in_progress' });
        }
        return this.send({
          sessionUpdate: 'tool_call',
          toolCallId: item.id,
          title: patchTitle(item.changes),
          kind: 'edit',
          status: 'in_progress',
          locations: item.changes.map((c) => ({ path: c.path })),
        });
      }
      case 'mcp_tool_call':
        return this.send({ sessionUpdate: 'tool_call', toolCallId: item.id, title: `${item.server}: ${item.tool}`, kind: 'other', status: 'in_progress', rawInput: item.arguments });
      case 'web_search':
        return this.send({ sessionUpdate: 'tool_call', toolCallId: item.id, title: item.query === '' ? 'Searching the web' : `Searching the web: ${item.query}`, kind: 'fetch', status: 'in_progress' });
      case 'collab_tool_call':
        return this.send({
          sessionUpdate: 'tool_call',
          toolCallId: item.id,
          title: this.collabTitle(item),
          kind: item.tool === 'wait' ? 'think' : 'other',
          status: 'in_progress',
          rawInput: { tool: item.tool, targets: item.receiver_thread_ids, message: item.prompt },
        });
      default:
        return;
    }
  }

  private itemCompleted(item: ThreadItem): void {
    switch (item.type) {
      case 'todo_list':
        return this.plan(item.items);
      case 'command_execution': {
        this.commands = this.commands.filter((c) => c.id !== item.id);
        this.stopOutput(item.id);
        const status = item.status === 'completed' ? 'completed' : 'failed';
        return this.send({
          sessionUpdate: 'tool_call_update',
          toolCallId: item.id,
          status,
          content: item.aggregated_output === '' ? [] : [outputBlock(item.aggregated_output)],
          rawOutput: { exit_code: item.exit_code, output: item.aggregated_output, declined: item.status === 'declined' },
        });
      }
      case 'file_change': {
        const id = this.alias.get(item.id) ?? item.id;
        const diffs = this.diffs.get(id) ?? [];
        this.diffs.delete(id);
        return this.send({ sessionUpdate: 'tool_call_update', toolCallId: id, status: item.status === 'completed' ? 'completed' : 'failed', content: diffs, locations: item.changes.map((c) => ({ path: c.path })) });
      }
      case 'mcp_tool_call':
        return this.send({
          sessionUpdate: 'tool_call_update',
          toolCallId: item.id,
          status: item.status === 'completed' ? 'completed' : 'failed',
          content: item.error ? [text(item.error.message)] : [],
          rawOutput: item.result,
        });
      case 'web_search':
        return this.send({ sessionUpdate: 'tool_call_update', toolCallId: item.id, status: 'completed', title: item.query === '' ? 'Searched the web' : `Searched the web: ${item.query}` });
      case 'collab_tool_call':
        return this.send({
          sessionUpdate: 'tool_call_update',
          toolCallId: item.id,
          title: this.collabTitle(item),
          status: item.status === 'completed' ? 'completed' : 'failed',
          content: this.collabContent(item),
          rawOutput: { agents_states: item.agents_states },
        });
      default:
        return;
    }
  }

  // --- permissions ---

  private async ask(q: ApprovalQuestion, turn: { turnId: string; signal: AbortSignal }): Promise<ApprovalReply> {
    let toolCall: ToolCallUpdate;
    let declined: (() => void) | null = null;
    // A subagent's question names it; its commands and patches are not among this session's tool calls.
    const child = q.agent;
    const who = child ? `${child.nickname}${child.role && child.role !== 'default' ? ` (${child.role})` : ''}, a helper: ` : '';
    if (q.kind === 'command') {
      const pending = child ? [] : this.commands.filter((c) => c.cwd === q.cwd);
      const item = [...pending].reverse().find((c) => !c.asked) ?? pending[pending.length - 1];
      if (item) item.asked = true;
      const why = q.retryWithoutSandbox ? 'it failed in the sandbox; run it without the sandbox?' : (q.justification ?? q.reason);
      toolCall = { toolCallId: item?.id ?? `ask_${this.n++}`, kind: 'execute', status: 'pending', title: who + q.argv.join(' '), content: [text(why)], rawInput: { command: q.argv, cwd: q.cwd } };
    } else if (q.kind === 'patch') {
      const id = `patch_${this.n++}`;
      const kind: ToolKind = q.changes.every((c) => c.kind === 'delete') ? 'delete' : 'edit';
      const content: ToolCallContent[] = q.changes.map((c) => ({
        type: 'diff',
        path: c.kind === 'update' && c.movePath ? c.movePath : c.path,
        oldText: c.preview?.oldText ?? null,
        newText: c.preview?.newText ?? '',
      }));
      const title = who + patchTitle(q.changes);
      this.send({ sessionUpdate: 'tool_call', toolCallId: id, title, kind, status: 'pending', content, locations: q.changes.map((c) => ({ path: c.path })) });
      if (child) this.childPatches.set(child.id, id);
      else this.shownPatch = id;
      declined = () => {
        if (child) this.childPatches.delete(child.id);
        else this.shownPatch = null;
        this.send({ sessionUpdate: 'tool_call_update', toolCallId: id, status: 'failed', content: [...content, text('Rejected.')] });
      };
      toolCall = { toolCallId: id, kind, status: 'pending', title, content: [...content, text(q.reason)] };
    } else {
      toolCall = { toolCallId: `ask_${this.n++}`, kind: 'other', status: 'pending', title: `${who}${q.server}: ${q.tool}`, content: [text(q.reason)], rawInput: q.arguments };
    }
    await this.flushed();
    let reply: ApprovalReply = { answer: 'deny' };
    try {
      const r = await this.client.request('session/request_permission', { sessionId: this.thread.id, toolCall, options: PERMISSION_OPTIONS }, { cancellationSignal: turn.signal, stopWaitingOnCancel: true });
      if (r.outcome.outcome === 'selected') {
        if (r.outcome.optionId === 'allow_once') reply = { answer: 'approve-once' };
        else if (r.outcome.optionId === 'allow_always') reply = { answer: 'approve-session' };
      }
    } catch {
      // The turn was cancelled, or the client went away: declined.
    }
    if (reply.answer === 'deny') declined?.();
    return reply;
  }
}

function patchTitle(changes: ReadonlyArray<{ kind: string; path: string }>): string {
  const verb = (k: string): string => (k === 'add' ? 'Add' : k === 'delete' ? 'Delete' : 'Edit');
  if (changes.length === 1) {
    const c = changes[0] as { kind: string; path: string };
    return `${verb(c.kind)} ${c.path}`;
  }
  return `Edit ${changes.length} files`;
}
