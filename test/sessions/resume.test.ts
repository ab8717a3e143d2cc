/**
 * Rollouts and resume end to end: the built CLI against the scripted server, across processes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn, type RecordedRequest } from '../support/scripted-server.js';
import { useScriptedServer, gitWorkspace, quietHome, jsonLines, rolloutFiles, type Json } from '../support/e2e.js';

const server = useScriptedServer();

function home(extra = ''): string {
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n` +
      `[model_providers.mockchat]\nname = "Mock Chat"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "chat"\n`,
  });
}

const env = { MOCK_KEY: 'sk-test-key-123456', HOME: quietHome };
const threadId = (stdout: string): string => String(jsonLines(stdout)[0]?.thread_id);
const lastOf = (reqs: RecordedRequest[]): RecordedRequest => reqs[reqs.length - 1] as RecordedRequest;

/** The raw `input` array of a Responses request, exactly as sent (without its closing bracket). */
function rawInputPrefix(req: RecordedRequest): string {
  const raw = req.rawBody;
  const start = raw.indexOf('"input":[') + '"input":'.length;
  const text = JSON.stringify((req.body as Json).input);
  expect(raw.slice(start, start + text.length)).toBe(text);
  return text.slice(0, -1);
}

describe('rollout files', () => {
  it('exec records the thread as Codex does; resume by id replays it byte for byte and keeps the id', async () => {
    const h = home();
    const cwd = gitWorkspace();
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo one' }, callId: 'call_1' }], usage: { input: 100, cached: 0, output: 10 } }),
      turn({ text: 'first answer', reasoningSummary: ['thinking'], encryptedReasoning: 'enc-1', usage: { input: 200, cached: 100, output: 5, reasoning: 3 } }),
    );
    const r1 = await runCliAsync(['exec', '--json', 'first prompt'], { home: h, cwd, env });
    expect(r1.status).toBe(0);
    const id = threadId(r1.stdout);
    const files = rolloutFiles(h);
    expect(files).toHaveLength(1);
    const file = files[0] as string;
    const now = new Date();
    const ymd = `${now.getFullYear()}/${String(now.getMonth() + 1).padStart(2, '0')}/${String(now.getDate()).padStart(2, '0')}`;
    expect(file).toMatch(new RegExp(`/sessions/${ymd}/rollout-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-${id}\\.jsonl$`));
    const recs = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Json);
    expect(Object.keys(recs[0] as Json)).toEqual(['timestamp', 'type', 'payload']);
    expect(recs[0]).toMatchObject({ type: 'session_meta', payload: { id, cwd, source: 'exec', model_provider: 'mock', cli_version: expect.any(String) } });
    expect((recs[0]?.payload as Json).base_instructions).toEqual({ text: (server.requests[0]?.body as Json).instructions });
    for (const r of recs) expect(String(r.timestamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const kinds = recs.map((r) => (r.type === 'event_msg' ? `event:${(r.payload as Json).type}` : String(r.type)));
    expect(kinds).toEqual([
      'session_meta',
      'event:task_started',
      'turn_context',
      'response_item', // permissions (developer)
      'response_item', // environment context
      'response_item', // the prompt
      'event:user_message',
      'event:token_count',
      'response_item', // function_call
      'response_item', // function_call_output
      'event:token_count',
      'response_item', // reasoning
      'event:agent_reasoning',
      'response_item', // assistant message
      'event:agent_message',
      'event:task_complete',
    ]);
    expect(recs[2]?.payload).toMatchObject({ model: 'gpt-5.4', model_provider: 'mock', cwd, approval_policy: 'never', sandbox_policy: { type: 'read-only' } });
    expect(recs.filter((r) => (r.payload as Json).type === 'token_count').pop()?.payload).toMatchObject({ type: 'token_count', info: { total_token_usage: { input_tokens: 300, cached_input_tokens: 100, output_tokens: 15, reasoning_output_tokens: 3, total_tokens: 315 } } });

    const run1 = [...server.requests];
    server.reset();
    server.reply(turn({ text: 'second answer', usage: { input: 400, cached: 300, output: 7 } }));
    const r2 = await runCliAsync(['exec', '--json', 'resume', id, 'second prompt'], { home: h, cwd, env });
    expect(r2.stderr).toBe('Reading additional input from stdin...\n');
    expect(r2.status).toBe(0);
    const ev = jsonLines(r2.stdout);
    expect(ev[0]).toEqual({ type: 'thread.started', thread_id: id });
    // Usage after resume is the thread total (codex-observed.md).
    expect(ev[ev.length - 1]).toEqual({ type: 'turn.completed', usage: { input_tokens: 700, cached_input_tokens: 400, cache_write_input_tokens: 0, output_tokens: 22, reasoning_output_tokens: 3 } });

    // The new request's input = the last request of run 1 + what followed + the new prompt, byte for byte.
    const before = rawInputPrefix(lastOf(run1));
    const after = server.requests[0] as RecordedRequest;
    const sent = rawInputPrefix(after);
    expect(sent.startsWith(before)).toBe(true);
    const followed = JSON.parse(`[${sent.slice(before.length + 1)}]`) as Json[];
    expect(followed).toEqual([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'enc-1' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'first answer' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'second prompt' }] },
    ]);
    expect((after.body as Json).instructions).toBe((lastOf(run1).body as Json).instructions);
    expect((after.body as Json).prompt_cache_key).toBe(id);
    // Appended to the same file.
    expect(rolloutFiles(h)).toEqual([file]);
    expect(readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"session_meta"'))).toHaveLength(1);
  });

  it('--ephemeral writes no file; human mode tells how to resume', async () => {
    const h = home();
    const cwd = gitWorkspace();
    server.reply(turn({ text: 'ok' }));
    const r = await runCliAsync(['exec', '--ephemeral', 'hi'], { home: h, cwd, env });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/To continue/);
    expect(existsSync(join(h, 'sessions'))).toBe(false);
    expect(existsSync(join(h, 'history.jsonl'))).toBe(false);
    server.reply(turn({ text: 'ok' }));
    const r2 = await runCliAsync(['exec', 'hi'], { home: h, cwd, env });
    expect(r2.stderr).toMatch(/\nTo continue this session, run opencodex exec resume [0-9a-f-]{36}\n$/);
  });

  it('a missing id is one clear line and exit 1', async () => {
    const r = await runCliAsync(['exec', 'resume', '019a0000-0000-7000-8000-000000000000', 'x'], { home: home(), cwd: gitWorkspace(), env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: no session with id 019a0000-0000-7000-8000-000000000000 in \S+ — list them with `opencodex sessions --all`\n$/);
    const none = await runCliAsync(['exec', 'resume', '--last', 'x'], { home: home(), cwd: gitWorkspace(), env });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^error: no earlier session in \S+ — add --all/);
    expect(server.requests).toHaveLength(0);
  });
});
