/**
 * `opencodex review --uncommitted` in a real terminal: the built CLI in tmux, in a git repository with a
 * change, against the scripted server. The session opens with the review as its first turn (read-only, no
 * apply_patch, the answer format sent), shows the findings grouped by priority with path:line, and then
 * takes a normal prompt with the session's own tools.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome } from '../support/cli.js';
import { startScriptedServer, turn, type RecordedRequest, type ScriptedServer } from '../support/scripted-server.js';
import { Terminal } from './tmux.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

type Json = Record<string, unknown>;
const gitEnv = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...gitEnv } });
const toolNames = (r: RecordedRequest | undefined): string[] => ((r?.body?.tools ?? []) as Json[]).map((t) => String(t.name));

describe('opencodex review in a terminal', () => {
  it('--uncommitted opens the session with the review, shows the findings by priority, then goes on normally', async () => {
    server.reset();
    const ws = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-ui-review-')));
    git(ws, 'init', '-q');
    writeFileSync(join(ws, 'pages.ts'), 'export function pages(n: number, size: number): number {\n  return Math.ceil(n / size);\n}\n');
    git(ws, 'add', '.');
    git(ws, 'commit', '-q', '-m', 'Count pages');
    writeFileSync(join(ws, 'pages.ts'), 'export function pages(n: number, size: number): number {\n  return Math.floor(n / size);\n}\n');
    const review = {
      findings: [
        { title: '[P2] Rounding is undocumented', body: 'Say whether a partial page counts.', confidence_score: 0.5, priority: 2, code_location: { absolute_file_path: join(ws, 'pages.ts'), line_range: { start: 1, end: 1 } } },
        { title: '[P1] Last partial page is dropped', body: 'Math.floor loses the remainder.', confidence_score: 0.9, priority: 1, code_location: { absolute_file_path: join(ws, 'pages.ts'), line_range: { start: 2, end: 2 } } },
      ],
      overall_correctness: 'patch is incorrect',
      overall_explanation: 'The page count is one short.',
      overall_confidence_score: 0.8,
    };
    server.reply(turn({ text: JSON.stringify(review) }), turn({ text: 'Noted, nothing changed yet.' }));
    const home = makeHome({
      'config.toml':
        `model_provider = "mock"\nmodel = "gpt-5.4"\nreview_model = "gpt-5.4-mini"\napproval_policy = "on-request"\nsandbox_mode = "workspace-write"\n` +
        `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 1\n`,
    });
    const term = await Terminal.start({ args: ['review', '--uncommitted'], cwd: ws, rows: 40, env: { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k', ...gitEnv } });
    try {
      const screen = await term.waitFor(/Worked for/);
      expect(screen).toContain('› Review current changes (1 file)');
      expect(screen).toContain('Code review of the current changes · 2 findings');
      expect(screen).toContain('Verdict: patch is incorrect');
      expect(screen).toMatch(/P1 · urgent\n\s+• pages\.ts:2 — Last partial page is dropped[\s\S]*P2 · normal\n\s+• pages\.ts:1 — Rounding is undocumented/);
      expect(screen).not.toContain('"findings"');
      const first = server.requests[0];
      expect(first?.body?.model).toBe('gpt-5.4-mini');
      expect(toolNames(first)).not.toContain('apply_patch');
      expect((first?.body?.text as Json | undefined)?.format).toMatchObject({ type: 'json_schema' });

      await term.submit('thanks');
      await term.waitFor(/Noted, nothing changed yet\./);
      const next = server.requests[1];
      expect(next?.body?.model).toBe('gpt-5.4');
      expect(toolNames(next)).toContain('apply_patch');
      expect(JSON.stringify(next?.body?.input)).toContain('Last partial page is dropped');
    } finally {
      await term.close();
    }
  }, 60_000);
});
