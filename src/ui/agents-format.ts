/**
 * How subagents look in the interactive UI, as text: the model's subagent tool calls in the transcript
 * (spawned, sent input, waiting, finished, closed), the list of the session's children above the footer,
 * their rows in `/status` and the exit summary. Nicknames come from our list, but roles, model names,
 * tasks and answers come from config files and models: all of it is made inert here.
 */
import { addUsage, ZERO_USAGE, type AgentStatus, type CollabToolCallItem, type SubagentInfo, type Usage } from '../agent/index.js';
import { escapeControls, escapeLine } from '../shared/index.js';
import { displayCommand } from './format.js';
import { formatCost, tokensUsed } from './status.js';
import { truncate, type Style } from './style.js';

/** Who an agent id names (what the transcript says instead of a thread id). */
export interface AgentDirectory {
  get(id: string): SubagentInfo | undefined;
}

/** Lines of a finished agent's answer the transcript shows under "X finished". */
export const ANSWER_EXCERPT_LINES = 3;

const excerpt = (text: string, lines: number, width = 200): string[] => {
  const all = text.replace(/\s+$/, '').split('\n').filter((l) => l.trim() !== '');
  const shown = all.slice(0, lines).map((l) => truncate(escapeLine(l.trim()), width));
  if (all.length > lines) shown.push('…');
  return shown;
};

/** `Robie`, or the id when the agent is not known (yet). */
export function agentName(dir: AgentDirectory, id: string): string {
  return escapeLine(dir.get(id)?.nickname ?? id);
}

/** `(explorer, gpt-5.4-mini medium)`: the role (none for the default one) and the model with its effort. */
export function agentDetail(a: Pick<SubagentInfo, 'role' | 'model' | 'effort'>): string {
  const model = `${a.model}${a.effort ? ` ${a.effort}` : ''}`;
  return escapeLine(`(${a.role ? `${a.role}, ` : ''}${model})`);
}

/** A status in a word or two: `running`, `completed`, `errored`, `interrupted`, `closed`. */
export function statusWord(s: AgentStatus): string {
  if (typeof s !== 'string') return 'completed' in s ? 'completed' : 'errored';
  if (s === 'shutdown') return 'closed';
  if (s === 'pending_init') return 'starting';
  return s.replace('_', ' ');
}

/** What a working agent is doing, in a few words (`running npm test`, a shell wrapper taken off); '' when idle. */
export function activityText(a: Pick<SubagentInfo, 'activity' | 'status'>): string {
  if (!a.activity || !isRunning(a)) return '';
  const run = /^running (.*)$/s.exec(a.activity);
  return escapeLine(run ? `running ${displayCommand(run[1] as string)}` : a.activity);
}

/** A child that may still be given work: not closed (Codex lists a child until it is closed). */
export function isOpen(a: SubagentInfo): boolean {
  return a.status !== 'shutdown' && a.status !== 'not_found';
}

export function isRunning(a: Pick<SubagentInfo, 'status'>): boolean {
  return a.status === 'running' || a.status === 'pending_init';
}

const bullet = (s: Style, failed = false): string => (failed ? s.red('■') : s.magenta('•'));
const under = (lines: readonly string[], s: Style): string[] => lines.map((l, i) => `  ${s.dim(i === 0 ? '└' : ' ')} ${l}`);

/** A subagent tool call that has finished, as the transcript keeps it. */
export function formatCollabCall(item: CollabToolCallItem, dir: AgentDirectory, s: Style): string {
  const ids = item.receiver_thread_ids;
  const names = ids.map((id) => s.bold(agentName(dir, id))).join(', ');
  if (item.status === 'failed') {
    const tool = item.tool === 'wait' ? 'wait_agent' : item.tool;
    return `${bullet(s, true)} ${s.red(`${tool} failed: ${escapeControls(item.error ?? 'unknown error')}`)}`;
  }
  const task = item.prompt ? under(excerpt(item.prompt, 1), s) : [];
  switch (item.tool) {
    case 'spawn_agent':
      return ids
        .map((id) => {
          const a = dir.get(id);
          return [`${bullet(s)} Spawned agent ${s.bold(agentName(dir, id))}${a ? ` ${s.dim(agentDetail(a))}` : ''}`, ...task].join('\n');
        })
        .join('\n');
    case 'send_input':
      return [`${bullet(s)} Sent input to ${names}`, ...task].join('\n');
    case 'close_agent':
      return `${bullet(s)} Closed ${names}`;
    case 'resume_agent':
      return `${bullet(s)} Reopened ${names}`;
    case 'wait': {
      const finished: string[] = [];
      const still: string[] = [];
      for (const id of ids) {
        const st = item.agents_states[id];
        const name = s.bold(agentName(dir, id));
        if (!st || st.status === 'running' || st.status === 'pending_init') {
          still.push(agentName(dir, id));
          continue;
        }
        if (st.status === 'completed') {
          const answer = st.message ? excerpt(st.message, ANSWER_EXCERPT_LINES) : [s.dim('(no answer)')];
          finished.push([`${bullet(s)} ${name} finished`, ...under(answer, s)].join('\n'));
        } else if (st.status === 'errored') {
          finished.push(`${bullet(s, true)} ${name} ${s.red(`errored: ${escapeLine(st.message ?? '')}`.trimEnd())}`);
        } else {
          finished.push(`${bullet(s)} ${name} ${statusWord(st.status)}`);
        }
      }
      if (finished.length === 0) return `${bullet(s)} ${s.dim(`Still waiting on ${still.join(', ') || 'the agents'} (the wait timed out)`)}`;
      return finished.join('\n');
    }
  }
}

/** A subagent tool call still running (the live part of the turn): a wait says on whom. */
export function formatCollabLive(item: CollabToolCallItem, dir: AgentDirectory, s: Style): string {
  const names = item.receiver_thread_ids.map((id) => s.bold(agentName(dir, id))).join(', ');
  switch (item.tool) {
    case 'wait':
      return `${bullet(s)} Waiting on ${names || 'agents'}…`;
    case 'spawn_agent':
      return `${bullet(s)} Spawning an agent…`;
    case 'send_input':
      return `${bullet(s)} Sending input to ${names}…`;
    case 'close_agent':
      return `${bullet(s)} Closing ${names}…`;
    case 'resume_agent':
      return `${bullet(s)} Reopening ${names}…`;
  }
}

const short = (n: number): string => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString('en-US'));

/** `1,234 tokens · ~$0.0012` (the cost only when the catalog has the model's prices). */
export function usageWords(u: Usage, cost: number | null, compact = false): string {
  const t = tokensUsed(u);
  return `${compact ? short(t) : t.toLocaleString('en-US')} tokens${cost === null ? '' : ` · ~${formatCost(cost)}`}`;
}

/** Rows of the children list the screen shows at most (the rest are counted). */
export const PANEL_ROWS = 4;

/**
 * The session's open children above the footer, one line each: name, role and model, status, what it is
 * doing now, and what it has used. Empty when none is open.
 */
export function agentsPanel(agents: readonly SubagentInfo[], s: Style, columns: number, o: { parentRunning: boolean }): string {
  const open = agents.filter(isOpen);
  if (open.length === 0) return '';
  const running = open.filter(isRunning).length;
  const keys = [running > 0 && !o.parentRunning ? 'esc to interrupt' : '', 'ctrl+t to view'].filter((k) => k !== '');
  const head = s.dim(`agents · ${running} running of ${open.length} · ${keys.join(' · ')}`);
  const rows = open.slice(0, PANEL_ROWS).map((a) => {
    const dot = isRunning(a) ? s.cyan('●') : typeof a.status !== 'string' && 'errored' in a.status ? s.red('●') : s.dim('○');
    const doing = activityText(a) === '' ? '' : ` · ${activityText(a)}`;
    const line = `${'  '.repeat(a.depth)}${dot} ${s.bold(escapeLine(a.nickname))} ${s.dim(agentDetail(a))} ${statusWord(a.status)}${doing} ${s.dim(`· ${usageWords(a.usage, a.cost_usd, true)}`)}`;
    return truncate(line, Math.max(10, columns - 1));
  });
  if (open.length > PANEL_ROWS) rows.push(s.dim(`  … ${open.length - PANEL_ROWS} more (/agents)`));
  return [head, ...rows].join('\n');
}

/** What every child used, added up; the cost null when any child's model has no prices. */
export function agentsTotal(agents: readonly SubagentInfo[]): { usage: Usage; cost: number | null } {
  let usage: Usage = ZERO_USAGE;
  let cost: number | null = 0;
  for (const a of agents) {
    usage = addUsage(usage, a.usage);
    cost = cost === null || a.cost_usd === null ? null : cost + a.cost_usd;
  }
  return { usage, cost };
}

/** `/status`'s subagent rows: each child (status, model, tokens, cost) and the total with the session's own. */
export function agentsStatusRows(agents: readonly SubagentInfo[], own: { usage: Usage; cost: number | null }): Array<[string, string]> {
  if (agents.length === 0) return [];
  const rows: Array<[string, string]> = agents.map((a) => [
    `agent ${escapeLine(a.nickname)}`,
    `${statusWord(a.status)} · ${agentDetail(a).slice(1, -1)} · ${usageWords(a.usage, a.cost_usd)}`,
  ]);
  const t = agentsTotal(agents);
  rows.push(['subagents total', usageWords(t.usage, t.cost)]);
  rows.push(['total', usageWords(addUsage(own.usage, t.usage), own.cost === null || t.cost === null ? null : own.cost + t.cost)]);
  return rows;
}

/** The exit summary's subagent lines: each child's tokens and cost, then the total with the session's own; none without children. */
export function agentsExitLines(agents: readonly SubagentInfo[], own: { usage: Usage; cost: number | null }): string[] {
  if (agents.length === 0) return [];
  const each = agents.map((a) => `${escapeLine(a.nickname)} ${agentDetail(a)} ${usageWords(a.usage, a.cost_usd)}`);
  const t = agentsTotal(agents);
  const all = usageWords(addUsage(own.usage, t.usage), own.cost === null || t.cost === null ? null : own.cost + t.cost);
  return [`Subagents: ${each.join('; ')}`, `Total with subagents: ${all}`];
}
