/**
 * From a review target to the request the model gets: git says what changed (files and line counts), and a
 * small diff is included whole, so a short review costs no extra round trip. A large one never is: the request
 * lists the files (at most MAX_LISTED_FILES) and the command that shows them, and the model reads what it
 * needs with its tools, so a repository of any size fits in a request.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../shared/index.js';
import type { ReviewTarget } from './types.js';

/** A diff up to this many bytes goes into the request whole (about 6,000 tokens). */
export const INLINE_DIFF_BYTES = 24_000;
/** Files listed in the request, at most. */
export const MAX_LISTED_FILES = 200;
/** The tree of an empty commit: what a repository without commits is compared with. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface ChangedFile {
  path: string;
  /** Lines added and removed; null for a binary file. */
  added: number | null;
  deleted: number | null;
  untracked?: boolean;
}

export interface ReviewRequest {
  target: ReviewTarget;
  /** What is reviewed, for people: "current changes", "changes against main", "commit 1a2b3c4: Fix it". */
  hint: string;
  /** The user message the model gets. */
  prompt: string;
  /** The files the change touches (none for custom instructions). */
  files: ChangedFile[];
  /** Whether the whole diff is in the prompt. */
  diffIncluded: boolean;
}

export interface PrepareOptions {
  /** Largest diff put into the request whole (default INLINE_DIFF_BYTES; 0: never). */
  inlineBytes?: number;
  env?: NodeJS.ProcessEnv;
}

class Git {
  constructor(
    readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** stdout of `git args`, or null when git exits non-zero; `maxBytes` caps the output (null beyond it). */
  run(args: readonly string[], maxBytes = 64 << 20): string | null {
    const r = spawnSync('git', ['-c', 'core.quotepath=off', ...args], {
      cwd: this.cwd,
      encoding: 'utf8',
      maxBuffer: maxBytes,
      // Reading only: no index refresh written behind the user's back, no pager, no prompt.
      env: { ...this.env, GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.error) {
      if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new UserError('git was not found on PATH, and the review needs it to see the changes', { hint: 'install git, or give review instructions instead of --uncommitted/--base/--commit' });
      }
      return null;
    }
    return r.status === 0 ? r.stdout : null;
  }

  /** `git rev-parse --verify` of `rev` as a commit, or null. */
  commit(rev: string): string | null {
    return this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])?.trim() || null;
  }
}

/** `git diff --numstat -z` output: `A\tD\tpath\0`, or `A\tD\t\0old\0new\0` for a rename. */
export function parseNumstat(text: string): ChangedFile[] {
  const parts = text.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; i++) {
    const head = parts[i] as string;
    if (head === '') continue;
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(head);
    if (!m) continue;
    let path = m[3] as string;
    if (path === '') {
      // A rename: the old path, then the new one.
      path = `${parts[i + 1] ?? ''} → ${parts[i + 2] ?? ''}`;
      i += 2;
    }
    files.push({ path, added: m[1] === '-' ? null : Number(m[1]), deleted: m[2] === '-' ? null : Number(m[2]) });
  }
  return files;
}

/** A diff of an untracked file against nothing, as `git diff` shows a new file; null for a binary one. */
function newFileDiff(root: string, path: string, maxBytes: number): string | null {
  let data: Buffer;
  try {
    data = readFileSync(join(root, path));
  } catch {
    return null;
  }
  if (data.length > maxBytes || data.includes(0)) return null;
  const text = data.toString('utf8');
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const tail = text !== '' && !text.endsWith('\n') ? '\n\\ No newline at end of file' : '';
  return `diff --git a/${path} b/${path}\nnew file (untracked)\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}${tail}\n`;
}

function fileList(files: readonly ChangedFile[]): string {
  const shown = files.slice(0, MAX_LISTED_FILES).map((f) => {
    const counts = f.added === null || f.deleted === null ? 'binary' : `+${f.added} -${f.deleted}`;
    return `  ${counts.padEnd(12)} ${f.path}${f.untracked ? ' (untracked)' : ''}`;
  });
  if (files.length > MAX_LISTED_FILES) shown.push(`  … and ${files.length - MAX_LISTED_FILES} more files`);
  return shown.join('\n');
}

/** The changes part of a request: the file list, then the diff itself or how to read it. */
function changesSection(files: readonly ChangedFile[], diff: string | null, howToRead: string): string {
  const lines = files.reduce((n, f) => n + (f.added ?? 0) + (f.deleted ?? 0), 0);
  const head = `Changed files (${files.length}; lines added and removed):\n${fileList(files)}`;
  if (diff !== null) return `${head}\n\nThe whole diff is below; read the files themselves for the code around it.\n<diff>\n${diff.replace(/\n?$/, '\n')}</diff>`;
  return `${head}\n\nThe diff (${lines} changed lines) is too large to include here. ${howToRead} Read it file by file, and the surrounding code where you need it.`;
}

const ASK = 'Give prioritized, actionable findings.';

function repoRoot(git: Git, what: string): string {
  const root = git.run(['rev-parse', '--show-toplevel'])?.trim();
  if (!root) throw new UserError(`${git.cwd} is not inside a git repository, so there are no ${what} to review`, { hint: 'run the review in a repository, or give review instructions instead' });
  return root;
}

/** The diff of `args` when it is at most `limit` bytes, else null. */
function smallDiff(git: Git, args: readonly string[], files: readonly ChangedFile[], limit: number): string | null {
  if (limit <= 0) return null;
  // Line counts first: a diff is bigger than its changed lines, so most large ones are never read.
  const changed = files.reduce((n, f) => n + (f.added ?? 0) + (f.deleted ?? 0), 0);
  if (changed > limit / 8) return null;
  const diff = git.run(args, limit * 4);
  return diff !== null && Buffer.byteLength(diff) <= limit ? diff : null;
}

function uncommitted(git: Git, limit: number): Omit<ReviewRequest, 'target'> {
  const root = repoRoot(git, 'uncommitted changes');
  const base = git.commit('HEAD') === null ? EMPTY_TREE : 'HEAD';
  const tracked = parseNumstat(git.run(['diff', '--numstat', '-z', base]) ?? '');
  const untracked = (git.run(['ls-files', '--others', '--exclude-standard', '-z', '--full-name', ':/']) ?? '').split('\0').filter((p) => p !== '');
  const files: ChangedFile[] = [...tracked];
  for (const path of untracked) {
    let lines: number | null = null;
    try {
      const data = readFileSync(join(root, path));
      lines = data.includes(0) ? null : data.toString('utf8').split('\n').length - (data.at(-1) === 0x0a ? 1 : 0);
    } catch {
      lines = null;
    }
    files.push({ path, added: lines, deleted: lines === null ? null : 0, untracked: true });
  }
  if (files.length === 0) {
    throw new UserError(`there are no uncommitted changes in ${root} to review`, { hint: 'review a branch with --base BRANCH or a commit with --commit SHA' });
  }
  let diff = smallDiff(git, ['diff', base], tracked, limit);
  if (diff !== null) {
    for (const path of untracked) {
      const added = newFileDiff(root, path, limit);
      diff = added === null || diff === null ? null : diff + added;
      if (diff !== null && Buffer.byteLength(diff) > limit) diff = null;
      if (diff === null) break;
    }
  }
  const cmd = base === 'HEAD' ? '`git diff HEAD`' : `\`git diff ${EMPTY_TREE}\` (the empty tree: the repository has no commit yet)`;
  const prompt = `Review the uncommitted changes in ${root}: what is staged, what is not, and the untracked files. ${ASK}\n\n${changesSection(files, diff, `${cmd} shows the tracked files; \`git status --short\` lists the untracked ones, which you read directly.`)}`;
  return { hint: 'current changes', prompt, files, diffIncluded: diff !== null };
}

function againstBase(git: Git, branch: string, limit: number): Omit<ReviewRequest, 'target'> {
  const root = repoRoot(git, `changes against ${branch}`);
  if (git.commit(branch) === null) throw new UserError(`there is no branch or commit named ${branch} in ${root}`, { hint: 'list the branches with `git branch -a`' });
  const mergeBase = git.run(['merge-base', 'HEAD', '--end-of-options', branch])?.trim();
  if (!mergeBase) throw new UserError(`HEAD and ${branch} have no commit in common, so there is no merge base to review against`, { hint: 'review a commit with --commit SHA, or give review instructions instead' });
  const files = parseNumstat(git.run(['diff', '--numstat', '-z', mergeBase]) ?? '');
  if (files.length === 0) throw new UserError(`there are no changes against ${branch} to review (the working tree matches its merge base ${mergeBase.slice(0, 12)})`);
  const diff = smallDiff(git, ['diff', mergeBase], files, limit);
  const prompt =
    `Review the changes of the current branch against the base branch ${branch}: everything since their merge base ${mergeBase}, as \`git diff ${mergeBase}\` shows it (uncommitted changes included). ${ASK}\n\n` +
    changesSection(files, diff, `\`git diff ${mergeBase} -- <path>\` shows one file.`);
  return { hint: `changes against ${branch}`, prompt, files, diffIncluded: diff !== null };
}

function commit(git: Git, rev: string, title: string | undefined, limit: number): Omit<ReviewRequest, 'target'> {
  const root = repoRoot(git, `commit ${rev}`);
  const sha = git.commit(rev);
  if (sha === null) throw new UserError(`there is no commit ${rev} in ${root}`, { hint: 'see `git log --oneline` for the commits' });
  const subject = title ?? git.run(['log', '-1', '--format=%s', sha])?.trim() ?? '';
  const files = parseNumstat(git.run(['show', '--numstat', '-z', '--format=', sha]) ?? '');
  const diff = smallDiff(git, ['show', '--format=', '--patch', sha], files, limit);
  const named = subject === '' ? sha : `${sha} (${JSON.stringify(subject)})`;
  const prompt = `Review the changes introduced by commit ${named}, as \`git show ${sha}\` shows them. ${ASK}\n\n${changesSection(files, diff, `\`git show ${sha} -- <path>\` shows one file.`)}`;
  return { hint: `commit ${sha.slice(0, 7)}${subject === '' ? '' : `: ${subject}`}`, prompt, files, diffIncluded: diff !== null };
}

/**
 * The request for `target` in the repository at `cwd`. Throws a UserError when there is nothing to review
 * (no changes, no repository, an unknown branch or commit).
 */
export function prepareReview(cwd: string, target: ReviewTarget, o: PrepareOptions = {}): ReviewRequest {
  const limit = o.inlineBytes ?? INLINE_DIFF_BYTES;
  const git = new Git(cwd, o.env ?? process.env);
  switch (target.type) {
    case 'uncommittedChanges':
      return { target, ...uncommitted(git, limit) };
    case 'baseBranch':
      return { target, ...againstBase(git, target.branch, limit) };
    case 'commit':
      return { target, ...commit(git, target.sha, target.title, limit) };
    case 'custom': {
      const text = target.instructions.trim();
      if (text === '') throw new UserError('the review instructions are empty', { hint: 'say what to review, or use --uncommitted, --base BRANCH or --commit SHA' });
      const first = text.split('\n')[0] as string;
      return { target, hint: first.length > 80 ? `${first.slice(0, 79)}…` : first, prompt: text, files: [], diffIncluded: false };
    }
  }
}
