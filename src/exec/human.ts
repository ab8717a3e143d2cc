/**
 * `exec` without --json: a banner and progress on stderr, and only the final message on stdout
 * (codex-compat.md §1.5). When both streams are terminals, the message shown on stderr is not repeated.
 *
 * Only opencodex's own styling reaches the terminal as control sequences: every piece of text it did not
 * write (model text, reasoning, commands and their output, paths, server and MCP messages, the prompt)
 * goes through `escapeControls` first. The final message on stdout is escaped only when stdout is a
 * terminal; piped or redirected, it is written byte for byte.
 */
import type { AgentEvent, PatchFileDiff, ThreadItem, Usage } from '../agent/index.js';
import { escapeControls as inert } from '../shared/index.js';
import { CollabLines, type CollabLine } from './collab-lines.js';

export interface Banner {
  version: string;
  workdir: string;
  model: string;
  provider: string;
  approval: string;
  /** Already formatted, e.g. `workspace-write [workdir, /tmp, $TMPDIR] (network access enabled)`. */
  sandbox: string;
  reasoningEffort: string;
  reasoningSummaries: string;
  sessionId: string;
}

export interface HumanOptions {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  color: boolean;
  hideReasoning: boolean;
  /** Both stdout and stderr are terminals: the final message is not printed a second time. */
  interactiveTerminal: boolean;
  /** stdout is a terminal: the final message printed there is escaped like stderr (else it stays byte-exact). */
  stdoutIsTerminal: boolean;
  cwd: string;
  now?: () => number;
}

const codes = { bold: [1, 22], dim: [2, 22], italic: [3, 23], red: [31, 39], green: [32, 39], magenta: [35, 39], cyan: [36, 39] } as const;
type Style = keyof typeof codes;

export function tokensUsed(usage: Usage): number {
  return usage.input_tokens - usage.cached_input_tokens + usage.output_tokens;
}

/** The one-line note after a compaction, e.g. "earlier conversation summarized automatically (~190,000 → ~3,100 tokens)". */
export function compactedNote(e: Extract<AgentEvent, { type: 'context.compacted' }>): string {
  const why = e.trigger === 'auto' ? ' automatically' : e.trigger === 'overflow' ? ' because it no longer fit the context window' : '';
  const n = (x: number) => x.toLocaleString('en-US');
  return `earlier conversation summarized${why} (~${n(e.tokens_before)} → ~${n(e.tokens_after)} tokens)`;
}

export class HumanRenderer {
  private readonly started = new Map<string, number>();
  /** Diffs of applied patches, by file_change item id, shown when the item completes. */
  private readonly diffs = new Map<string, PatchFileDiff[]>();
  private lastMessage: string | null = null;
  private lastPlan: string | null = null;
  private readonly collab = new CollabLines();
  private readonly now: () => number;

  constructor(private readonly o: HumanOptions) {
    this.now = o.now ?? (() => Date.now());
  }

  private paint(style: Style, text: string): string {
    if (!this.o.color) return text;
    const [on, off] = codes[style];
    return `\u001b[${on}m${text}\u001b[${off}m`;
  }

  private err(text: string): void {
    this.o.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  banner(b: Banner, prompt: string): void {
    const rows: Array<[string, string]> = [
      ['workdir', b.workdir],
      ['model', b.model],
      ['provider', b.provider],
      ['approval', b.approval],
      ['sandbox', b.sandbox],
      ['reasoning effort', b.reasoningEffort],
      ['reasoning summaries', b.reasoningSummaries],
      ['session id', b.sessionId],
    ];
    this.err(`opencodex v${b.version}\n--------`);
    for (const [k, v] of rows) this.err(`${this.paint('bold', `${k}:`)} ${inert(v)}`);
    this.err('--------');
    this.err(`${this.paint('cyan', 'user')}\n${inert(prompt)}`);
  }

  warning(message: string): void {
    this.err(`${this.paint('magenta', 'warning:')} ${inert(message)}`);
  }

  handle(event: AgentEvent): void {
    switch (event.type) {
      case 'item.started':
        this.itemStarted(event.item);
        break;
      case 'item.updated':
        if (event.item.type === 'todo_list') this.plan(event.item);
        break;
      case 'item.completed':
        this.itemCompleted(event.item);
        break;
      case 'patch.diff':
        this.diffs.set(event.item_id, event.diffs);
        break;
      case 'error':
        this.err(`${this.paint('red', 'ERROR:')} ${inert(event.message)}`);
        break;
      case 'turn.failed':
        this.err(`${this.paint('red', 'ERROR:')} ${inert(event.error.message)}`);
        break;
      case 'context.compacted':
        this.err(`${this.paint('magenta', 'context compacted:')} ${compactedNote(event)}`);
        break;
      case 'turn.completed': {
        this.err(`${this.paint('magenta', 'tokens used')}\n${tokensUsed(event.usage).toLocaleString('en-US')}`);
        const helpers = this.collab.summary();
        if (helpers) this.err(`${this.paint('magenta', 'subagents')}\n${helpers}`);
        break;
      }
      case 'subagent.updated':
        this.collab.update(event.agent);
        break;
      default:
        break;
    }
  }

  private itemStarted(item: ThreadItem): void {
    this.started.set(item.id, this.now());
    if (item.type === 'command_execution') {
      this.err(`${this.paint('magenta', 'exec')}\n${this.paint('bold', inert(item.command))} in ${inert(item.cwd)}`);
    } else if (item.type === 'file_change') {
      this.err(this.paint('magenta', 'apply patch'));
    } else if (item.type === 'todo_list') {
      this.plan(item);
    } else if (item.type === 'mcp_tool_call') {
      this.err(`${this.paint('magenta', 'mcp:')} ${inert(`${item.server}/${item.tool}`)} started`);
    } else if (item.type === 'collab_tool_call') {
      const line = this.collab.started(item);
      if (line) this.collabLine(line);
    }
  }

  private collabLine(line: CollabLine): void {
    this.err(`${this.paint(line.failed ? 'red' : 'magenta', 'agents:')} ${inert(line.head)}`);
    if (line.body) this.err(this.paint('dim', inert(line.body)));
  }

  private plan(item: Extract<ThreadItem, { type: 'todo_list' }>): void {
    const firstOpen = item.items.findIndex((s) => !s.completed);
    const lines = item.items.map((s, i) => `  ${s.completed ? '✓' : i === firstOpen ? '→' : '•'} ${inert(s.text)}`);
    this.lastPlan = item.items.map((s) => s.text).join('\n');
    this.err(`${this.paint('magenta', 'plan')}\n${lines.join('\n')}`);
  }

  private itemCompleted(item: ThreadItem): void {
    const began = this.started.get(item.id);
    const ms = began === undefined ? 0 : Math.max(0, Math.round(this.now() - began));
    switch (item.type) {
      case 'agent_message':
        this.lastMessage = item.text;
        this.err(`${this.paint('magenta', 'opencodex')}\n${inert(item.text)}`);
        break;
      case 'reasoning':
        if (!this.o.hideReasoning && item.text.trim() !== '') this.err(this.paint('italic', this.paint('dim', inert(item.text))));
        break;
      case 'command_execution': {
        const status =
          item.status === 'declined'
            ? this.paint('red', ' declined')
            : item.status === 'in_progress'
              ? this.paint('cyan', ` still running after ${ms}ms when the turn ended:`)
              : item.exit_code === 0
              ? this.paint('green', ` succeeded in ${ms}ms:`)
              : this.paint('red', ` exited ${item.exit_code ?? -1} in ${ms}ms:`);
        this.err(status);
        if (item.aggregated_output !== '') this.err(this.paint('dim', inert(item.aggregated_output)));
        break;
      }
      case 'file_change': {
        // As Codex: the status, then each file with its diff (codex-observed.md, human mode).
        const status = item.status === 'completed' ? this.paint('green', 'completed') : this.paint('red', 'failed');
        this.err(`${this.paint('magenta', 'patch:')} ${status}`);
        const diffs = this.diffs.get(item.id) ?? [];
        this.diffs.delete(item.id);
        for (const c of item.changes) {
          const d = diffs.find((x) => x.path === c.path);
          this.err(this.paint('bold', inert(d?.move_path ? `${c.path} → ${d.move_path}` : c.path)));
          if (d && d.diff !== '') this.err(this.diffText(d.diff));
        }
        break;
      }
      case 'todo_list':
        this.plan(item);
        break;
      case 'mcp_tool_call':
        this.err(`${this.paint('magenta', 'mcp:')} ${inert(`${item.server}/${item.tool}`)} (${item.status === 'completed' ? 'completed' : 'failed'})`);
        break;
      case 'web_search':
        this.err(`${this.paint('magenta', 'web search:')} ${inert(item.query)}`);
        break;
      case 'collab_tool_call':
        for (const line of this.collab.completed(item)) this.collabLine(line);
        break;
      case 'error':
        this.warning(item.message);
        break;
    }
  }

  private diffText(diff: string): string {
    return inert(diff)
      .replace(/\n$/, '')
      .split('\n')
      .map((line) =>
        line.startsWith('+++') || line.startsWith('---') ? this.paint('bold', line)
        : line.startsWith('+') ? this.paint('green', line)
        : line.startsWith('-') ? this.paint('red', line)
        : line.startsWith('@@') ? this.paint('cyan', line)
        : line,
      )
      .join('\n');
  }

  /** The turn's answer: the last agent message, else the last plan. */
  finalMessage(): string | null {
    return this.lastMessage ?? this.lastPlan;
  }

  /**
   * Prints the final message on stdout, unless both streams are terminals (it was shown on stderr):
   * escaped on a terminal, byte-exact when piped or redirected (scripts read it).
   */
  flushFinal(): void {
    const final = this.finalMessage();
    if (final === null || this.o.interactiveTerminal) return;
    const text = this.o.stdoutIsTerminal ? inert(final) : final;
    this.o.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
