/**
 * The conversation as the terminal shows it: a history that is printed once and never redrawn, and a
 * small live part (the answer being streamed, running commands, the plan) that is. Agent events go in;
 * finished things move from the live part to the history as soon as they are final. A streaming answer
 * moves over block by block, so the live part stays short however long the answer gets.
 */
import { relative } from 'node:path';
import type { AgentEvent, CollabToolCallItem, CommandExecutionItem, FileChangeItem, McpToolCallItem, TodoListItem } from '../agent/index.js';
import { formatCollabCall, type AgentDirectory } from './agents-format.js';
import {
  formatAnswer,
  formatCommand,
  formatError,
  formatMcpCall,
  formatNotice,
  formatPatch,
  formatPlan,
  formatReasoning,
  formatUser,
  OUTPUT_PREVIEW_LINES,
  type FileDiff,
} from './format.js';
import { completeLines } from './markdown.js';
import type { Style } from './style.js';

/** The patch diffs event (UI only), accepted whether or not the agent core's event union lists it yet. */
export type UiEvent = AgentEvent | { type: 'patch.diff'; item_id: string; diffs: FileDiff[] };

const LEADING_BLANK_LINES = /^(?:[ \t]*\n)+/;

export interface HistoryEntry {
  id: number;
  /** Rendered text; printed once, after a blank line. */
  text: string;
  /** It continues the entry before it (the next lines of a streaming answer): no blank line between. */
  joined?: boolean;
}

export interface LiveCommand {
  item: CommandExecutionItem;
  startedAt: number;
}

export interface LiveState {
  /** The unfinished end of the answer being streamed (Markdown). */
  message: string;
  reasoning: string;
  commands: readonly LiveCommand[];
  /** MCP tool calls still running. */
  mcpCalls: readonly { item: McpToolCallItem }[];
  patches: readonly { item: FileChangeItem; diffs: FileDiff[] | undefined }[];
  plan: TodoListItem | null;
  /** Subagent tool calls still running (a wait on a helper). */
  collab: readonly CollabToolCallItem[];
}

export const EMPTY_LIVE: LiveState = Object.freeze({ message: '', reasoning: '', commands: [], mcpCalls: [], patches: [], plan: null, collab: [] });

export interface TranscriptOptions {
  style: Style;
  hideReasoning: boolean;
  cwd: string;
  now?: () => number;
  /** Who the agent ids in subagent tool calls are (none: they are shown by id). */
  agents?: AgentDirectory;
}

const NO_AGENTS: AgentDirectory = { get: () => undefined };

export class Transcript {
  history: HistoryEntry[] = [];
  live: LiveState = EMPTY_LIVE;
  private nextId = 0;
  /** Characters of the current answer already moved to the history. */
  private streamed = 0;
  private streamText = '';
  /** The code fence open where the printed part of the answer ends (its opening line), or null. */
  private streamFence: string | null = null;
  /** Part of the current answer is printed: the next part continues it. */
  private streamPrinted = false;
  /** The streamed reasoning was printed when the answer began (its completed item is then not printed again). */
  private reasoningPrinted = false;
  private readonly diffs = new Map<string, FileDiff[]>();
  private readonly now: () => number;
  /** The last command whose output was shown collapsed (Ctrl-O prints all of it). */
  private collapsed: CommandExecutionItem | null = null;
  /** Declined commands whose refusal the user's own line already shows (see `expectDeclined`). */
  private declinedShown = 0;

  constructor(private readonly o: TranscriptOptions) {
    this.now = o.now ?? (() => Date.now());
  }

  get style(): Style {
    return this.o.style;
  }

  /** Adds finished text to the history (`joined`: as the continuation of the entry before it). */
  print(text: string, joined = false): void {
    this.history = [...this.history, joined ? { id: this.nextId++, text, joined } : { id: this.nextId++, text }];
    // Something else came between: the streaming answer goes on after a blank line.
    if (!joined) this.streamPrinted = false;
  }

  /**
   * Adds many entries at once (a resumed session); the array is extended in place, which is safe because
   * nothing has rendered it yet.
   */
  printAll(texts: readonly string[]): void {
    for (const text of texts) this.history.push({ id: this.nextId++, text });
    this.history = [...this.history];
  }

  user(text: string, images: readonly string[] = []): void {
    this.print(formatUser(text, images, this.o.style));
  }

  notice(text: string): void {
    this.print(formatNotice(text, this.o.style));
  }

  error(text: string): void {
    this.print(formatError(text, this.o.style));
  }

  /** Prints the whole output of the last command shown collapsed; false when there is none. */
  expandOutput(): boolean {
    if (!this.collapsed) return false;
    this.print(formatCommand(this.collapsed, this.o.style, { sessionCwd: this.o.cwd, full: true }));
    this.collapsed = null;
    return true;
  }

  /**
   * The user declined a command and its refusal is printed already: the command's declined item, which
   * follows, is not printed again.
   */
  expectDeclined(): void {
    this.declinedShown++;
  }

  private rel(path: string): string {
    const r = relative(this.o.cwd, path);
    return r === '' ? '.' : r.startsWith('..') ? path : r;
  }

  private relDiffs(diffs: readonly FileDiff[]): FileDiff[] {
    return diffs.map((d) => ({ ...d, path: this.rel(d.path), ...(d.move_path ? { move_path: this.rel(d.move_path) } : {}) }));
  }

  private relItem(item: FileChangeItem): FileChangeItem {
    return { ...item, changes: item.changes.map((c) => ({ ...c, path: this.rel(c.path) })) };
  }

  private setLive(patch: Partial<LiveState>): void {
    this.live = { ...this.live, ...patch };
  }

  /**
   * Moves the complete lines of the streaming answer to the history as they arrive (Codex does the
   * same): a long answer is readable in the scrollback while it streams, and only its last, unfinished
   * line is redrawn.
   */
  private flushCompleteLines(): void {
    const pending = this.streamText.slice(this.streamed);
    const cut = completeLines(pending, this.streamFence);
    if (cut.length > 0) {
      this.printStreamed(pending.slice(0, cut.length));
      this.streamed += cut.length;
      this.streamFence = cut.fence;
    }
    const rest = this.streamText.slice(this.streamed);
    // Inside a code block the live line is drawn as code; elsewhere blank lines wait for their text.
    this.setLive({ message: this.streamFence === null ? rest.replace(LEADING_BLANK_LINES, '') : `${this.streamFence}\n${rest}` });
  }

  /** Prints a part of the streaming answer: the first part after a blank line, the next ones joined to it. */
  private printStreamed(markdown: string): void {
    const text = this.streamPrinted ? markdown : markdown.replace(LEADING_BLANK_LINES, '');
    if (text.trim() === '') return;
    // A part that starts inside a code block is drawn as code.
    const source = this.streamFence === null ? text : `${this.streamFence}\n${text}`;
    const shown = formatAnswer(source, this.o.style);
    // (A code block's closing fence alone draws nothing.)
    if (shown === '') return;
    this.print(shown, this.streamPrinted);
    this.streamPrinted = true;
  }

  private endStream(finalText: string): void {
    // The final text normally equals what was streamed; print whatever of it is not printed yet.
    if (finalText.startsWith(this.streamText.slice(0, this.streamed))) this.printStreamed(finalText.slice(this.streamed));
    else if (finalText.trim() !== '') this.print(formatAnswer(finalText, this.o.style));
    this.resetStream();
    this.setLive({ message: '' });
  }

  /**
   * The request is sent again (the stream broke): what the broken attempt streamed stays as it was, the
   * notice follows it where it happened, and the new attempt's answer starts afresh after it.
   */
  private retrying(message: string): void {
    if (this.streamText.slice(this.streamed).trim() !== '') this.printStreamed(this.streamText.slice(this.streamed));
    this.resetStream();
    // The new attempt streams its reasoning again.
    this.setLive({ message: '', reasoning: '' });
    this.notice(message);
  }

  private resetStream(): void {
    this.streamText = '';
    this.streamed = 0;
    this.streamFence = null;
    this.streamPrinted = false;
  }

  handle(event: UiEvent): void {
    const s = this.o.style;
    switch (event.type) {
      case 'turn.started':
        this.live = EMPTY_LIVE;
        break;
      case 'agent_message.delta':
        if (this.live.reasoning.trim() !== '') {
          // The answer has begun: the reasoning before it goes to the history first, in order.
          if (!this.o.hideReasoning) this.print(formatReasoning(this.live.reasoning, s));
          this.reasoningPrinted = true;
          this.setLive({ reasoning: '' });
        }
        this.streamText += event.delta;
        this.flushCompleteLines();
        break;
      case 'reasoning.delta':
        this.setLive({ reasoning: this.live.reasoning + event.delta });
        break;
      case 'command_output.delta':
        this.setLive({
          commands: this.live.commands.map((c) =>
            c.item.id === event.item_id ? { ...c, item: { ...c.item, aggregated_output: c.item.aggregated_output + event.delta } } : c,
          ),
        });
        break;
      case 'patch.diff': {
        const diffs = this.relDiffs(event.diffs);
        this.diffs.set(event.item_id, diffs);
        this.setLive({ patches: this.live.patches.map((p) => (p.item.id === event.item_id ? { ...p, diffs } : p)) });
        break;
      }
      case 'item.started':
      case 'item.updated': {
        const item = event.item;
        if (item.type === 'command_execution') {
          const known = this.live.commands.find((c) => c.item.id === item.id);
          this.setLive({
            commands: known
              ? this.live.commands.map((c) => (c.item.id === item.id ? { ...c, item } : c))
              : [...this.live.commands, { item, startedAt: this.now() }],
          });
        } else if (item.type === 'file_change') {
          const rel = this.relItem(item);
          const others = this.live.patches.filter((p) => p.item.id !== item.id);
          this.setLive({ patches: [...others, { item: rel, diffs: this.diffs.get(item.id) }] });
        } else if (item.type === 'todo_list') {
          this.setLive({ plan: item });
        } else if (item.type === 'mcp_tool_call') {
          this.setLive({ mcpCalls: [...this.live.mcpCalls.filter((m) => m.item.id !== item.id), { item }] });
        } else if (item.type === 'collab_tool_call') {
          this.setLive({ collab: [...this.live.collab.filter((c) => c.id !== item.id), item] });
        }
        break;
      }
      case 'item.completed':
        this.completed(event.item);
        break;
      case 'error':
        if (/^Reconnecting/.test(event.message)) this.retrying(event.message);
        else this.error(event.message);
        break;
      case 'warning':
        this.error(`warning: ${event.message}`);
        break;
      case 'turn.failed':
        this.finishTurn();
        this.error(event.error.message);
        break;
      case 'turn.completed':
        this.finishTurn();
        break;
      case 'context.compacted': {
        const why = event.trigger === 'auto' ? ' (automatic)' : event.trigger === 'overflow' ? ' (it no longer fit the context window)' : '';
        const n = (x: number) => x.toLocaleString('en-US');
        this.notice(`Context compacted${why}: the conversation so far was summarized (~${n(event.tokens_before)} → ~${n(event.tokens_after)} tokens)`);
        break;
      }
      default:
        break;
    }
  }

  private completed(item: Extract<UiEvent, { type: 'item.completed' }>['item']): void {
    const s = this.o.style;
    switch (item.type) {
      case 'agent_message':
        this.setLive({ reasoning: '' });
        this.endStream(item.text);
        break;
      case 'reasoning':
        this.setLive({ reasoning: '' });
        if (!this.o.hideReasoning && !this.reasoningPrinted && item.text.trim() !== '') this.print(formatReasoning(item.text, s));
        this.reasoningPrinted = false;
        break;
      case 'command_execution': {
        const live = this.live.commands.find((c) => c.item.id === item.id);
        this.setLive({ commands: this.live.commands.filter((c) => c.item.id !== item.id) });
        if (item.status === 'declined' && this.declinedShown > 0) {
          this.declinedShown--;
          break;
        }
        const full = live && item.aggregated_output === '' ? { ...item, aggregated_output: live.item.aggregated_output } : item;
        this.print(formatCommand(full, s, { sessionCwd: this.o.cwd, ...(live ? { elapsedMs: this.now() - live.startedAt } : {}) }));
        if (full.aggregated_output.replace(/\s+$/, '').split('\n').length > OUTPUT_PREVIEW_LINES) this.collapsed = full;
        break;
      }
      case 'file_change': {
        this.setLive({ patches: this.live.patches.filter((p) => p.item.id !== item.id) });
        this.print(formatPatch(this.relItem(item), this.diffs.get(item.id), s));
        this.diffs.delete(item.id);
        break;
      }
      case 'todo_list':
        this.setLive({ plan: null });
        this.print(formatPlan(item, s));
        break;
      case 'error':
        this.error(item.message);
        break;
      case 'mcp_tool_call':
        this.setLive({ mcpCalls: this.live.mcpCalls.filter((m) => m.item.id !== item.id) });
        this.print(formatMcpCall(item, s));
        break;
      case 'collab_tool_call':
        this.setLive({ collab: this.live.collab.filter((c) => c.id !== item.id) });
        this.print(formatCollabCall(item, this.o.agents ?? NO_AGENTS, s));
        break;
      case 'web_search':
        this.notice(item.query !== '' ? `Searched the web: ${item.query}` : 'Searched the web');
        break;
    }
  }

  /** Ends the live part of a turn: what is still running or streaming is printed as it stands. */
  finishTurn(interrupted = false): void {
    const s = this.o.style;
    if (this.streamText.slice(this.streamed).trim() !== '') this.endStream(this.streamText);
    this.resetStream();
    for (const c of this.live.commands) {
      this.print(formatCommand({ ...c.item, status: 'failed' }, s, { elapsedMs: this.now() - c.startedAt, sessionCwd: this.o.cwd }));
    }
    for (const m of this.live.mcpCalls) this.print(formatMcpCall({ ...m.item, status: 'failed' }, s));
    if (this.live.plan) this.print(formatPlan(this.live.plan, s));
    this.live = EMPTY_LIVE;
    this.reasoningPrinted = false;
    this.declinedShown = 0;
    if (interrupted) this.error('Interrupted. Tell the model what to do differently.');
  }
}
