/**
 * Forking a thread: the copy (a new thread whose session_meta names its source, the source unchanged,
 * the same history on resume, secrets kept out), `exec fork` end to end against the scripted server,
 * and `opencodex fork` without a terminal.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forkSession, loadRollout, openRollout, REDACTED } from '../../src/sessions/index.js';
import { uuidv7 } from '../../src/shared/index.js';
import { makeHome, runCli, runCliAsync } from '../support/cli.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, type Json } from '../support/e2e.js';
import { useScriptedServer } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const server = useScriptedServer();
const KEY = 'sk-live-fork-secret-0123456789';
const env = { MOCK_KEY: KEY, HOME: quietHome };

function source(home: string, leak = ''): { id: string; path: string } {
  const id = uuidv7();
  const rec = openRollout(
    home,
    { id, timestamp: new Date().toISOString(), cwd: '/src/dir', originator: 'opencodex_cli', cli_version: '0.1.0', source: 'cli', model_provider: 'openai', base_instructions: { text: 'be brief' } },
    { secrets: [KEY] },
  );
  rec.turnContext({ turn_id: 't1', cwd: '/src/dir', approval_policy: 'never', sandbox_policy: { type: 'read-only' }, model: 'gpt-5.4', model_provider: 'openai', effort: 'low', summary: 'auto' });
  rec.item({ type: 'message', role: 'user', content: [{ type: 'input_text', text: `old prompt with ${KEY}` }] });
  rec.item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'old answer' }] });
  rec.compacted('summary', [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'kept prompt' }] }]);
  rec.item({ type: 'message', role: 'user', content: [{ type: 'input_text', text: `second prompt ${leak}` }] });
  rec.item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'second answer' }] });
  const u = { input_tokens: 500, cached_input_tokens: 0, output_tokens: 20, reasoning_output_tokens: 0 };
  rec.event({ type: 'token_count', info: { total_token_usage: u, last_token_usage: u, model_context_window: 1000 } });
  rec.close();
  return { id, path: rec.path };
}

describe('forkSession', () => {
  it('writes a new thread naming its source; resuming it gives the same history, settings and usage; the source is unchanged', () => {
    const home = makeHome();
    const src = source(home, 'leaked-token-abcdef12');
    appendFileSync(src.path, '{"timestamp":"x","type":"response_item","payload":{"ty'); // a torn last line
    const before = readFileSync(src.path, 'utf8');
    const fork = forkSession(home, src.path, { cwd: '/here', secrets: ['leaked-token-abcdef12'] });
    expect(readFileSync(src.path, 'utf8')).toBe(before);
    expect(fork.path).not.toBe(src.path);
    expect(fork.meta.id).not.toBe(src.id);
    expect(fork.path).toContain(fork.meta.id);

    const text = readFileSync(fork.path, 'utf8');
    const first = JSON.parse(text.split('\n')[0] as string) as { type: string; payload: Json };
    expect(first.type).toBe('session_meta');
    expect(first.payload).toMatchObject({ id: fork.meta.id, forked_from_id: src.id, cwd: '/here', model_provider: 'openai', base_instructions: { text: 'be brief' } });
    expect(Object.keys(first.payload).slice(0, 3)).toEqual(['id', 'forked_from_id', 'timestamp']);
    for (const secret of [KEY, 'leaked-token-abcdef12']) expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);

    const a = loadRollout(src.path);
    const b = loadRollout(fork.path);
    expect(JSON.stringify(b.history)).toBe(JSON.stringify(a.history).replaceAll('leaked-token-abcdef12', REDACTED));
    expect(b.history.map((i) => (i.type === 'message' ? i.content[0] : null))).toContainEqual({ type: 'input_text', text: 'kept prompt' });
    expect(b.lastTurnContext).toEqual(a.lastTurnContext);
    expect(b.usage).toEqual(a.usage);
    expect(b.lastUsage).toEqual(a.lastUsage);
    expect(b.warnings).toEqual([]);
    expect(b.meta.forked_from_id).toBe(src.id);
  });

  it('refuses a file that is not a rollout, writing nothing', () => {
    const home = makeHome({ 'not-a-rollout.jsonl': '{"type":"response_item","payload":{}}\n' });
    expect(() => forkSession(home, `${home}/not-a-rollout.jsonl`)).toThrow(/not a session file/);
    expect(rolloutFiles(home)).toEqual([]);
  });
});

function home(): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });
}

describe('opencodex exec fork', () => {
  it('continues a copy: a new thread id and file, the source history replayed, the source file unchanged', async () => {
    const h = home();
    const cwd = gitWorkspace();
    server.reply(turn({ text: 'first answer' }));
    const first = await runCliAsync(['exec', '--json', 'first prompt'], { home: h, cwd, env });
    expect(first.status).toBe(0);
    const id = String(jsonLines(first.stdout)[0]?.thread_id);
    const [srcPath] = rolloutFiles(h);
    const before = readFileSync(srcPath as string, 'utf8');

    server.reset();
    server.reply(turn({ text: 'forked answer' }));
    const r = await runCliAsync(['exec', '--json', 'fork', id, 'next prompt'], { home: h, cwd, env });
    expect(r.status).toBe(0);
    const forkId = String(jsonLines(r.stdout)[0]?.thread_id);
    expect(forkId).not.toBe(id);
    const input = JSON.stringify(server.requests[0]?.body?.input);
    expect(input).toContain('first prompt');
    expect(input).toContain('first answer');
    expect(input).toContain('next prompt');
    expect(server.requests[0]?.body?.prompt_cache_key).toBe(forkId);
    expect(server.requests[0]?.headers['session-id']).toBe(forkId);

    expect(readFileSync(srcPath as string, 'utf8')).toBe(before);
    const files = rolloutFiles(h);
    expect(files).toHaveLength(2);
    const forkPath = files.find((f) => f.includes(forkId)) as string;
    const lines = readFileSync(forkPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; payload: Json });
    expect(lines[0]?.payload).toMatchObject({ id: forkId, forked_from_id: id });
    expect(JSON.stringify(lines)).toContain('forked answer');

    // --last forks the latest session of this directory (the fork now), and the prompt is the one positional.
    server.reset();
    server.reply(turn({ text: 'third' }));
    const again = await runCliAsync(['exec', '--json', 'fork', '--last', 'third prompt'], { home: h, cwd, env });
    expect(again.status).toBe(0);
    expect(JSON.stringify(server.requests[0]?.body?.input)).toContain('forked answer');
    expect(rolloutFiles(h)).toHaveLength(3);
  });
});

describe('opencodex fork without a terminal', () => {
  it('lists the sessions to fork without an id, and needs a terminal with one', async () => {
    const h = home();
    const cwd = gitWorkspace();
    server.reply(turn({ text: 'an answer' }));
    const first = await runCliAsync(['exec', '--json', 'fork me later'], { home: h, cwd, env });
    const id = String(jsonLines(first.stdout)[0]?.thread_id);
    const listed = runCli(['fork'], { home: h, cwd, env });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^ID +UPDATED +MODEL +NAME +FIRST PROMPT\\n${id}  .*fork me later\\n$`));
    expect(listed.stderr).toBe('fork one with `opencodex fork ID` or `opencodex fork NAME` (in a terminal)\n');
    const last = runCli(['fork', '--last'], { home: h, cwd, env });
    expect(last.status).toBe(1);
    expect(last.stderr).toMatch(/the interactive session needs a terminal/);
    expect(rolloutFiles(h)).toHaveLength(1);
  });
});
