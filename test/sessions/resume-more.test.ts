/**
 * Resume end to end, continued: --last, the SDK's two runs across processes, switching model and wire
 * API, kill -9 mid-turn, torn and corrupt lines, secrets, `opencodex sessions`, history.jsonl and notify.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Codex } from '@openai/codex-sdk';
import { describe, expect, it } from 'vitest';
import { CLI, makeHome, runCliAsync } from '../support/cli.js';
import { stallAfter, turn, type RecordedRequest } from '../support/scripted-server.js';
import { useScriptedServer, gitWorkspace, quietHome, jsonLines, rolloutFiles, type Json } from '../support/e2e.js';

const server = useScriptedServer();

const KEY = 'sk-live-secret-0123456789';
const env = { MOCK_KEY: KEY, HOME: quietHome };

function home(extra = ''): string {
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n` +
      `http_headers = { "X-Team-Token" = "hdr-secret-abcdef987" }\n` +
      `[model_providers.mockchat]\nname = "Mock Chat"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "chat"\n`,
  });
}

const threadId = (stdout: string): string => String(jsonLines(stdout)[0]?.thread_id);
const body = (r: RecordedRequest | undefined): Json => (r?.body ?? {}) as Json;

async function firstRun(h: string, cwd: string, prompt = 'first prompt'): Promise<string> {
  server.reply(turn({ text: 'first answer' }));
  const r = await runCliAsync(['exec', '--json', prompt], { home: h, cwd, env });
  expect(r.status).toBe(0);
  return threadId(r.stdout);
}

describe('exec resume', () => {
  it('--last picks the latest session of this directory; --all looks everywhere', async () => {
    const h = home();
    const a = gitWorkspace();
    const b = gitWorkspace();
    const idA = await firstRun(h, a, 'in a');
    const idB = await firstRun(h, b, 'in b');
    server.reset();
    server.reply(turn({ text: 'again' }));
    const r = await runCliAsync(['exec', '--json', 'resume', '--last', 'next'], { home: h, cwd: a, env });
    expect(r.status).toBe(0);
    expect(threadId(r.stdout)).toBe(idA);
    expect(JSON.stringify(body(server.requests[0]).input)).toContain('in a');
    server.reply(turn({ text: 'again' }));
    const all = await runCliAsync(['exec', '--json', 'resume', '--last', '--all', 'next'], { home: h, cwd: gitWorkspace(), env });
    expect(all.status).toBe(0);
    expect(threadId(all.stdout)).toBe(idA); // updated last
    expect(idB).not.toBe(idA);
  });

  it("takes the Codex SDK's argv (exec options before `resume`, prompt on stdin) and its second run() continues the thread", async () => {
    const h = home();
    const cwd = gitWorkspace();
    const id = await firstRun(h, cwd);
    server.reset();
    server.reply(turn({ text: 'resumed answer' }));
    const args = ['exec', '--experimental-json', '--config', 'model_reasoning_effort="high"', '--model', 'gpt-5.4', '--sandbox', 'read-only', '--cd', cwd, '--skip-git-repo-check', 'resume', id];
    const r = await runCliAsync(args, { home: h, env, input: 'prompt on stdin' });
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)[0]).toEqual({ type: 'thread.started', thread_id: id });
    const input = body(server.requests[0]).input as Json[];
    expect(JSON.stringify(input)).toContain('first prompt');
    expect(input[input.length - 1]).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'prompt on stdin' }] });
    expect(body(server.requests[0]).reasoning).toMatchObject({ effort: 'high' });

    // The SDK itself: two run() calls on one thread are two processes.
    const sdkHome = home();
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(OPENAI|CODEX)_/.test(k)) clean[k] = v;
    Object.assign(clean, { OPENCODEX_HOME: sdkHome, HOME: quietHome, MOCK_KEY: KEY });
    const codex = new Codex({ codexPathOverride: CLI, env: clean });
    const thread = codex.startThread({ workingDirectory: cwd, model: 'gpt-5.4' });
    server.reset();
    server.reply(turn({ text: 'one', usage: { input: 10, output: 1 } }), turn({ text: 'two', usage: { input: 30, output: 2 } }));
    const one = await thread.run('say one');
    const two = await thread.run('say two');
    expect(one.finalResponse).toBe('one');
    expect(two.finalResponse).toBe('two');
    expect(two.usage).toMatchObject({ input_tokens: 40, output_tokens: 3 });
    const second = JSON.stringify(body(server.requests[1]).input);
    expect(second).toContain('say one');
    expect(second).toContain('"one"');
    expect(rolloutFiles(sdkHome)).toHaveLength(1);
  });

  it('tells the model when a resumed thread runs with other permissions, and only then', async () => {
    const h = home();
    const cwd = gitWorkspace();
    const id = await firstRun(h, cwd);
    const devMessages = (input: Json[]): string[] =>
      input.filter((i) => i.role === 'developer').map((i) => JSON.stringify(i.content));

    server.reset();
    server.reply(turn({ text: 'same' }));
    expect((await runCliAsync(['exec', '--json', 'resume', id, 'same permissions'], { home: h, cwd, env })).status).toBe(0);
    const same = body(server.requests[0]).input as Json[];
    expect(devMessages(same)).toHaveLength(1);

    server.reset();
    server.reply(turn({ text: 'wider' }));
    expect((await runCliAsync(['exec', '--json', '-s', 'workspace-write', 'resume', id, 'now write'], { home: h, cwd, env })).status).toBe(0);
    const wider = body(server.requests[0]).input as Json[];
    const dev = devMessages(wider);
    expect(dev).toHaveLength(2);
    expect(dev[0]).toContain('read-only');
    expect(dev[1]).toContain('workspace-write');
    // The update sits just before the new prompt.
    expect(wider[wider.length - 2]).toMatchObject({ type: 'message', role: 'developer' });
    expect(wider[wider.length - 1]).toMatchObject({ role: 'user', content: [{ type: 'input_text', text: 'now write' }] });

    // Recorded like any other item: the next resume with the same flags adds nothing.
    server.reset();
    server.reply(turn({ text: 'again' }));
    expect((await runCliAsync(['exec', '--json', '-s', 'workspace-write', 'resume', id, 'again'], { home: h, cwd, env })).status).toBe(0);
    expect(devMessages(body(server.requests[0]).input as Json[])).toHaveLength(2);
  });

  it('switches responses → chat and model: foreign reasoning dropped, call ids normalized, images noted for a text-only model', async () => {
    const h = home();
    const cwd = gitWorkspace();
    writeFileSync(join(cwd, 'pic.png'), Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
    server.reply(
      turn({ reasoningSummary: ['plan'], encryptedReasoning: 'opaque-enc', toolCalls: [{ name: 'shell_command', arguments: { command: 'echo x' }, callId: 'fc:weird/id.1|with-a-very-long-suffix-0123456789' }] }),
      turn({ text: 'done', reasoningSummary: ['more'], encryptedReasoning: 'opaque-2' }),
    );
    const r1 = await runCliAsync(['exec', '--json', '-i', 'pic.png', 'look'], { home: h, cwd, env });
    expect(r1.status).toBe(0);
    const id = threadId(r1.stdout);
    server.reset();

    server.reply(turn({ text: 'chat answer' }));
    const r2 = await runCliAsync(['exec', '--json', '-c', 'model_provider="mockchat"', '-m', 'gpt-5.3-codex-spark', 'resume', id, 'go on'], { home: h, cwd, env });
    expect(r2.status).toBe(0);
    const req = server.requests[0] as RecordedRequest;
    expect(req.wire).toBe('chat');
    const text = req.rawBody;
    expect(text).not.toContain('opaque-enc');
    expect(text).not.toContain('fc:weird');
    expect(text).not.toContain('reasoning_content');
    expect(text).not.toContain('data:image');
    expect(text).toContain('[image omitted: gpt-5.3-codex-spark takes text only]');
    const messages = body(req).messages as Json[];
    const call = messages.find((m) => Array.isArray(m.tool_calls)) as Json;
    const callId = String((call.tool_calls as Json[])[0]?.id);
    expect(callId).toMatch(/^call_[0-9a-f]{24}$/);
    expect(messages.find((m) => m.role === 'tool')?.tool_call_id).toBe(callId);
    expect(messages[messages.length - 1]).toEqual({ role: 'user', content: 'go on' });
    const notes = jsonLines(r2.stdout).filter((e) => e.type === 'item.completed' && (e.item as Json).type === 'error').map((e) => String((e.item as Json).message));
    expect(notes.join('\n')).toMatch(/resuming with gpt-5\.3-codex-spark \(mockchat\); the thread last used gpt-5\.4 \(mock\)/);
    expect(notes.join('\n')).toMatch(/2 reasoning items from another model or provider left out/);
    expect(notes.join('\n')).toMatch(/1 image in the history replaced by a note/);

    // And back to responses with the first model: items the first model wrote are replayed as they were,
    // the chat turn's items are converted.
    server.reset();
    server.reply(turn({ text: 'back' }));
    const r3 = await runCliAsync(['exec', '--json', 'resume', id, 'back to responses'], { home: h, cwd, env });
    expect(r3.status).toBe(0);
    const req3 = server.requests[0] as RecordedRequest;
    expect(req3.wire).toBe('chat'); // without -c, the thread's last provider (mockchat) is kept
    server.reset();
    server.reply(turn({ text: 'back' }));
    const r4 = await runCliAsync(['exec', '--json', '-c', 'model_provider="mock"', '-m', 'gpt-5.4', 'resume', id, 'now responses'], { home: h, cwd, env });
    expect(r4.status).toBe(0);
    const req4 = server.requests[0] as RecordedRequest;
    expect(req4.wire).toBe('responses');
    expect(req4.rawBody).toContain('opaque-enc'); // gpt-5.4 on mock wrote it
    expect(req4.rawBody).toContain('fc:weird/id.1');
    const input = body(req4).input as Json[];
    expect(input.filter((i) => i.type === 'message' && i.role === 'user').length).toBeGreaterThanOrEqual(4);
  });

  it('kill -9 during a turn, then resume: nothing recorded before the kill is lost', async () => {
    const h = home();
    const cwd = gitWorkspace();
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo before-kill' }, callId: 'call_k' }] }),
      stallAfter(2, { text: 'never finished' }),
    );
    const child = spawn(process.execPath, [CLI, 'exec', '--json', 'long task'], {
      cwd,
      env: { ...process.env, ...env, OPENCODEX_HOME: h, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 15_000;
    while (server.requests.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(server.requests).toHaveLength(2);
    const killedInput = JSON.stringify(body(server.requests[1]).input);
    const closed = new Promise((r) => child.on('close', r));
    child.kill('SIGKILL');
    await closed;
    const id = threadId(out);

    server.reset();
    server.reply(turn({ text: 'recovered' }));
    const r = await runCliAsync(['exec', '--json', 'resume', id, 'continue'], { home: h, cwd, env });
    expect(r.status).toBe(0);
    expect(threadId(r.stdout)).toBe(id);
    const sent = JSON.stringify(body(server.requests[0]).input);
    expect(sent.startsWith(killedInput.slice(0, -1))).toBe(true);
    expect(sent).toContain('before-kill');
    expect(sent.endsWith(`{"type":"message","role":"user","content":[{"type":"input_text","text":"continue"}]}]`)).toBe(true);
  });

  it('a torn last line resumes with a warning; the repaired file resumes again', async () => {
    const h = home();
    const cwd = gitWorkspace();
    const id = await firstRun(h, cwd);
    const file = rolloutFiles(h)[0] as string;
    appendFileSync(file, '{"timestamp":"2026-01-01T00:00:00.000Z","type":"response_item","payload":{"type":"mess');
    server.reset();
    server.reply(turn({ text: 'ok' }));
    const r = await runCliAsync(['exec', '--json', 'resume', id, 'after crash'], { home: h, cwd, env });
    expect(r.status).toBe(0);
    const warn = jsonLines(r.stdout).find((e) => e.type === 'item.completed' && (e.item as Json).type === 'error');
    expect(String((warn?.item as Json).message)).toMatch(/the last line \(\d+\) of .* is incomplete .*skipped/);
    const input = JSON.stringify(body(server.requests[0]).input);
    expect(input).toContain('first answer');
    expect(input).toContain('after crash');
    expect(readFileSync(file, 'utf8')).toMatch(/"type":"mess\n\{"timestamp":"[^"]+","type":"event_msg","payload":\{"type":"torn_line_skipped"\}\}\n/);

    server.reset();
    server.reply(turn({ text: 'ok again' }));
    const again = await runCliAsync(['exec', '--json', 'resume', id, 'third'], { home: h, cwd, env });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/was cut off when an earlier run stopped; it was skipped/);
    expect(JSON.stringify(body(server.requests[0]).input)).toContain('after crash');
  });

  it('a corrupt middle line is an error with its line number', async () => {
    const h = home();
    const cwd = gitWorkspace();
    const id = await firstRun(h, cwd);
    const file = rolloutFiles(h)[0] as string;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(3, 1, '{"timestamp": oops');
    writeFileSync(file, lines.join('\n'));
    server.reset();
    const r = await runCliAsync(['exec', '--json', 'resume', id, 'x'], { home: h, cwd, env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: session file \S+ is corrupt at line 4: .* — fix or remove that line/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(server.requests).toHaveLength(0);
  });

  it('API keys and auth headers never reach the rollout', async () => {
    const h = home(`[history]\npersistence = "save-all"`);
    const cwd = gitWorkspace();
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: `echo ${KEY}` }, callId: 'call_s' }] }),
      turn({ text: `your key is ${KEY} and the header is hdr-secret-abcdef987` }),
    );
    const r = await runCliAsync(['exec', '--json', 'show secrets'], { home: h, cwd, env });
    expect(r.status).toBe(0);
    expect(server.requests[0]?.headers['x-team-token']).toBe('hdr-secret-abcdef987');
    const files = rolloutFiles(h);
    expect(files).toHaveLength(1);
    const text = readFileSync(files[0] as string, 'utf8');
    expect(text).toContain('[REDACTED]');
    for (const secret of [KEY, 'hdr-secret-abcdef987', 'Bearer']) expect(text).not.toContain(secret);
  });
});

describe('opencodex sessions, history.jsonl, notify', () => {
  it('lists sessions of this directory with id, model and first prompt (--json, --all)', async () => {
    const h = home();
    const cwd = gitWorkspace();
    const id = await firstRun(h, cwd, 'list me please');
    await firstRun(h, gitWorkspace(), 'elsewhere');
    const r = await runCliAsync(['sessions'], { home: h, cwd, env });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ID +UPDATED +MODEL +NAME +FIRST PROMPT\\n${id}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  gpt-5\\.4 +list me please\\n$`));
    const json = JSON.parse((await runCliAsync(['sessions', '--json', '--all'], { home: h, cwd, env })).stdout) as Json[];
    expect(json).toHaveLength(2);
    expect(json[1]).toMatchObject({ id, cwd, model: 'gpt-5.4', model_provider: 'mock', source: 'exec', first_prompt: 'list me please', name: null });
  });

  it('appends prompts to history.jsonl (off with persistence = "none") and runs notify after the turn', async () => {
    const h = home();
    const cwd = gitWorkspace();
    const id = await firstRun(h, cwd, 'remember this');
    const hist = readFileSync(join(h, 'history.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Json);
    expect(hist).toEqual([{ conversation_id: id, ts: expect.any(Number), text: 'remember this' }]);

    const off = home('[history]\npersistence = "none"');
    await firstRun(off, cwd);
    expect(existsSync(join(off, 'history.jsonl'))).toBe(false);

    const out = join(mkdtempSync(join(tmpdir(), 'ocx-notify-')), 'payload.json');
    const script = join(cwd, 'notify.sh');
    writeFileSync(script, `#!/bin/sh\nprintf '%s' "$1" > ${out}.tmp && mv ${out}.tmp ${out}\n`, { mode: 0o755 });
    const n = home(`notify = ["${script}"]`);
    const nid = await firstRun(n, cwd, 'notify me');
    const deadline = Date.now() + 5000;
    while (!existsSync(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      type: 'agent-turn-complete',
      'thread-id': nid,
      'turn-id': expect.any(String),
      cwd,
      'input-messages': ['notify me'],
      'last-assistant-message': 'first answer',
    });
  });
});
