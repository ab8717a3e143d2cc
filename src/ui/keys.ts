/**
 * What each key does, depending on what is on screen: a question or picker (see overlay-keys.ts), or
 * the prompt editor with its slash-command popup and `?` shortcut list. Pastes arrive as one input;
 * bracketed pastes keep their newlines, while a typed Enter inside a burst of keys still submits. Keys
 * change the UI only through the controller's actions.
 */
import type { UiController } from './controller.js';
import * as ed from './editor.js';
import { chooseAgent } from './agents-commands.js';
import { runSlashCommand } from './commands.js';
import { overlayKey } from './overlay-keys.js';
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

const PASTE_START = '[200~';
const PASTE_END = '[201~';

export class KeyHandler {
  private pasting = false;

  constructor(private readonly c: UiController) {}

  handle(input: string, key: KeyInfo): void {
    const c = this.c;
    if (input.includes(PASTE_START) || input.includes(PASTE_END)) return this.paste(input);
    if (this.pasting) return this.insert(input);
    if (key.ctrl && input === 'c') return this.ctrlC();
    if (c.overlay) return overlayKey(c, input, key);
    if (key.escape) {
      if (c.running || c.agentsBusy) c.interrupt();
      else c.hideShortcuts();
      return;
    }
    if (key.ctrl && input === 'o') return c.expandOutput();
    if (key.ctrl && input === 't') return void chooseAgent(c);
    if (key.ctrl && input === 'd') {
      if (c.editor.text === '') c.exit();
      else this.edit(ed.deleteForward(c.editor));
      return;
    }
    this.editorKey(input, key);
  }

  private paste(input: string): void {
    // The markers may come with text around them in one chunk.
    let rest = input;
    while (rest !== '') {
      const marker = this.pasting ? PASTE_END : PASTE_START;
      const at = rest.indexOf(marker);
      if (at === -1) {
        if (this.pasting) this.insert(rest);
        else this.editorKey(rest, { ...NO_KEY });
        return;
      }
      const before = rest.slice(0, at).replace(/\u001b$/, '');
      if (before !== '') {
        if (this.pasting) this.insert(before);
        else this.editorKey(before, { ...NO_KEY });
      }
      this.pasting = !this.pasting;
      rest = rest.slice(at + marker.length);
    }
  }

  private insert(text: string): void {
    const c = this.c;
    const o = c.overlay;
    if (o?.kind === 'approval' && o.explaining) return c.editExplanation(ed.insert(o.explaining, text.replace(/[\r\n]+/g, ' ')));
    if (o) return;
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
  }

  private editorKey(input: string, key: KeyInfo): void {
    const c = this.c;
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
    if ((key.upArrow || key.downArrow) && popup) return c.moveSlashSelection(key.upArrow ? -1 : 1);
    if (key.upArrow) return this.edit(ed.up(e));
    if (key.downArrow) return this.edit(ed.down(e));
    if (key.leftArrow) return this.edit(ed.left(e));
    if (key.rightArrow) return this.edit(ed.right(e));
    if (key.home || (key.ctrl && input === 'a')) return this.edit(ed.home(e));
    if (key.end || (key.ctrl && input === 'e')) return this.edit(ed.end(e));
    if (key.backspace || key.delete) return this.edit(key.meta ? ed.deleteWord(e) : ed.backspace(e));
    if (key.ctrl) {
      if (input === 'u') return this.edit(ed.killToStart(e));
      if (input === 'k') return this.edit(ed.killToEnd(e));
      if (input === 'w') return this.edit(ed.deleteWord(e));
      if (input === 'j') return this.edit(ed.insert(e, '\n'));
      return;
    }
    if (input === '') return;
    // A burst of typed keys can end in (or contain) Enter: those submit. Ctrl-J (\n) inserts a newline.
    const parts = input.split('\r');
    parts.forEach((part, i) => {
      if (part !== '') this.edit(ed.insert(this.c.editor, part));
      if (i < parts.length - 1) this.submit(this.c.editor);
    });
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
