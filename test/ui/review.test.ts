/**
 * `/review` in the interactive UI, at the controller level: the real agent against the scripted server (no
 * terminal), in real git repositories, on both wires. The review turn runs in a thread of its own with the
 * review model, tools that only look, the guidelines and the answer format; the findings are shown grouped by
 * priority with path:line; the conversation then gets the review and goes on with its own model and tools.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { matchingCommands, resumeSession, runSlashCommand } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { reviewArgs } from '../../src/ui/review-command.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';
import { stallAfter, turn, type RecordedRequest } from '../support/scripted-server.js';
import { useScriptedServer, type Json } from '../support/e2e.js';
import { BUG, git, gitEnv, reviewAnswer, reviewRepo } from '../support/review.js';

const server = useScriptedServer();
const s = createStyle(false);
function setup(cwd: string, wire: 'responses' | 'chat', extra = '', recorded = false): UiController {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\nsandbox_mode = "workspace-write"\n${extra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "${wire}"\n`,
  });
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k-ui-review', ...gitEnv };
  const loaded = loadConfig({ home, env, cwd });
  return new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, env), cwd, addDirs: [], approvalPolicy: 'never' },
    style: s,
    env,
    onExit: () => undefined,
    ...(recorded ? { rollout: { token: 'k-ui-review' } } : {}),
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const shown = (c: UiController): string => c.transcript.history.map((h) => h.text).join('\n');

const toolNames = (r: RecordedRequest | undefined): string[] =>
  ((r?.body?.tools ?? []) as Json[]).map((t) => String(t.name ?? (t.function as Json | undefined)?.name));

/** Every text the request's messages carry, in order (both wires). */
function texts(r: RecordedRequest | undefined): string[] {
  const items = (r?.body?.input ?? r?.body?.messages ?? []) as Json[];
  return items.flatMap((m) => {
    if (typeof m.content === 'string') return [m.content];
    return Array.isArray(m.content) ? (m.content as Json[]).map((c) => String(c.text ?? '')) : [];
  });
}

const review = (cwd: string): Json => reviewAnswer(cwd, ['p3', 'p1']);
const repo = (extra: Record<string, string> = {}): string => reviewRepo(extra, 'ocx-ui-review-');

describe('/review', () => {
  it('is listed among the slash commands; its words name the target, other text is instructions', () => {
    expect(matchingCommands('/rev').map((c) => c.name)).toEqual(['review']);
    expect(reviewArgs('')).toBeNull();
    expect(reviewArgs(' uncommitted ')).toEqual({ type: 'uncommittedChanges' });
    expect(reviewArgs('--base main')).toEqual({ type: 'baseBranch', branch: 'main' });
    expect(reviewArgs('commit 1a2b3c4')).toEqual({ type: 'commit', sha: '1a2b3c4' });
    expect(reviewArgs('commit messages only')).toEqual({ type: 'custom', instructions: 'commit messages only' });
  });

  it('on the Responses wire: a read-only review turn of its own, findings by priority, then the session goes on with its tools', async () => {
    const cwd = repo({ 'pages.ts': BUG, 'notes.md': 'pages\n' });
    const c = setup(cwd, 'responses', 'review_model = "gpt-5.4-mini"');
    server.reply(turn({ text: 'Hello there.' }));
    await c.runTurn('hello');

    server.reset();
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'cat pages.ts && touch written-by-review' }, callId: 'c1' }] }),
      turn({ text: JSON.stringify(review(cwd)) }),
    );
    await runSlashCommand(c, '/review uncommitted');
    await until(() => !c.running && server.requests.length === 2);

    const first = server.requests[0];
    expect(first?.body?.model).toBe('gpt-5.4-mini');
    expect(first?.body?.text).toMatchObject({ format: { type: 'json_schema', strict: true, schema: { required: ['findings', 'overall_correctness', 'overall_explanation', 'overall_confidence_score'] } } });
    expect(toolNames(first)).toContain('shell_command');
    expect(toolNames(first)).not.toContain('apply_patch');
    const sent = texts(first);
    expect(sent.some((t) => t.startsWith('# Code review'))).toBe(true);
    expect(sent.at(-1)).toMatch(new RegExp(`^Review the uncommitted changes in ${cwd}`));
    // Its own thread: the conversation so far is not part of the review request.
    expect(sent).not.toContain('hello');
    // The command ran read-only.
    expect(JSON.stringify(server.requests[1]?.body?.input)).toMatch(/Read-only file system|Permission denied/);

    const text = shown(c);
    expect(text).toContain('› Review current changes (2 files)');
    expect(text).toContain('Code review of the current changes · 2 findings');
    expect(text).toContain('Verdict: patch is incorrect (confidence 80%)');
    expect(text).toMatch(/P1 · urgent\n {2}• pages\.ts:2 — Last partial page is dropped \(90%\)\n {4}`Math\.floor` loses the remainder[\s\S]*P3 · low\n {2}• notes\.md:1-3 — Name the helper/);
    expect(text).not.toContain('"findings"');
    expect(text).toMatch(/Worked for/);

    server.reset();
    server.reply(turn({ text: 'Fixed.' }));
    await c.runTurn('fix the P1');
    const next = server.requests[0];
    expect(next?.body?.model).toBe('gpt-5.4');
    expect((next?.body?.text as Json | undefined)?.format).toBeUndefined();
    expect(toolNames(next)).toContain('apply_patch');
    const nextTexts = texts(next);
    expect(nextTexts).toContain('hello');
    expect(nextTexts).toContain('Code review of the current changes.');
    expect(nextTexts.some((t) => t.includes('- pages.ts:2 — Last partial page is dropped'))).toBe(true);
    expect(nextTexts.some((t) => t.startsWith('# Code review'))).toBe(false);
  });

  it('on the Chat wire, from the picker: a commit chosen from the recent ones; a prose answer stays prose; tools come back', async () => {
    const cwd = repo();
    writeFileSync(join(cwd, 'pages.ts'), BUG);
    git(cwd, 'commit', '-q', '-am', 'Floor the pages');
    const sha = git(cwd, 'rev-parse', 'HEAD').trim();
    const c = setup(cwd, 'chat');
    server.reply(turn({ text: 'I looked at the change and it looks fine to me.' }));
    const done = runSlashCommand(c, '/review');
    await until(() => c.overlay?.kind === 'picker');
    const presets = c.overlay?.kind === 'picker' ? c.overlay.items.map((i) => i.label) : [];
    expect(presets).toEqual(['Review uncommitted changes', 'Review against a base branch', 'Review a commit', 'Custom review instructions']);
    c.endPick('commit');
    await until(() => c.overlay?.kind === 'picker' && c.overlay.title === 'Select a commit to review');
    const commits = c.overlay?.kind === 'picker' ? c.overlay.items : [];
    expect(commits.map((i) => i.label)).toEqual(['Floor the pages', 'Count pages']);
    c.endPick(commits[0]?.value);
    await done;
    await until(() => !c.running && server.requests.length === 1);

    const body = server.requests[0]?.body ?? {};
    expect(body.response_format).toBeUndefined();
    expect(toolNames(server.requests[0])).not.toContain('apply_patch');
    expect(texts(server.requests[0]).at(-1)).toMatch(new RegExp(`^Review the changes introduced by commit ${sha} \\("Floor the pages"\\)`));
    expect(shown(c)).toContain('I looked at the change and it looks fine to me.');
    expect(shown(c)).not.toContain('Code review of');

    server.reset();
    server.reply(turn({ text: 'ok' }));
    await c.runTurn('thanks');
    expect(toolNames(server.requests[0])).toContain('apply_patch');
    expect(texts(server.requests[0])).toContain('I looked at the change and it looks fine to me.');
  });

  it('a recorded session keeps the review as an exchange: a resumed session shows it and the model gets it', async () => {
    const cwd = repo({ 'pages.ts': BUG, 'notes.md': 'pages\n' });
    const c = setup(cwd, 'responses', '', true);
    server.reply(turn({ text: JSON.stringify(review(cwd)) }));
    await runSlashCommand(c, '/review uncommitted');
    await until(() => !c.running);
    const path = c.session.recorder?.path;
    if (!path) throw new Error('no rollout');
    const again = setup(cwd, 'responses');
    resumeSession(again, path);
    expect(shown(again)).toMatch(/› Code review of the current changes\.[\s\S]*Verdict: patch is incorrect[\s\S]*pages\.ts:2 — Last partial page is dropped/);
    server.reset();
    server.reply(turn({ text: 'ok' }));
    await again.runTurn('fix it');
    expect(texts(server.requests[0])).toContain('Code review of the current changes.');
  });

  it('Esc interrupts the review like a turn; the conversation gets nothing from it', async () => {
    const c = setup(repo({ 'pages.ts': BUG }), 'responses');
    server.reply(stallAfter(3));
    const done = runSlashCommand(c, '/review uncommitted');
    await until(() => c.running && server.requests.length === 1);
    c.interrupt();
    await done;
    await until(() => !c.running);
    expect(shown(c)).toContain('Interrupted. Tell the model what to do differently.');
    expect(c.session.history).toHaveLength(0);
  });

  it('"Custom review instructions" leaves `/review ` in the prompt to type them after', async () => {
    const c = setup(repo(), 'responses');
    const done = runSlashCommand(c, '/review');
    await until(() => c.overlay?.kind === 'picker');
    c.endPick('custom');
    await done;
    expect(c.editor.text).toBe('/review ');
    expect(shown(c)).toContain('type the review instructions after /review and press Enter');
    expect(server.requests).toHaveLength(0);
  });

  it('says why when there is nothing to review, and sends nothing', async () => {
    const c = setup(repo(), 'responses');
    await runSlashCommand(c, '/review uncommitted');
    expect(shown(c)).toMatch(/there are no uncommitted changes in .* to review — review a branch with --base BRANCH/);
    expect(server.requests).toHaveLength(0);
    expect(c.running).toBe(false);
  });
});
