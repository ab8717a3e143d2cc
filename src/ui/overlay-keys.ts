/**
 * Keys while a question or a picker is on screen: the approval question (answers by arrow, number or
 * letter; a reason typed for "No, and tell the model why"; PgUp/PgDn through a long preview), a picker,
 * and the exit question.
 */
import { agentViewKey } from './agents-commands.js';
import { APPROVAL_OPTIONS, approvalScrollMax } from './approval-view.js';
import type { UiController } from './controller.js';
import * as ed from './editor.js';
import type { KeyInfo } from './keys.js';
import { bottomRows, EXIT_OPTIONS } from './views.js';

export function overlayKey(c: UiController, input: string, key: KeyInfo): void {
  const kind = c.overlay?.kind;
  if (kind === 'approval') approvalKey(c, input, key);
  else if (kind === 'picker') pickerKey(c, input, key);
  else if (kind === 'exit') exitKey(c, input, key);
  else if (kind === 'agent') agentViewKey(c, input, key);
}

const printable = (input: string, key: KeyInfo): boolean =>
  !key.ctrl && !key.meta && input !== '' && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.tab && !key.pageUp && !key.pageDown;

function approvalKey(c: UiController, input: string, key: KeyInfo): void {
  const o = c.overlay;
  if (o?.kind !== 'approval') return;
  if (o.explaining) {
    if (key.escape) c.stopExplaining();
    else if (key.return) c.decline(o.explaining.text);
    else if (key.backspace || key.delete) c.editExplanation(ed.backspace(o.explaining));
    else if (printable(input, key)) c.editExplanation(ed.insert(o.explaining, input.replace(/[\r\n]+/g, ' ')));
    return;
  }
  if (key.pageUp || key.pageDown) {
    const snap = c.getSnapshot();
    const max = approvalScrollMax(o, c.style, c.settings.cwd, bottomRows(snap, c.style), snap.columns);
    const page = Math.max(1, Math.floor(snap.rows / 2));
    c.scrollApproval(key.pageUp ? -page : page, max);
    return;
  }
  const choose = (index: number): void => {
    const opt = APPROVAL_OPTIONS[index];
    if (!opt) return;
    if (opt.key === 'y') c.approve('approve-once');
    else if (opt.key === 'a') c.approve('approve-session');
    else if (opt.key === 'n') c.decline();
    else c.startExplaining();
  };
  if (key.escape) return c.decline();
  if (key.upArrow || key.downArrow) return c.moveApprovalSelection(key.upArrow ? -1 : 1, APPROVAL_OPTIONS.length);
  if (key.return) return choose(o.selected);
  const byKey = APPROVAL_OPTIONS.findIndex((opt) => opt.key === input.toLowerCase());
  if (byKey !== -1) return choose(byKey);
  if (/^[1-4]$/.test(input)) choose(Number(input) - 1);
}

function pickerKey(c: UiController, input: string, key: KeyInfo): void {
  const o = c.overlay;
  if (o?.kind !== 'picker') return;
  const n = o.items.length;
  if (key.escape) return c.endPick(null);
  if (key.upArrow || key.downArrow) return c.movePickSelection(key.upArrow ? -1 : 1);
  if (key.return) return c.endPick(o.items[o.selected]?.value ?? null);
  if (/^[1-9]$/.test(input) && Number(input) <= n) c.endPick(o.items[Number(input) - 1]?.value ?? null);
}

function exitKey(c: UiController, input: string, key: KeyInfo): void {
  const o = c.overlay;
  if (o?.kind !== 'exit') return;
  const choose = (index: number): void => {
    if (EXIT_OPTIONS[index]?.key === 'x') c.exit();
    else c.cancelExit();
  };
  if (key.escape) return c.cancelExit();
  if (key.ctrl && input === 'd') return c.exit();
  if (key.upArrow || key.downArrow) return c.moveExitSelection(key.upArrow ? -1 : 1);
  if (key.return) return choose(o.selected);
  const byKey = EXIT_OPTIONS.findIndex((opt) => opt.key === input.toLowerCase());
  if (byKey !== -1) return choose(byKey);
  if (/^[12]$/.test(input)) choose(Number(input) - 1);
}
