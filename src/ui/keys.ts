/**
 * What each key does, depending on what is on screen: an approval question, a picker, or the prompt
 * editor (with the slash-command menu, the Ctrl-R search and the `@` file popup). Keys come parsed
 * (input/), one event at a time: a burst of keys is each of its keys, a bracketed paste is text.
 */
import type { UiController } from './controller.js';
import * as ed from './editor.js';
import { matchingCommands, runSlashCommand } from './commands.js';
import type { InputEvent, KeyEvent } from './input/index.js';
import { PromptKeys } from './prompt-keys.js';

/** The parts of a key press the UI uses (a subset of ink's `Key`). */
export interface KeyInfo {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  shift: boolean;
  meta: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
}

export const NO_KEY: KeyInfo = Object.freeze({
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  meta: false,
  tab: false,
  backspace: false,
  delete: false,
});

const EXIT_WINDOW_MS = 2000;

/** A parsed key as the handlers below take it: the character (of a Ctrl or Alt chord too) and the flags. */
export function keyInfo(ev: KeyEvent): { input: string; key: KeyInfo } {
  const n = ev.name;
  const input = n.length <= 2 && [...n].length === 1 ? n : n === 'space' ? ' ' : '';
  return {
    input,
    key: {
      upArrow: n === 'up',
      downArrow: n === 'down',
      leftArrow: n === 'left',
      rightArrow: n === 'right',
      home: n === 'home',
      end: n === 'end',
      return: n === 'return',
      escape: n === 'escape',
      ctrl: ev.ctrl,
      shift: ev.shift,
      meta: ev.meta,
      tab: n === 'tab',
      backspace: n === 'backspace',
      delete: n === 'delete',
    },
  };
}

export const APPROVAL_OPTIONS = [
  { key: 'y', label: 'Yes, once' },
  { key: 'a', label: 'Yes, and do not ask again this session' },
  { key: 'e', label: 'No, and tell the model why' },
  { key: 'n', label: 'No' },
] as const;

export class KeyHandler {
  private ctrlCAt = 0;
  private readonly prompt: PromptKeys;

  constructor(private readonly c: UiController) {
    this.prompt = new PromptKeys(c);
  }

  /** The terminal's input, in order: keys, typed text, pastes. */
  dispatch(events: readonly InputEvent[]): void {
    for (const ev of events) {
      if (ev.type === 'paste') this.insert(ev.text);
      else if (ev.type === 'key') {
        const { input, key } = keyInfo(ev);
        this.handle(input, key);
      } else if (this.c.overlay && !(this.c.overlay.kind === 'approval' && this.c.overlay.explaining)) {
        // A question or a picker takes typed characters one by one, as keys.
        for (const ch of ev.text) this.handle(ch, { ...NO_KEY });
      } else this.handle(ev.text, { ...NO_KEY });
    }
  }

  /** Stops the file index (the session is closing). */
  close(): void {
    this.prompt.close();
  }

  handle(input: string, key: KeyInfo): void {
    const c = this.c;
    if (key.ctrl && input === 'c' && this.prompt.searching) return this.prompt.cancelSearch();
    if (key.ctrl && input === 'c') return this.ctrlC();
    if (c.hint) {
      c.hint = null;
      c.changed();
    }
    if (c.overlay?.kind === 'approval') return this.approvalKey(input, key);
    if (c.overlay?.kind === 'picker') return this.pickerKey(input, key);
    if (key.escape && this.prompt.searching) return this.prompt.cancelSearch();
    if (key.escape && c.extras.files) return this.prompt.files.dismiss();
    if (key.escape) {
      if (c.running) c.interrupt();
      return;
    }
    if (key.ctrl && input === 'd') {
      if (c.editor.text === '') c.exit();
      else this.edit(ed.deleteForward(c.editor));
      return;
    }
    this.editorKey(input, key);
  }

  private insert(text: string): void {
    const c = this.c;
    if (c.overlay?.kind === 'approval' && c.overlay.explaining) {
      c.overlay = { ...c.overlay, explaining: ed.insert(c.overlay.explaining, text.replace(/[\r\n]+/g, ' ')) };
      c.changed();
      return;
    }
    if (c.overlay) return;
    // Pasted during a Ctrl-R search: it is searched for.
    if (this.prompt.searching) {
      this.prompt.searchKey(text, { ...NO_KEY });
      return;
    }
    this.edit(ed.insert(c.editor, text));
  }

  private ctrlC(): void {
    const c = this.c;
    if (c.overlay?.kind === 'approval') {
      c.interrupt();
      return;
    }
    if (c.overlay?.kind === 'picker') {
      c.endPick(null);
      return;
    }
    if (c.running) {
      c.interrupt();
      this.armExit();
      return;
    }
    if (c.editor.text !== '') {
      this.edit(ed.emptyEditor(c.editor.recall));
      return;
    }
    if (c.now() - this.ctrlCAt < EXIT_WINDOW_MS) {
      c.exit();
      return;
    }
    this.armExit();
  }

  private armExit(): void {
    this.ctrlCAt = this.c.now();
    this.c.hint = 'Press Ctrl-C again to exit';
    this.c.changed();
  }

  private edit(next: ed.EditorState): void {
    this.c.editor = next;
    this.c.changed();
    this.prompt.afterEdit();
  }

  private editorKey(input: string, key: KeyInfo): void {
    const c = this.c;
    if (this.prompt.searching && this.prompt.searchKey(input, key)) return;
    if (this.prompt.popupKey(input, key)) return;
    let e = c.editor;
    const menu = e.text.startsWith('/') && !e.text.includes('\n') ? matchingCommands(e.text) : [];
    if (key.return) {
      if (key.shift || key.meta) return this.edit(ed.insert(e, '\n'));
      if (menu.length > 0 && !e.text.includes(' ') && menu[0] && menu[0].name !== e.text.slice(1)) e = { ...e, text: `/${menu[0].name}`, cursor: menu[0].name.length + 1 };
      return this.submit(e);
    }
    if (key.tab) {
      if (menu[0]) this.edit({ ...e, text: `/${menu[0].name} `, cursor: menu[0].name.length + 2 });
      return;
    }
    if (key.upArrow && key.meta) return this.editQueued();
    if (key.ctrl && input === 'r') return this.prompt.startSearch();
    if ((key.leftArrow && (key.meta || key.ctrl)) || (key.meta && input === 'b')) return this.edit(ed.wordLeft(e));
    if ((key.rightArrow && (key.meta || key.ctrl)) || (key.meta && input === 'f')) return this.edit(ed.wordRight(e));
    if (key.upArrow || (key.ctrl && input === 'p')) return this.edit(ed.up(e));
    if (key.downArrow || (key.ctrl && input === 'n')) return this.edit(ed.down(e));
    if (key.leftArrow || (key.ctrl && input === 'b')) return this.edit(ed.left(e));
    if (key.rightArrow || (key.ctrl && input === 'f')) return this.edit(ed.right(e));
    if (key.home || (key.ctrl && input === 'a')) return this.edit(ed.home(e));
    if (key.end || (key.ctrl && input === 'e')) return this.edit(ed.end(e));
    if (key.backspace) return this.edit(key.meta || key.ctrl ? ed.deleteWord(e) : ed.backspace(e));
    if (key.delete) return this.edit(key.meta || key.ctrl ? ed.deleteWordForward(e) : ed.deleteForward(e));
    if (key.meta && input === 'd') return this.edit(ed.deleteWordForward(e));
    if (key.ctrl) {
      if (input === 'u') return this.edit(ed.killToStart(e));
      if (input === 'k') return this.edit(ed.killToEnd(e));
      if (input === 'w') return this.edit(ed.deleteWord(e));
      if (input === 'j') return this.edit(ed.insert(e, '\n'));
      return;
    }
    // Other Alt chords and keys without text (F1…, Insert, Page Up) do nothing; never typed as text.
    if (key.meta || key.escape || key.tab || key.return || input === '') return;
    this.edit(ed.insert(e, input));
  }

  /** Alt+↑: the last queued prompt comes back into the editor (before what is there), out of the queue. */
  private editQueued(): void {
    const c = this.c;
    const last = c.queued[c.queued.length - 1];
    if (last === undefined) return;
    c.queued = c.queued.slice(0, -1);
    const rest = c.editor.text;
    const text = rest === '' ? last : `${last}\n${rest}`;
    this.edit({ ...c.editor, text, cursor: last.length, recallAt: null });
  }

  private submit(e: ed.EditorState): void {
    const c = this.c;
    const { submit, next } = ed.enter(e);
    // A prompt too long to send stays in the editor, to be shortened.
    if (submit !== null && c.refusePrompt(submit)) return;
    c.editor = next;
    c.changed();
    this.prompt.afterEdit();
    if (submit === null) return;
    const trimmed = submit.trim();
    if (trimmed.startsWith('/') && !trimmed.includes('\n')) {
      void runSlashCommand(c, trimmed);
      return;
    }
    c.send(submit);
  }

  private approvalKey(input: string, key: KeyInfo): void {
    const c = this.c;
    const o = c.overlay;
    if (o?.kind !== 'approval') return;
    if (o.explaining) {
      if (key.escape) {
        c.overlay = { ...o, explaining: null };
        c.changed();
      } else if (key.return) {
        const why = o.explaining.text.trim();
        const kind = o.question.kind;
        const what = kind === 'command' ? 'exec command rejected by user' : kind === 'mcp_tool' ? 'user rejected MCP tool call' : 'patch rejected by user';
        c.answerApproval({ answer: 'deny', message: why === '' ? what : `${what}: ${why}` });
      } else if (key.backspace || key.delete) {
        c.overlay = { ...o, explaining: ed.backspace(o.explaining) };
        c.changed();
      } else if (!key.ctrl && !key.meta && input !== '' && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.tab) {
        c.overlay = { ...o, explaining: ed.insert(o.explaining, input.replace(/[\r\n]+/g, ' ')) };
        c.changed();
      }
      return;
    }
    const choose = (index: number): void => {
      const opt = APPROVAL_OPTIONS[index];
      if (!opt) return;
      if (opt.key === 'y') c.answerApproval({ answer: 'approve-once' });
      else if (opt.key === 'a') c.answerApproval({ answer: 'approve-session' });
      else if (opt.key === 'n') c.answerApproval({ answer: 'deny' });
      else {
        c.overlay = { ...o, explaining: ed.emptyEditor() };
        c.changed();
      }
    };
    if (key.escape) return c.answerApproval({ answer: 'deny' });
    if (key.upArrow || key.downArrow) {
      const n = APPROVAL_OPTIONS.length;
      c.overlay = { ...o, selected: (o.selected + (key.upArrow ? n - 1 : 1)) % n };
      c.changed();
      return;
    }
    if (key.return) return choose(o.selected);
    const byKey = APPROVAL_OPTIONS.findIndex((opt) => opt.key === input.toLowerCase());
    if (byKey !== -1) return choose(byKey);
    if (/^[1-4]$/.test(input)) choose(Number(input) - 1);
  }

  private pickerKey(input: string, key: KeyInfo): void {
    const c = this.c;
    const o = c.overlay;
    if (o?.kind !== 'picker') return;
    const n = o.items.length;
    if (key.escape) return c.endPick(null);
    if (key.upArrow || key.downArrow) {
      c.overlay = { ...o, selected: (o.selected + (key.upArrow ? n - 1 : 1)) % n };
      c.changed();
      return;
    }
    if (key.return) return c.endPick(o.items[o.selected]?.value ?? null);
    if (/^[1-9]$/.test(input) && Number(input) <= n) return c.endPick(o.items[Number(input) - 1]?.value ?? null);
  }
}
