/**
 * `/review` and `opencodex review` without a target: what to review, picked as in Codex — the uncommitted
 * changes, the changes against a base branch (the local branches listed), a commit (the recent ones listed),
 * or custom instructions (typed after `/review`). `/review` also takes the target as words:
 * `/review uncommitted`, `/review base BRANCH`, `/review commit SHA`; any other text is instructions.
 */
import { execFile } from 'node:child_process';
import type { ReviewTarget } from '../agent/index.js';
import { UserError } from '../shared/index.js';
import type { UiController } from './controller.js';
import type { PickerItem } from './model-picker.js';
import { startReview } from './review-run.js';

/** How many recent commits the commit picker lists. */
export const RECENT_COMMITS = 30;

/** The target `/review ARGS` names, or null for none (the picker opens). */
export function reviewArgs(args: string): ReviewTarget | null {
  const text = args.trim();
  if (text === '') return null;
  const words = text.split(/\s+/);
  const [first = '', second] = words;
  const word = first.toLowerCase().replace(/^--/, '');
  if (words.length === 1 && word === 'uncommitted') return { type: 'uncommittedChanges' };
  if (words.length === 2 && second !== undefined && word === 'base') return { type: 'baseBranch', branch: second };
  if (words.length === 2 && second !== undefined && word === 'commit') return { type: 'commit', sha: second };
  return { type: 'custom', instructions: text };
}

function git(args: readonly string[], cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.quotepath=off', ...args], { cwd, maxBuffer: 8 << 20, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat' } }, (err, stdout) =>
      resolve(err ? null : stdout),
    );
  });
}

/** The local branches, the current one first marked. */
export async function branchItems(cwd: string): Promise<PickerItem<string>[]> {
  const out = await git(['branch', '--format=%(HEAD)%00%(refname:short)%00%(committerdate:relative)'], cwd);
  if (out === null) return [];
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\0'))
    .map(([head = '', name = '', when = '']) => ({ label: name, detail: `${when}${head === '*' ? ' (current)' : ''}`, value: name }));
}

/** The most recent commits of HEAD. */
export async function commitItems(cwd: string, limit = RECENT_COMMITS): Promise<PickerItem<{ sha: string; subject: string }>[]> {
  const out = await git(['log', `-n${limit}`, '--format=%H%x00%h%x00%s%x00%cr'], cwd);
  if (out === null) return [];
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\0'))
    .map(([sha = '', short = '', subject = '', when = '']) => ({ columns: [short], label: subject, detail: when, value: { sha, subject } }));
}

type Choice = 'uncommitted' | 'base' | 'commit' | 'custom';

/** `opencodex review`: the review the session opens with (a problem with it is shown, and the session stays). */
export async function openingReview(c: UiController, target: ReviewTarget | 'pick'): Promise<void> {
  try {
    const chosen = target === 'pick' ? await pickReviewTarget(c) : target;
    if (chosen) await startReview(c, chosen);
  } catch (err) {
    const hint = err instanceof UserError && err.hint ? ` — ${err.hint}` : '';
    c.error(err instanceof Error ? `${err.message}${hint}` : String(err));
  }
}

/** `/review [ARGS]`: the named target, else the picker. */
export async function reviewCommand(c: UiController, args: string): Promise<void> {
  const target = reviewArgs(args) ?? (await pickReviewTarget(c));
  if (target) await startReview(c, target);
}

/** The review picker; null when the user cancelled (or chose to type instructions). */
export async function pickReviewTarget(c: UiController): Promise<ReviewTarget | null> {
  const cwd = c.settings.cwd;
  const choice = await c.pick<Choice>('Select a review preset', [
    { label: 'Review uncommitted changes', detail: 'staged, unstaged and untracked files', value: 'uncommitted' },
    { label: 'Review against a base branch', detail: 'the changes since the merge base (PR style)', value: 'base' },
    { label: 'Review a commit', value: 'commit' },
    { label: 'Custom review instructions', value: 'custom' },
  ]);
  switch (choice) {
    case null:
      return null;
    case 'uncommitted':
      return { type: 'uncommittedChanges' };
    case 'base': {
      const branches = await branchItems(cwd);
      if (branches.length === 0) {
        c.notice('no local branches to review against (is this a git repository with commits?)');
        return null;
      }
      const current = branches.findIndex((b) => !b.detail?.endsWith('(current)'));
      const branch = await c.pick('Select a base branch', branches, Math.max(0, current));
      return branch === null ? null : { type: 'baseBranch', branch };
    }
    case 'commit': {
      const commits = await commitItems(cwd);
      if (commits.length === 0) {
        c.notice('no commits to review (is this a git repository with commits?)');
        return null;
      }
      const commit = await c.pick('Select a commit to review', commits);
      return commit === null ? null : { type: 'commit', sha: commit.sha, title: commit.subject };
    }
    case 'custom': {
      const text = '/review ';
      c.setEditor({ ...c.editor, text, cursor: text.length });
      c.notice('type the review instructions after /review and press Enter');
      return null;
    }
  }
}
