/**
 * Opening a subagent's transcript: `/agents` (and ctrl+t) lists the session's subagents to choose one;
 * the keys of the transcript on screen go back (esc), to the other agents (←/→) and scroll (pgup/pgdn,
 * ↑/↓).
 */
import { activityText, agentDetail, statusWord, usageWords } from './agents-format.js';
import { loadRollout } from '../sessions/index.js';
import { agentScrollMax, SHOWN_ENTRIES } from './agents-view.js';
import type { UiController } from './controller.js';
import type { KeyInfo } from './keys.js';
import type { PickerItem } from './model-picker.js';
import { replayTail } from './replay.js';
import { bottomRows } from './views.js';

/** `/agents`: picks one of the session's subagents and shows its transcript. */
export async function chooseAgent(c: UiController): Promise<void> {
  const agents = c.agents;
  if (agents.length === 0) {
    c.notice('no subagents in this session yet (the model spawns them when you ask for helpers or parallel work)');
    return;
  }
  const items: PickerItem<string>[] = agents.map((a) => ({
    columns: [a.nickname, statusWord(a.status)],
    label: agentDetail(a),
    detail: `${activityText(a)}${activityText(a) === '' ? '' : ' · '}${usageWords(a.usage, a.cost_usd)}`,
    value: a.id,
  }));
  // The first one still working, else the newest.
  const working = agents.findIndex((a) => a.status === 'running');
  const id = await c.pick('Show the transcript of', items, working === -1 ? agents.length - 1 : working);
  if (id === null) return;
  loadEarlier(c, id);
  c.openAgentView(id);
}

/**
 * A helper restored with a resumed session has no transcript in this one: what it did is read from its
 * own session file (once, when it is opened; never while drawing). When that fails, the view says where
 * the file is.
 */
function loadEarlier(c: UiController, id: string): void {
  const row = c.getSnapshot().agents.find((r) => r.info.id === id);
  const path = row?.info.rollout_path;
  if (!row || !path || row.history.length > 0 || row.info.status === 'running' || row.info.status === 'pending_init') return;
  try {
    const { entries, hidden } = replayTail(loadRollout(path).shown, c.style, SHOWN_ENTRIES);
    const earlier = hidden > 0 ? [c.style.dim(`… ${hidden.toLocaleString('en-US')} earlier entries not shown`)] : [];
    c.replayAgent(id, [...earlier, ...entries]);
  } catch {
    // Unreadable: the view names the file instead.
  }
}

/** Keys while a subagent's transcript is on screen. */
export function agentViewKey(c: UiController, input: string, key: KeyInfo): void {
  const o = c.overlay;
  if (o?.kind !== 'agent') return;
  if (key.escape || (key.ctrl && input === 't') || input === 'q') return c.closeAgentView();
  if (key.leftArrow || key.rightArrow) {
    c.cycleAgentView(key.leftArrow ? -1 : 1);
    const next = c.overlay;
    if (next?.kind === 'agent') loadEarlier(c, next.id);
    return;
  }
  if (key.pageUp || key.pageDown || key.upArrow || key.downArrow) {
    const snap = c.getSnapshot();
    const rows = bottomRows(snap, c.style);
    const max = agentScrollMax(o, snap.agents, c.style, rows, snap.columns);
    const step = key.upArrow || key.downArrow ? 1 : Math.max(1, rows - 4);
    c.scrollAgentView(key.pageUp || key.upArrow ? step : -step, max);
  }
}
