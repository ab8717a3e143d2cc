/** The shapes of the interactive UI's state as others read it: the snapshot frames are drawn from, the overlays. */
import type { ApprovalQuestion } from '../sandbox/index.js';
import type { AgentRow } from './agents-board.js';
import type { HistoryScroll } from './alt-history.js';
import type { EditorState } from './editor.js';
import type { PickerItem } from './model-picker.js';
import type { PromptExtras } from './prompt-extras.js';
import type { StatusInfo } from './status.js';
import type { Style } from './style.js';
import type { HistoryEntry, LiveState } from './transcript.js';

export type Overlay =
  | {
      kind: 'approval';
      question: ApprovalQuestion;
      /** The highlighted answer (index into APPROVAL_OPTIONS). */
      selected: number;
      /** The reason being typed after "No, and tell the model why", else null. */
      explaining: EditorState | null;
      /** First line of the preview (diff or command) shown, when it is longer than the room. */
      scroll: number;
      /** Further questions waiting behind this one. */
      waiting: number;
    }
  | { kind: 'picker'; title: string; items: readonly PickerItem<unknown>[]; selected: number; /** A dim line under the items ("loading…"). */ note?: string }
  /** "Exit opencodex?" — Cancel (0) or Exit (1). */
  | { kind: 'exit'; selected: number }
  /** A subagent's transcript, in place of the prompt; `scroll`: lines back from its end. */
  | { kind: 'agent'; id: string; scroll: number };

export interface Snapshot {
  history: readonly HistoryEntry[];
  live: LiveState;
  editor: EditorState;
  /** The highlighted row of the slash-command popup (when the prompt shows one). */
  slashSelected: number;
  overlay: Overlay | null;
  /** The `?` list of shortcuts is shown under the prompt. */
  shortcuts: boolean;
  /** The Ctrl-R search and the `@` file popup. */
  extras: PromptExtras;
  running: boolean;
  turnStartedAt: number | null;
  queued: readonly string[];
  status: StatusInfo;
  columns: number;
  rows: number;
  /** The session is closing: only the history stays on screen. */
  exiting: boolean;
  /** The MCP servers still starting (prompts wait for them), or null. */
  mcpStarting: readonly string[] | null;
  /** The terminal's title: the project, and whether a turn runs or a question waits for the user. */
  title: string;
  /** The session's subagents, with their transcripts. */
  agents: readonly AgentRow[];
  /** On the alternate screen, where the history view is scrolled to (null: following its end). */
  historyScroll: HistoryScroll | null;
}

/** What the terminal's title says (the project is the session directory's name). */
export function terminalTitle(project: string, o: { running: boolean; asking: boolean }): string {
  if (o.asking) return `[!] opencodex: ${project} (action required)`;
  return o.running ? `opencodex: ${project} (working)` : `opencodex: ${project}`;
}

export interface ViewStoreOptions {
  style: Style;
  cwd: string;
  hideReasoning: boolean;
  /** Earlier prompts for up-arrow recall, oldest first. */
  recall: readonly string[];
  now: () => number;
}
