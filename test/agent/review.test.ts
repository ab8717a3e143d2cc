/** The review core: reading the model's answer leniently, printing it, and building requests from git. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReview, parseReviewOutput, prepareReview } from '../../src/agent/index.js';
import { parseNumstat } from '../../src/agent/review/target.js';
import { dirOutsideGit } from '../support/e2e.js';

const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', env: gitEnv });

function repo(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-review-unit-')));
  git(dir, 'init', '-q');
  return dir;
}

describe('parseReviewOutput', () => {
  const cwd = '/work/app';

  it('reads the JSON alone, fenced, or inside prose', () => {
    const json = '{"findings":[{"title":"[P2] x","body":"b","priority":2,"confidence_score":0.5,"code_location":{"absolute_file_path":"/work/app/a.ts","line_range":{"start":3,"end":4}}}],"overall_correctness":"patch is incorrect","overall_explanation":"e","overall_confidence_score":0.6}';
    const expected = {
      findings: [{ title: 'x', body: 'b', priority: 2, confidence_score: 0.5, code_location: { absolute_file_path: '/work/app/a.ts', line_range: { start: 3, end: 4 } } }],
      overall_correctness: 'patch is incorrect',
      overall_explanation: 'e',
      overall_confidence_score: 0.6,
    };
    expect(parseReviewOutput(json, cwd)).toEqual(expected);
    expect(parseReviewOutput(`Sure.\n\`\`\`json\n${json}\n\`\`\`\nDone.`, cwd)).toEqual(expected);
    expect(parseReviewOutput(`My review: ${json} — that is all ("{" in prose is fine).`, cwd)).toEqual(expected);
  });

  it('takes fields of a slightly different shape', () => {
    const r = parseReviewOutput(
      JSON.stringify({
        findings: [
          { title: '[P0] Crash on empty input', description: 'd', severity: 'P0', confidence: 85, location: { path: 'src/a.ts', line: '7' } },
          { summary: 'Typo', details: 'x', priority: 'nit', file: 'b.md', start_line: 2, end_line: 1 },
          { title: 'No priority', body: 'y', priority: 9 },
          'not a finding',
          { priority: 1 },
        ],
        overall_correctness: true,
      }),
      cwd,
    );
    expect(r).toEqual({
      findings: [
        { title: 'Crash on empty input', body: 'd', priority: 0, confidence_score: 0.85, code_location: { absolute_file_path: '/work/app/src/a.ts', line_range: { start: 7, end: 7 } } },
        { title: 'Typo', body: 'x', priority: 3, confidence_score: null, code_location: { absolute_file_path: '/work/app/b.md', line_range: { start: 2, end: 2 } } },
        { title: 'No priority', body: 'y', priority: null, confidence_score: null, code_location: null },
      ],
      overall_correctness: 'patch is correct',
      overall_explanation: null,
      overall_confidence_score: null,
    });
  });

  it('leaves prose and JSON that is not a review alone', () => {
    expect(parseReviewOutput('The change looks good; no issues found.', cwd)).toBeNull();
    expect(parseReviewOutput('Config: {"a": 1} and {"b": [1, 2]}', cwd)).toBeNull();
    expect(parseReviewOutput('{"findings": [', cwd)).toBeNull();
  });
});

describe('formatReview', () => {
  it('groups by priority, P0 first and the unprioritized last, with path:line', () => {
    const text = formatReview(
      {
        findings: [
          { title: 'later', body: 'l', priority: null, confidence_score: null, code_location: { absolute_file_path: '/elsewhere/x.ts', line_range: null } },
          { title: 'low', body: 'two\nlines', priority: 3, confidence_score: null, code_location: null },
          { title: 'blocker', body: 'b', priority: 0, confidence_score: 1, code_location: { absolute_file_path: '/work/app/src/a.ts', line_range: { start: 5, end: 9 } } },
        ],
        overall_correctness: null,
        overall_explanation: null,
        overall_confidence_score: null,
      },
      '/work/app',
    );
    expect(text).toBe(
      ['Verdict: no verdict', '', '3 findings:', '', 'P0 · blocking', '- src/a.ts:5-9 — blocker (confidence 1)', '  b', '', 'P3 · low', '- low', '  two', '  lines', '', 'unprioritized', '- /elsewhere/x.ts — later', '  l'].join('\n'),
    );
  });
});

describe('prepareReview', () => {
  it('uncommitted changes of a repository without commits: staged and untracked, diffed against the empty tree', () => {
    const dir = repo();
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    git(dir, 'add', 'a.txt');
    writeFileSync(join(dir, 'b.bin'), Buffer.from([0, 1, 2]));
    const r = prepareReview(dir, { type: 'uncommittedChanges' });
    expect(r.files).toEqual([
      { path: 'a.txt', added: 1, deleted: 0 },
      { path: 'b.bin', added: null, deleted: null, untracked: true },
    ]);
    expect(r.diffIncluded).toBe(false); // a binary untracked file cannot be shown as a diff
    expect(r.prompt).toContain('(the empty tree: the repository has no commit yet)');
  });

  it('inlines a small diff and lists a large one (inlineBytes); a rename counts as one file', () => {
    const dir = repo();
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'one');
    writeFileSync(join(dir, 'a.txt'), 'two\n');
    git(dir, 'mv', 'a.txt', 'c.txt');
    const small = prepareReview(dir, { type: 'uncommittedChanges' });
    expect(small.diffIncluded).toBe(true);
    expect(small.prompt).toContain('<diff>\ndiff --git');
    const large = prepareReview(dir, { type: 'uncommittedChanges' }, { inlineBytes: 0 });
    expect(large.diffIncluded).toBe(false);
    expect(large.prompt).not.toContain('<diff>');
    expect(large.prompt).toContain('`git diff HEAD` shows the tracked files');
  });

  it('a commit with a title, a custom review, and one clear error for each thing that cannot be reviewed', () => {
    const dir = repo();
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'First');
    const sha = git(dir, 'rev-parse', 'HEAD').trim();
    const c = prepareReview(dir, { type: 'commit', sha: 'HEAD', title: 'The first one' });
    expect(c.hint).toBe(`commit ${sha.slice(0, 7)}: The first one`);
    expect(c.prompt).toMatch(new RegExp(`^Review the changes introduced by commit ${sha} \\("The first one"\\)`));
    expect(prepareReview(dir, { type: 'custom', instructions: '  Look at a.txt\nclosely ' })).toMatchObject({ hint: 'Look at a.txt', prompt: 'Look at a.txt\nclosely', files: [] });
    expect(() => prepareReview(dir, { type: 'custom', instructions: ' ' })).toThrow(/the review instructions are empty/);
    expect(() => prepareReview(dir, { type: 'commit', sha: 'nope' })).toThrow(/there is no commit nope in/);
    expect(() => prepareReview(dir, { type: 'baseBranch', branch: 'main' })).toThrow(/there are no changes against main to review/);
    expect(() => prepareReview(dirOutsideGit(), { type: 'uncommittedChanges' })).toThrow(/is not inside a git repository, so there are no uncommitted changes to review/);
  });
});

describe('parseNumstat', () => {
  it('reads plain, binary and renamed entries', () => {
    expect(parseNumstat('1\t2\ta.ts\0-\t-\timg.png\x000\t0\t\0old.ts\0new.ts\0')).toEqual([
      { path: 'a.ts', added: 1, deleted: 2 },
      { path: 'img.png', added: null, deleted: null },
      { path: 'old.ts → new.ts', added: 0, deleted: 0 },
    ]);
  });
});
