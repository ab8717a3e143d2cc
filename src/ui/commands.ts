/** The slash commands: /model, /approvals, /review, /status, /diff, /compact, /agents, /new, /resume, /rename, /quit. */
import { execFile } from 'node:child_process';
import { chooseAgent } from './agents-commands.js';
import { agentsStatusRows } from './agents-format.js';
import { lookupModel, type ReasoningEffort } from '../catalog/index.js';
import { APPROVAL_POLICIES, configuredModels, modelSaveTarget, resolveProvider, saveConfigKeys, type ApprovalPolicyName, type Config } from '../config/index.js';
import { basePolicy } from '../sandbox/index.js';
import { UserError } from '../shared/index.js';
import { forkSession, listSessions, prepareResume, resumeFork, secretValues, type PreparedResume, type SessionSummary } from '../sessions/index.js';
import type { UiController } from './controller.js';
import { formatDiff } from './format.js';
import { effortItems, modelItems, type ModelChoice, type PickerItem } from './model-picker.js';
import { replayTail } from './replay.js';
import { addServedModels } from './served-picker.js';
import { renameThread } from './rename.js';
import { reviewCommand } from './review-command.js';
import { uniquePrefixes } from './short-id.js';
import { SLASH_COMMANDS } from './slash.js';
import { estimatedCost, statusText } from './status.js';

export { matchingCommands, SLASH_COMMANDS, type SlashCommand } from './slash.js';

export async function runSlashCommand(c: UiController, line: string): Promise<void> {
  const name = line.slice(1).split(/\s+/)[0]?.toLowerCase() ?? '';
  const busy = (): boolean => {
    if (!c.running) return false;
    c.notice(`/${name} is not available while a turn is running; press Esc to interrupt it first`);
    return true;
  };
  try {
    switch (name) {
      case 'model':
        if (!busy()) await chooseModel(c);
        break;
      case 'approvals':
        if (!busy()) await chooseApprovals(c);
        break;
      case 'review':
        if (!busy()) await reviewCommand(c, line.trim().slice(1 + name.length));
        break;
      case 'status': {
        const info = c.statusInfo();
        const agents = agentsStatusRows(c.agent.subagents?.list() ?? [], { usage: info.usage, cost: estimatedCost(info.model, info.usage) });
        c.print(statusText({ ...info, cwd: c.settings.cwd, sandboxDetail: c.sandboxDetail(), agentsFiles: c.agentsFiles(), agents }, c.style));
        break;
      }
      case 'agents':
        await chooseAgent(c);
        break;
      case 'diff':
        c.print(await workspaceDiff(c));
        break;
      case 'compact':
        // Not awaited: the compaction runs like a turn (Esc interrupts it, prompts typed meanwhile queue).
        if (!busy()) void c.compact();
        break;
      case 'new':
        if (!busy()) c.newSession();
        break;
      case 'resume':
        if (!busy()) await chooseSession(c, false);
        break;
      case 'rename':
        renameThread(c, line.trim().slice(1 + name.length));
        break;
      case 'quit':
      case 'exit':
        c.exit();
        return;
      default:
        c.error(`unknown command ${line.split(/\s+/)[0]}; commands: ${SLASH_COMMANDS.map((x) => `/${x.name}`).join(' ')}`);
    }
  } catch (err) {
    const hint = err instanceof UserError && err.hint ? ` — ${err.hint}` : '';
    c.error(err instanceof Error ? `${err.message}${hint}` : String(err));
  }
}

async function chooseModel(c: UiController): Promise<void> {
  const current = c.session.model.requested;
  const items = modelItems(c.settings.catalog, configuredModels(c.settings.loaded), c.settings.provider.id);
  const at = items.findIndex((i) => i.value.slug === current && i.value.provider === undefined);
  const picking = c.pick<ModelChoice>('Select a model', items, at === -1 ? 0 : at);
  const stopServed = addServedModels(c, items);
  const choice = await picking;
  stopServed();
  if (!choice) return;
  const model = lookupModel(c.settings.catalog, choice.slug, c.config);
  let effort: ReasoningEffort | undefined;
  const efforts = effortItems(model, choice.slug === current ? c.config.model_reasoning_effort : undefined);
  if (efforts.length > 0) {
    const want = choice.slug === current ? c.effort() : (model.facts.defaultReasoningEffort ?? 'medium');
    const picked = await c.pick<ReasoningEffort>(`Reasoning effort for ${choice.slug}`, efforts, Math.max(0, efforts.findIndex((e) => e.value === want)));
    if (!picked) return;
    effort = picked;
  } else if (model.facts.reasoningEfforts === null) {
    // The catalog does not say which efforts the model takes: the configured one stays and is sent as set.
    effort = c.config.model_reasoning_effort;
  }
  const provider = choice.provider ? resolveProvider(c.settings.loaded, process.env, choice.provider) : c.settings.provider;
  const config: Config = { ...c.config, model: choice.slug, model_provider: provider.id };
  if (effort) config.model_reasoning_effort = effort;
  else delete config.model_reasoning_effort;
  c.rebind({ model, provider, config });

  const target = modelSaveTarget(c.settings.loaded);
  const values: Record<string, string> = { model: choice.slug };
  if (effort) values.model_reasoning_effort = effort;
  if (choice.provider) values.model_provider = choice.provider;
  const what = `${choice.slug}${effort ? ` ${effort}` : ''}${target.profile ? ` for ${target.profile} profile` : ''}`;
  try {
    saveConfigKeys(target.path, target.table, values);
    c.notice(`Model changed to ${what} (saved to ${target.path})`);
  } catch (err) {
    c.notice(`Model changed to ${what} for this session`);
    c.error(err instanceof Error ? err.message : String(err));
  }
}

const POLICY_NOTES: Record<ApprovalPolicyName, string> = {
  untrusted: 'ask before any command that is not known to be read-only',
  'on-failure': 'run in the sandbox; ask to rerun without it when a command fails (deprecated)',
  'on-request': 'run in the sandbox; the model asks when it needs more',
  never: 'never ask; failures go back to the model',
};

async function chooseApprovals(c: UiController): Promise<void> {
  const current = basePolicy(c.approvals.policy);
  const items: PickerItem<ApprovalPolicyName>[] = APPROVAL_POLICIES.map((p) => ({ label: p, detail: POLICY_NOTES[p] + (p === current ? ' (current)' : ''), value: p }));
  const picked = await c.pick('Approval policy for this session', items, APPROVAL_POLICIES.indexOf(current));
  if (!picked) return;
  c.setApprovalPolicy(picked);
  c.notice(`Approval policy set to ${picked} for this session`);
}

function git(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_PAGER: 'cat' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 127) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `/diff`: tracked changes against HEAD plus untracked files, coloured. */
export async function workspaceDiff(c: UiController): Promise<string> {
  const cwd = c.settings.cwd;
  const s = c.style;
  const inside = await git(['rev-parse', '--is-inside-work-tree'], cwd);
  if (inside.code !== 0) return `${s.bold('/diff')}\n${s.dim('not inside a git repository')}`;
  const hasHead = (await git(['rev-parse', '--verify', '-q', 'HEAD'], cwd)).code === 0;
  const tracked = await git(hasHead ? ['diff', '--no-ext-diff', '--no-color', 'HEAD'] : ['diff', '--no-ext-diff', '--no-color', '--cached'], cwd);
  const parts = [tracked.stdout];
  const untracked = (await git(['ls-files', '--others', '--exclude-standard', '-z'], cwd)).stdout.split('\0').filter((f) => f !== '');
  for (const f of untracked.slice(0, 200)) parts.push((await git(['diff', '--no-ext-diff', '--no-color', '--no-index', '--', '/dev/null', f], cwd)).stdout);
  const diff = parts.join('').trimEnd();
  if (diff === '') return `${s.bold('/diff')}\n${s.dim('no changes')}`;
  return `${s.bold('/diff')}\n${formatDiff(diff, s)}`;
}

function ago(iso: string, now: number): string {
  const ms = now - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return iso;
  const min = Math.round(ms / 60_000);
  return min < 1 ? 'just now' : min < 60 ? `${min}m ago` : min < 48 * 60 ? `${Math.round(min / 60)}h ago` : `${Math.round(min / 1440)}d ago`;
}

/**
 * `/resume`, and `opencodex resume` or `opencodex fork` without an id: pick a recent session (this
 * directory unless `all`), then continue it or a fork of it.
 */
export async function chooseSession(c: UiController, all: boolean, mode: 'resume' | 'fork' = 'resume'): Promise<void> {
  const home = c.settings.loaded.home;
  const sessions = listSessions(home, { cwd: c.settings.cwd, all, limit: 30 }).filter((x) => x.id !== c.session.threadId);
  if (sessions.length === 0) {
    c.notice(all ? 'no earlier sessions' : 'no earlier sessions in this directory (run `opencodex resume --all` for every directory)');
    return;
  }
  const now = Date.now();
  // Ids as short as they can be while no two listed sessions share one (as git does; at least 8 characters).
  const ids = uniquePrefixes(sessions.map((x) => x.id), 8);
  const items: PickerItem<SessionSummary>[] = sessions.map((x, i) => ({
    columns: [ids[i] ?? x.id, ago(x.updated_at, now), x.model ?? '?'],
    label: `${x.name ? `${x.name} · ` : ''}${(x.first_prompt ?? '(no prompt)').replace(/\s+/g, ' ')}`,
    ...(all ? { detail: x.cwd } : {}),
    value: x,
  }));
  const picked = await c.pick(mode === 'fork' ? 'Fork a session' : 'Resume a session', items);
  if (!picked) return;
  if (mode === 'fork') forkInto(c, picked.path);
  else resumeSession(c, picked.path);
}

/** How many entries of a resumed thread are shown (the model still gets all of it). */
export const RESUME_SHOWN_ENTRIES = 200;

export function resumeSession(c: UiController, path: string): void {
  const s = c.settings;
  show(c, prepareResume({ path, loaded: s.loaded, catalog: s.catalog, model: s.model, provider: s.provider }));
}

/** `opencodex fork`: copies the thread at `path` into a new thread (a new rollout) and continues that. */
export function forkInto(c: UiController, path: string): void {
  const s = c.settings;
  const prepared = prepareResume({ path, loaded: s.loaded, catalog: s.catalog, model: s.model, provider: s.provider });
  const fork = forkSession(s.loaded.home, path, { secrets: secretValues(prepared.provider, process.env, c.rolloutToken), cwd: s.cwd });
  show(c, resumeFork(prepared, fork), `forked session ${prepared.rollout.meta.id} into a new session ${fork.meta.id}`);
}

function show(c: UiController, prepared: PreparedResume, notice?: string): void {
  // The whole thread as it was shown (a compaction does not hide what came before it), not the history sent.
  const { entries, hidden } = replayTail(prepared.rollout.shown, c.style, RESUME_SHOWN_ENTRIES);
  const earlier = hidden > 0 ? [c.style.dim(`… ${hidden.toLocaleString('en-US')} earlier ${hidden === 1 ? 'entry' : 'entries'} not shown`)] : [];
  c.resumeFrom(prepared, [...earlier, ...entries], notice);
}
