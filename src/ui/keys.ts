/**
 * What each key does, depending on what is on screen: a question or picker (see overlay-keys.ts), or
 * the prompt editor with its slash-command popup, `?` shortcut list, Ctrl-R search and `@` file popup
 * (prompt-keys.ts). Keys come parsed (input/), one event at a time: a burst of keys is each of its
 * keys, a bracketed paste is text. Keys change the UI only through the controller's actions.
 */
import type { UiController } from './controller.js';
import * as ed from './editor.js';
import { chooseAgent } from './agents-commands.js';
import { runSlashCommand } from './commands.js';
import type { InputEvent, KeyEvent } from './input/index.js';
import { overlayKey } from './overlay-keys.js';
import { PromptKeys } from './prompt-keys.js';
import { completeCommand, knownCommand, popupChoice, slashPopup } from './slash.js';

/** The parts of a key press the UI uses (a subset of ink's `Key`). */
export interface KeyInfo {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
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
  pageUp: false,
  pageDown: false,
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
      pageUp: n === 'pageup',
      pageDown: n === 'pagedown',
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

export class KeyHandler {
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
    if (c.overlay) return overlayKey(c, input, key);
    if (key.escape && this.prompt.searching) return this.prompt.cancelSearch();
    if (key.escape && c.extras.files) return this.prompt.files.dismiss();
    if (key.escape) {
      if (c.running || c.agentsBusy) c.interrupt();
      else c.hideShortcuts();
      return;
    }
    if (key.ctrl && input === 'o') return c.expandOutput();
    if (key.ctrl && input === 't') return void chooseAgent(c);
    if (key.pageUp || key.pageDown) return c.scrollHistoryPage(key.pageUp ? -1 : 1);
    if (key.ctrl && input === 'd') {
      if (c.editor.text === '') c.exit();
      else this.edit(ed.deleteForward(c.editor));
      return;
    }
    this.editorKey(input, key);
  }

  private insert(text: string): void {
    const c = this.c;
    const o = c.overlay;
    if (o?.kind === 'approval' && o.explaining) return c.editExplanation(ed.insert(o.explaining, text.replace(/[\r\n]+/g, ' ')));
    if (o) return;
    // Pasted during a Ctrl-R search: it is searched for.
    if (this.prompt.searching) {
      this.prompt.searchKey(text, { ...NO_KEY });
      return;
    }
    this.edit(ed.insert(c.editor, text));
  }

  /**
   * Ctrl-C: closes the question or picker on screen, else interrupts the running turn (and only that),
   * else clears the prompt, else asks whether to exit. Leaving is never one keystroke away from an
   * interrupt.
   */
  private ctrlC(): void {
    const c = this.c;
    const o = c.overlay;
    if (o?.kind === 'approval') return c.interrupt();
    if (o?.kind === 'picker') return c.endPick(null);
    if (o?.kind === 'exit') return c.cancelExit();
    if (o?.kind === 'agent') return c.closeAgentView();
    if (c.running || c.agentsBusy) return c.interrupt();
    if (c.editor.text !== '') return this.edit(ed.emptyEditor(c.editor.recall));
    c.askExit();
  }

  private edit(next: ed.EditorState): void {
    this.c.setEditor(next);
    this.prompt.afterEdit();
  }

  private editorKey(input: string, key: KeyInfo): void {
    const c = this.c;
    if (this.prompt.searching && this.prompt.searchKey(input, key)) return;
    if (this.prompt.popupKey(input, key)) return;
    const e = c.editor;
    if (input === '?' && e.text === '' && !key.ctrl && !key.meta) return c.toggleShortcuts();
    c.hideShortcuts();
    const popup = slashPopup(e.text).length > 0;
    if (key.return) {
      if (key.shift || key.meta) return this.edit(ed.insert(e, '\n'));
      // Enter on the popup runs the highlighted command.
      const chosen = popup ? popupChoice(e.text, c.slashSelected) : null;
      return this.submit(chosen ? { ...e, text: `/${chosen.name}`, cursor: chosen.name.length + 1 } : e);
    }
    if (key.tab) {
      const completed = completeCommand(e.text);
      if (completed !== null) this.edit({ ...e, text: completed, cursor: completed.length });
      return;
    }
    if (key.upArrow && key.meta) return this.editQueued();
    if (key.ctrl && input === 'r') return this.prompt.startSearch();
    const up = key.upArrow || (key.ctrl && input === 'p');
    const down = key.downArrow || (key.ctrl && input === 'n');
    if ((up || down) && popup) return c.moveSlashSelection(up ? -1 : 1);
    if ((key.leftArrow && (key.meta || key.ctrl)) || (key.meta && input === 'b')) return this.edit(ed.wordLeft(e));
    if ((key.rightArrow && (key.meta || key.ctrl)) || (key.meta && input === 'f')) return this.edit(ed.wordRight(e));
    if (up) return this.edit(ed.up(e));
    if (down) return this.edit(ed.down(e));
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
    const last = this.c.takeLastQueued();
    if (last === undefined) return;
    const e = this.c.editor;
    const text = e.text === '' ? last : `${last}\n${e.text}`;
    this.edit({ ...e, text, cursor: last.length, recallAt: null });
  }

  /** Sends the prompt, or runs it as a command when its first word is a command's name. */
  private submit(e: ed.EditorState): void {
    const c = this.c;
    const { submit, next } = ed.enter(e);
    // A prompt too long to send stays in the editor, to be shortened.
    if (submit !== null && c.refusePrompt(submit)) return;
    this.edit(next);
    if (submit === null) return;
    if (knownCommand(submit) !== null) {
      void runSlashCommand(c, submit.trim());
      return;
    }
    c.send(submit);
  }
}
