/**
 * What the review tests share (exec review, the UI's /review, the app server's review/start): a git
 * repository whose one commit counts pages right, the change that breaks it, and the review JSON the
 * scripted model answers with.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json } from './e2e.js';
import { quietHome } from './e2e.js';

/** The environment git runs in here and in the CLI under test: no user or system configuration. */
export const gitEnv = { HOME: quietHome, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...gitEnv } });
}

export const GOOD = 'export function pages(n: number, size: number): number {\n  return Math.ceil(n / size);\n}\n';
export const BUG = 'export function pages(n: number, size: number): number {\n  return Math.floor(n / size);\n}\n';

/** A repository with one commit on main (`pages.ts`, right), and what `extra` adds on top, uncommitted. */
export function reviewRepo(extra: Record<string, string> = {}, prefix = 'ocx-review-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  git(dir, 'init', '-q');
  writeFileSync(join(dir, 'pages.ts'), GOOD);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'Count pages');
  for (const [rel, text] of Object.entries(extra)) writeFileSync(join(dir, rel), text);
  return dir;
}

const FINDINGS = {
  p1: (cwd: string): Json => ({
    title: '[P1] Last partial page is dropped',
    body: '`Math.floor` loses the remainder: 11 items at 10 a page give 1 page.',
    confidence_score: 0.9,
    priority: 1,
    code_location: { absolute_file_path: join(cwd, 'pages.ts'), line_range: { start: 2, end: 2 } },
  }),
  p3: (cwd: string): Json => ({
    title: '[P3] Name the helper',
    body: 'A name would say what the division is for.',
    confidence_score: 0.4,
    priority: 3,
    code_location: { absolute_file_path: join(cwd, 'notes.md'), line_range: { start: 1, end: 3 } },
  }),
};

/** The review the scripted model answers with: these findings, in this order, and the verdict. */
export function reviewAnswer(cwd: string, findings: ReadonlyArray<keyof typeof FINDINGS> = ['p1', 'p3']): Json {
  return {
    findings: findings.map((f) => FINDINGS[f](cwd)),
    overall_correctness: 'patch is incorrect',
    overall_explanation: 'The page count is one short whenever the items do not fill the last page.',
    overall_confidence_score: 0.8,
  };
}
