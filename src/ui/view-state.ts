/**
 * The interactive UI's state and the only ways to change it. Everything the screen shows — the transcript,
 * the prompt editor, the question or picker on screen, the queue, the terminal size — lives in private
 * fields here; other modules read it through getters and the snapshot, and change it through the named
 * actions below, each of which tells the subscribers itself. Frames are built from the snapshot alone:
 * no action or getter used while drawing touches the disk.
 *
 * Actions, by area (see each for details):
 * - transcript: `print`, `printAll`, `user`, `notice`, `error`, `applyEvent`, `finishTurn`, `expandOutput`
 * - prompt: `setEditor`, `moveSlashSelection`, `toggleShortcuts`, `hideShortcuts`, `setSearch`,
 *   `setFilePopup`, `queuePrompt`, `takeQueued`, `takeLastQueued`, `requeueToEditor`
 * - approvals (the `Approver` the agent asks): `ask`, `approve`, `decline`, `cancelApprovals`,
 *   `moveApprovalSelection`, `startExplaining`, `editExplanation`, `stopExplaining`, `scrollApproval`
 * - pickers: `pick`, `movePickSelection`, `replacePickerItems`, `endPick`
 * - the exit question: `askExit`, `moveExitSelection`, `cancelExit`
 * - session facts: `setThreadName`, `markUsed`, `setMcpStarting`, `resize`, `tick`
 * - subagents (their list and transcripts come in through `applyEvent`): `openAgentView`, `cycleAgentView`,
 *   `scrollAgentView`, `replayAgent`, `closeAgentView`
 * - the alternate screen's history view: `setHistoryScroll`
 * - for the controller only (protected): `turnBegan`, `turnSettled`, `markExiting`
 */
import { basename } from 'node:path';
import type { SubagentInfo } from '../agent/index.js';
import { COMMAND_REJECTED, MCP_TOOL_REJECTED, PATCH_REJECTED, type ApprovalQuestion, type ApprovalReply, type Approver } from '../sandbox/index.js';
import { AgentsBoard } from './agents-board.js';
import type { HistoryScroll } from './alt-history.js';
import { declineLine } from './approval-view.js';
import { emptyEditor, type EditorState } from './editor.js';
import type { FilePopup } from './file-popup.js';
import type { HistorySearch } from './history-search.js';
import type { PickerItem } from './model-picker.js';
import { NO_EXTRAS, type PromptExtras } from './prompt-extras.js';
import { slashPopup } from './slash.js';
import type { StatusInfo } from './status.js';
import { Store } from './store.js';
import type { Style } from './style.js';
import { Transcript, type HistoryEntry, type LiveState, type UiEvent } from './transcript.js';
import { terminalTitle, type Overlay, type Snapshot, type ViewStoreOptions } from './view-types.js';

export { terminalTitle, type Overlay, type Snapshot, type ViewStoreOptions } from './view-types.js';

interface ViewState {
  editor: EditorState;
  slashSelected: number;
  overlay: Overlay | null;
  shortcuts: boolean;
  extras: PromptExtras;
  queued: readonly string[];
  turnStartedAt: number | null;
  columns: number;
  rows: number;
  exiting: boolean;
  mcpStarting: readonly string[] | null;
  threadName: string | null;
  usedSession: boolean;
  historyScroll: HistoryScroll | null;
}

type PendingQuestion = { question: ApprovalQuestion; resolve: (reply: ApprovalReply) => void };

export abstract class ViewStore extends Store<Snapshot> implements Approver {
  readonly style: Style;
  private readonly script: Transcript;
  private readonly board: AgentsBoard;
  private state: ViewState;
  /** Questions asked and not answered yet, the one on screen first. */
  private questions: PendingQuestion[] = [];
  private pendingPick: { pick: (value: unknown) => void; cancel: () => void } | null = null;
  private readonly project: string;

  constructor(o: ViewStoreOptions) {
    super();
    this.style = o.style;
    this.project = basename(o.cwd) || o.cwd;
    this.board = new AgentsBoard({ style: o.style, hideReasoning: o.hideReasoning, cwd: o.cwd, now: o.now });
    this.script = new Transcript({ style: o.style, hideReasoning: o.hideReasoning, cwd: o.cwd, now: o.now, agents: this.board });
    this.state = {
      editor: emptyEditor(o.recall),
      slashSelected: 0,
      overlay: null,
      shortcuts: false,
      extras: NO_EXTRAS,
      queued: [],
      turnStartedAt: null,
      columns: 80,
      rows: 24,
      exiting: false,
      mcpStarting: null,
      threadName: null,
      usedSession: false,
      historyScroll: null,
    };
  }

  /** The figures of the footer and /status; pure (it runs for every frame). */
  abstract statusInfo(): StatusInfo;

  private set(patch: Partial<ViewState>): void {
    this.state = { ...this.state, ...patch };
    this.changed();
  }

  // --- reading ---

  /** The conversation as shown: the printed history and the live part of the running turn. */
  get transcript(): { readonly history: readonly HistoryEntry[]; readonly live: LiveState } {
    return this.script;
  }
  get editor(): EditorState {
    return this.state.editor;
  }
  /** The highlighted row of the slash-command popup. */
  get slashSelected(): number {
    return this.state.slashSelected;
  }
  get overlay(): Overlay | null {
    return this.state.overlay;
  }
  get queued(): readonly string[] {
    return this.state.queued;
  }
  /** The Ctrl-R search and the `@` file popup. */
  get extras(): PromptExtras {
    return this.state.extras;
  }
  get running(): boolean {
    return this.state.turnStartedAt !== null;
  }
  get exiting(): boolean {
    return this.state.exiting;
  }
  /** The session's subagents as last reported. */
  get agents(): readonly SubagentInfo[] {
    return this.board.list();
  }
  /** Some subagent is working. */
  get agentsBusy(): boolean {
    return this.board.busy;
  }
  get mcpStarting(): readonly string[] | null {
    return this.state.mcpStarting;
  }
  /** The thread's name (`/rename`), shown in the footer and /status. */
  get threadName(): string | null {
    return this.state.threadName;
  }
  /** Set once the first turn has run (or the thread was named): there is something to resume. */
  get usedSession(): boolean {
    return this.state.usedSession;
  }

  protected makeSnapshot(): Snapshot {
    const s = this.state;
    const asking = s.overlay !== null && s.overlay.kind !== 'picker' && s.overlay.kind !== 'agent';
    return {
      history: this.script.history,
      live: this.script.live,
      editor: s.editor,
      slashSelected: s.slashSelected,
      overlay: s.overlay,
      shortcuts: s.shortcuts,
      extras: s.extras,
      running: this.running,
      turnStartedAt: s.turnStartedAt,
      queued: s.queued,
      status: this.statusInfo(),
      columns: s.columns,
      rows: s.rows,
      exiting: s.exiting,
      mcpStarting: s.mcpStarting,
      title: terminalTitle(this.project, { running: this.running, asking }),
      agents: this.board.rows(),
      historyScroll: s.historyScroll,
    };
  }

  // --- transcript ---

  /** Adds finished text to the history. */
  print(text: string): void {
    this.script.print(text);
    this.changed();
  }
  /** Adds many entries at once (a resumed thread). */
  printAll(texts: readonly string[]): void {
    this.script.printAll(texts);
    this.changed();
  }
  /** The user's prompt (with the images attached to it). */
  user(text: string, images: readonly string[] = []): void {
    this.script.user(text, images);
    // A prompt sent brings a scrolled history view back to its end.
    if (this.state.historyScroll !== null) this.set({ historyScroll: null });
    else this.changed();
  }
  notice(text: string): void {
    this.script.notice(text);
    this.changed();
  }
  error(text: string): void {
    this.script.error(text);
    this.changed();
  }
  /** An event of the running turn (or compaction), or of a subagent (at any time). */
  applyEvent(event: UiEvent): void {
    if (event.type !== 'patch.diff' && this.board.handle(event)) return this.changed();
    this.script.handle(event);
    if (event.type === 'item.completed' && event.item.type === 'collab_tool_call') this.board.collabCall(event.item);
    this.changed();
  }
  /** Ctrl-O: the whole output of the last command shown collapsed. */
  expandOutput(): void {
    if (!this.script.expandOutput()) this.script.notice('no collapsed command output to show');
    this.changed();
  }
  /** Ends the live part of a turn: what still runs or streams is printed as it stands. */
  finishTurn(interrupted = false): void {
    this.script.finishTurn(interrupted);
    this.changed();
  }

  // --- the prompt ---

  /** The editor's next state; the popup's highlight starts over when the text changes. */
  setEditor(next: EditorState): void {
    const textChanged = next.text !== this.state.editor.text;
    this.set({ editor: next, ...(textChanged ? { slashSelected: 0, shortcuts: false } : {}) });
  }
  /** Moves the highlight of the slash-command popup (wrapping); nothing when no popup is shown. */
  moveSlashSelection(delta: number): void {
    const n = slashPopup(this.state.editor.text).length;
    if (n === 0) return;
    this.set({ slashSelected: (((this.state.slashSelected + delta) % n) + n) % n });
  }
  toggleShortcuts(): void {
    this.set({ shortcuts: !this.state.shortcuts });
  }
  hideShortcuts(): void {
    if (this.state.shortcuts) this.set({ shortcuts: false });
  }
  /** The Ctrl-R search over earlier prompts starts, changes or ends (null). */
  setSearch(search: HistorySearch | null): void {
    this.set({ extras: { ...this.state.extras, search } });
  }
  /** The `@` file popup opens, changes or closes (null). */
  setFilePopup(files: FilePopup | null): void {
    this.set({ extras: { ...this.state.extras, files } });
  }
  /** A prompt to send after the running turn (or once the MCP servers have started). */
  queuePrompt(text: string): void {
    this.set({ queued: [...this.state.queued, text] });
  }
  /** Takes the next queued prompt off the queue. */
  takeQueued(): string | undefined {
    const [next, ...rest] = this.state.queued;
    if (next !== undefined) this.set({ queued: rest });
    return next;
  }
  /** Takes the last queued prompt off the queue (Alt+↑ puts it back in the editor). */
  takeLastQueued(): string | undefined {
    const q = this.state.queued;
    const last = q[q.length - 1];
    if (last !== undefined) this.set({ queued: q.slice(0, -1) });
    return last;
  }
  /** After an interrupt the queued prompts go back to the editor rather than being sent. */
  requeueToEditor(): void {
    if (this.state.queued.length === 0) return;
    const text = this.state.queued.join('\n');
    this.set({ editor: { ...this.state.editor, text, cursor: text.length }, queued: [] });
  }

  // --- approvals ---

  /** The agent asks: the question is shown (after those asked before it), resolved by the user's answer. */
  ask(question: ApprovalQuestion): Promise<ApprovalReply> {
    return new Promise((resolve) => {
      if (this.refuseQuestions()) return resolve({ answer: 'deny' });
      this.questions.push({ question, resolve });
      this.showQuestion();
    });
  }

  /** True when questions are answered "no" without asking (the turn was interrupted). */
  protected abstract refuseQuestions(): boolean;

  private showQuestion(): void {
    const first = this.questions[0];
    const o = this.state.overlay;
    if (!first) {
      if (o?.kind === 'approval') this.set({ overlay: null });
      return;
    }
    const waiting = this.questions.length - 1;
    if (o?.kind === 'approval' && o.question === first.question) this.set({ overlay: { ...o, waiting } });
    // A question comes before a subagent's transcript being read (the one asking may be that agent).
    else if (o === null || o.kind === 'approval' || o.kind === 'agent') this.set({ overlay: { kind: 'approval', question: first.question, selected: 0, explaining: null, scroll: 0, waiting } });
  }

  private answer(reply: ApprovalReply): void {
    const first = this.questions.shift();
    this.showQuestion();
    first?.resolve(reply);
  }

  /** Yes, once or for the rest of the session. */
  approve(answer: 'approve-once' | 'approve-session'): void {
    this.answer({ answer });
  }

  /**
   * No: the model is told (with the user's reason, when one was given) and the transcript keeps one line
   * saying what was not done and why.
   */
  decline(reason = ''): void {
    const q = this.questions[0]?.question;
    if (!q) return;
    const why = reason.trim();
    const base = q.kind === 'command' ? COMMAND_REJECTED : q.kind === 'mcp_tool' ? MCP_TOOL_REJECTED : PATCH_REJECTED;
    // An MCP call's failed item says it with the reason; a command's or a patch's refusal needs this line.
    if (q.kind !== 'mcp_tool') this.script.print(declineLine(q, why, this.style));
    // The declined command's own item would say it again.
    if (q.kind === 'command' && !q.retryWithoutSandbox) this.script.expectDeclined();
    this.answer({ answer: 'deny', message: why === '' ? base : `${base}: ${why}` });
  }

  /** Every open question is answered "no" without a trace (the turn is being interrupted). */
  cancelApprovals(): void {
    const all = this.questions;
    this.questions = [];
    this.showQuestion();
    for (const q of all) q.resolve({ answer: 'deny' });
  }

  private updateApproval(f: (o: Extract<Overlay, { kind: 'approval' }>) => Overlay): void {
    const o = this.state.overlay;
    if (o?.kind === 'approval') this.set({ overlay: f(o) });
  }
  moveApprovalSelection(delta: number, options: number): void {
    this.updateApproval((o) => ({ ...o, selected: (((o.selected + delta) % options) + options) % options }));
  }
  /** "No, and tell the model why": the reason is typed in place of the options. */
  startExplaining(): void {
    this.updateApproval((o) => ({ ...o, explaining: emptyEditor() }));
  }
  editExplanation(next: EditorState): void {
    this.updateApproval((o) => (o.explaining ? { ...o, explaining: next } : o));
  }
  stopExplaining(): void {
    this.updateApproval((o) => ({ ...o, explaining: null }));
  }
  /** Scrolls a long preview by `delta` lines, within 0..`max`. */
  scrollApproval(delta: number, max: number): void {
    this.updateApproval((o) => ({ ...o, scroll: Math.max(0, Math.min(max, o.scroll + delta)) }));
  }

  // --- pickers ---

  /** Shows a list to choose from; resolves with the chosen value, or null when cancelled. */
  pick<T>(title: string, items: readonly PickerItem<T>[], selected = 0): Promise<T | null> {
    this.pendingPick?.cancel();
    return new Promise((resolve) => {
      this.pendingPick = { pick: (v) => resolve(v as T), cancel: () => resolve(null) };
      this.set({ overlay: { kind: 'picker', title, items, selected: Math.max(0, Math.min(selected, items.length - 1)) } });
    });
  }
  movePickSelection(delta: number): void {
    const o = this.state.overlay;
    if (o?.kind !== 'picker' || o.items.length === 0) return;
    const n = o.items.length;
    this.set({ overlay: { ...o, selected: (((o.selected + delta) % n) + n) % n } });
  }
  /**
   * Replaces the items of the open picker, if it still shows `shown` (the served models arriving after
   * the picker opened); `note` is the dim line under them. False when that picker is gone.
   */
  replacePickerItems(shown: readonly PickerItem<unknown>[], next: readonly PickerItem<unknown>[], note: string | undefined): boolean {
    const o = this.state.overlay;
    if (o?.kind !== 'picker' || o.items !== shown) return false;
    const { note: _old, ...rest } = o;
    this.set({ overlay: note === undefined ? { ...rest, items: next } : { ...rest, items: next, note } });
    return true;
  }
  /** Closes the picker with a value (null: cancelled). */
  endPick(value: unknown | null): void {
    const p = this.pendingPick;
    this.pendingPick = null;
    if (this.state.overlay?.kind === 'picker') this.set({ overlay: null });
    // A question asked while the picker was open (a queued prompt's turn) comes up now.
    this.showQuestion();
    if (p) {
      if (value === null) p.cancel();
      else p.pick(value);
    }
  }

  // --- the exit question ---

  /** Ctrl-C with nothing to interrupt or clear: asks before leaving (Cancel is highlighted). */
  askExit(): void {
    if (this.state.overlay === null) this.set({ overlay: { kind: 'exit', selected: 0 } });
  }
  moveExitSelection(delta: number): void {
    const o = this.state.overlay;
    if (o?.kind === 'exit') this.set({ overlay: { ...o, selected: (((o.selected + delta) % 2) + 2) % 2 } });
  }
  cancelExit(): void {
    if (this.state.overlay?.kind === 'exit') this.set({ overlay: null });
    this.showQuestion();
  }

  // --- subagents ---

  /** Shows a subagent's transcript in place of the prompt (Esc comes back); nothing for an unknown id. */
  openAgentView(id: string): void {
    const o = this.state.overlay;
    if (!this.board.get(id) || (o !== null && o.kind !== 'agent')) return;
    this.set({ overlay: { kind: 'agent', id, scroll: 0 } });
  }
  /** The next (or previous) subagent's transcript, in spawn order, wrapping. */
  cycleAgentView(delta: number): void {
    const o = this.state.overlay;
    const ids = this.board.list().map((a) => a.id);
    if (o?.kind !== 'agent' || ids.length === 0) return;
    const at = ids.indexOf(o.id);
    const next = ids[(((at + delta) % ids.length) + ids.length) % ids.length] as string;
    this.set({ overlay: { kind: 'agent', id: next, scroll: 0 } });
  }
  /** Scrolls the subagent's transcript back (positive) or forward, within 0..`max` lines from its end. */
  scrollAgentView(delta: number, max: number): void {
    const o = this.state.overlay;
    if (o?.kind === 'agent') this.set({ overlay: { ...o, scroll: Math.max(0, Math.min(max, o.scroll + delta)) } });
  }
  /** A restored subagent's earlier transcript, read from its session file (when it shows none yet). */
  replayAgent(id: string, entries: readonly string[]): void {
    this.board.replay(id, entries);
    this.changed();
  }
  /** Back to the session's own view. */
  closeAgentView(): void {
    if (this.state.overlay?.kind === 'agent') this.set({ overlay: null });
    this.showQuestion();
  }

  // --- session facts ---

  setThreadName(name: string | null): void {
    this.set({ threadName: name });
  }
  /** There is a recorded thread to resume (the exit line says how). */
  markUsed(): void {
    if (!this.state.usedSession) this.set({ usedSession: true });
  }
  /** Names of the MCP servers still starting (prompts sent meanwhile are queued), or null. */
  setMcpStarting(names: readonly string[] | null): void {
    this.set({ mcpStarting: names });
  }
  /** Where the alternate screen's history view is scrolled to (null: following the end). */
  setHistoryScroll(scroll: HistoryScroll | null): void {
    this.set({ historyScroll: scroll });
  }
  resize(columns: number, rows: number): void {
    this.set({ columns: Math.max(10, columns), rows: Math.max(5, rows) });
  }
  /** The clock moved: redraw what shows elapsed time. */
  tick(): void {
    this.changed();
  }

  // --- for the controller ---

  protected turnBegan(at: number): void {
    this.set({ turnStartedAt: at });
  }
  protected turnSettled(): void {
    this.set({ turnStartedAt: null });
  }
  protected markExiting(): void {
    this.cancelExit();
    this.set({ exiting: true });
  }
  /** Forgets the per-thread facts (a new conversation). */
  protected resetThread(): void {
    this.set({ threadName: null, usedSession: false });
  }
  /** The conversation's subagents from now on (a resumed one's restored children, or none). */
  protected resetAgents(agents: readonly SubagentInfo[]): void {
    this.board.reset(agents);
    if (this.state.overlay?.kind === 'agent') this.set({ overlay: null });
    else this.changed();
  }
}
