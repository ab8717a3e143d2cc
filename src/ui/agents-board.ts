/**
 * The session's subagents as the UI knows them, kept from the agent's `subagent.updated` and
 * `subagent.event` events: who each one is and how it stands (status, activity, usage), and its own
 * transcript, built from its events as the session's is, so that it can be opened while it works. The
 * task and any later input a child was given come from the subagent tool calls that gave them.
 */
import type { AgentEvent, CollabToolCallItem, SubagentInfo } from '../agent/index.js';
import { isRunning, statusWord, type AgentDirectory } from './agents-format.js';
import { Transcript, type HistoryEntry, type LiveState, type TranscriptOptions } from './transcript.js';

/** One child as a frame shows it. */
export interface AgentRow {
  info: SubagentInfo;
  history: readonly HistoryEntry[];
  live: LiveState;
}

interface Child {
  info: SubagentInfo;
  script: Transcript;
}

export class AgentsBoard implements AgentDirectory {
  private readonly children = new Map<string, Child>();
  private cached: readonly AgentRow[] | null = null;

  constructor(private readonly o: Omit<TranscriptOptions, 'agents'>) {}

  get(id: string): SubagentInfo | undefined {
    return this.children.get(id)?.info;
  }

  /** Every child, in the order they were spawned. */
  list(): SubagentInfo[] {
    return [...this.children.values()].map((c) => c.info);
  }

  /** True while any child is working. */
  get busy(): boolean {
    for (const c of this.children.values()) if (isRunning(c.info)) return true;
    return false;
  }

  /** The children and their transcripts as they stand (the same array until something changes). */
  rows(): readonly AgentRow[] {
    // With hide_agent_reasoning, a child's reasoning is not shown while it streams either.
    const live = (l: LiveState): LiveState => (this.o.hideReasoning && l.reasoning !== '' ? { ...l, reasoning: '' } : l);
    this.cached ??= [...this.children.values()].map((c) => ({ info: c.info, history: c.script.history, live: live(c.script.live) }));
    return this.cached;
  }

  /** Another conversation: its children (a resumed one's, restored by the agent), with empty transcripts. */
  reset(agents: readonly SubagentInfo[]): void {
    this.children.clear();
    for (const a of agents) this.add(a);
    this.cached = null;
  }

  /**
   * Takes a subagent event (true), or leaves any other event to the session's own transcript (false).
   * Subagent tool calls of the session itself go through `collabCall` too: they carry the children's tasks.
   */
  handle(event: AgentEvent): boolean {
    if (event.type === 'subagent.updated') {
      this.update(event.agent);
      return true;
    }
    if (event.type !== 'subagent.event') return false;
    const child = this.children.get(event.agent_id);
    if (child) {
      child.script.handle(event.event);
      const inner = event.event;
      // A child's own helpers (deeper in the tree) get their tasks from its calls.
      if (inner.type === 'item.completed' && inner.item.type === 'collab_tool_call') this.collabCall(inner.item);
      this.cached = null;
    }
    return true;
  }

  /** A restored child's earlier transcript (read from its session file), shown when it has none yet. */
  replay(id: string, entries: readonly string[]): void {
    const child = this.children.get(id);
    if (!child || child.script.history.length > 0) return;
    child.script.printAll(entries);
    this.cached = null;
  }

  /** A finished subagent tool call: the task or input it gave a child opens that part of its transcript. */
  collabCall(item: CollabToolCallItem): void {
    if (item.status !== 'completed' || item.prompt === null) return;
    if (item.tool !== 'spawn_agent' && item.tool !== 'send_input') return;
    for (const id of item.receiver_thread_ids) this.children.get(id)?.script.user(item.prompt);
    this.cached = null;
  }

  private add(info: SubagentInfo): Child {
    const child: Child = { info, script: new Transcript({ ...this.o, agents: this }) };
    this.children.set(info.id, child);
    return child;
  }

  private update(info: SubagentInfo): void {
    const known = this.children.get(info.id);
    if (!known) {
      this.add(info);
    } else {
      const was = known.info.status;
      known.info = info;
      // A turn that ended without its own end event (interrupted, closed): what it left live is printed.
      if (isRunning({ ...info, status: was }) && !isRunning(info)) {
        const live = known.script.live;
        if (live.message !== '' || live.commands.length > 0 || live.mcpCalls.length > 0 || live.collab.length > 0 || live.plan !== null) known.script.finishTurn();
        const word = statusWord(info.status);
        // (An error is printed by the failed turn's own event.)
        if (word === 'interrupted' || word === 'closed') known.script.notice(word);
      }
    }
    this.cached = null;
  }
}
