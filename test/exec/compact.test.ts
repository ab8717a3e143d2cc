/**
 * Context compaction end to end: the built CLI against the scripted server, on both wire APIs. An auto
 * compaction between model calls, a compaction after `context_length_exceeded`, and resuming a compacted
 * thread (including a compaction before the resumed turn).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPACT_PROMPT, SUMMARY_PREFIX } from '../../src/agent/index.js';
import { makeHome, runCliAsync } from '../support/cli.js';
import { failWith, turn, type RecordedRequest, type Wire } from '../support/scripted-server.js';
import { useScriptedServer, gitWorkspace, quietHome, jsonLines, type Json } from '../support/e2e.js';

const server = useScriptedServer();

const env = { MOCK_KEY: 'sk-compact-test-key-98765', HOME: quietHome };

function home(wire: Wire, extra = 'model_auto_compact_token_limit = 1000'): string {
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "${wire}"\n`,
  });
}

const req = (n: number): RecordedRequest => server.requests[n] as RecordedRequest;

/**
 * What a request sends, wire-independently: one line per item, `role: text` for messages (developer
 * messages are system messages over Chat), the item type otherwise. Chat's leading instructions are left out.
 */
function conversation(r: RecordedRequest): string[] {
  const body = r.body as Json;
  if (r.wire === 'responses') {
    return (body.input as Json[]).map((i) =>
      i.type === 'message' ? `${String(i.role)}: ${(i.content as Json[]).map((p) => String(p.text ?? '')).join('')}` : String(i.type),
    );
  }
  return (body.messages as Json[]).slice(1).flatMap((m) => {
    if (m.role === 'tool') return ['function_call_output'];
    const calls = Array.isArray(m.tool_calls) ? m.tool_calls.map(() => 'function_call') : [];
    if (m.content === null || m.content === '') return calls;
    const role = m.role === 'system' ? 'developer' : String(m.role);
    const text = typeof m.content === 'string' ? m.content : (m.content as Json[]).map((p) => String(p.text ?? '')).join('');
    return [`${role}: ${text}`, ...calls];
  });
}

/** The request offers the model no tools. */
function noTools(r: RecordedRequest): boolean {
  const tools = (r.body as Json).tools;
  return tools === undefined || (Array.isArray(tools) && tools.length === 0);
}

const summaryLine = (summary: string) => `user: ${SUMMARY_PREFIX}\n${summary}`;

function rolloutOf(h: string): Json[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : files.push(join(d, e.name));
  };
  walk(join(h, 'sessions'));
  expect(files).toHaveLength(1);
  return readFileSync(files[0] as string, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Json);
}

describe.each(['responses', 'chat'] as const)('compaction over %s', (wire) => {
  it('compacts between model calls once the last response reached the limit, then continues the turn from the compacted history', async () => {
    const h = home(wire);
    server.reply(
      turn({ text: 'Let me look.', toolCalls: [{ name: 'shell_command', arguments: { command: 'echo compact-me' }, callId: 'call_1' }], usage: { input: 5000, cached: 1000, output: 40 } }),
      turn({ text: 'SUMMARY: the user wants the bug fixed; echo ran.', usage: { input: 3000, output: 60 } }),
      turn({ text: 'All done.', usage: { input: 300, output: 5 } }),
    );
    const r = await runCliAsync(['exec', '--json', 'fix the bug please'], { home: h, cwd: gitWorkspace(), env });
    expect(r.stderr).toBe('Reading additional input from stdin...\n');
    expect(r.status).toBe(0);
    expect(server.requests).toHaveLength(3);

    // 1: the turn as usual. 2: the compaction request: the whole conversation, then our prompt, no tools.
    const first = conversation(req(0));
    expect(first.at(-1)).toBe('user: fix the bug please');
    expect(noTools(req(0))).toBe(false);
    const compaction = conversation(req(1));
    expect(noTools(req(1))).toBe(true);
    expect(compaction.slice(0, first.length)).toEqual(first);
    expect(compaction.slice(first.length)).toEqual(['assistant: Let me look.', 'function_call', 'function_call_output', `user: ${COMPACT_PROMPT}`]);

    // 3: the compacted history: the initial context (as in request 1), the prompt, the summary; tools again.
    expect(conversation(req(2))).toEqual([...first.slice(0, -1), 'user: fix the bug please', summaryLine('SUMMARY: the user wants the bug fixed; echo ran.')]);
    expect(first.slice(0, -1).map((l) => l.split(':')[0])).toEqual(['developer', 'user']);
    expect(noTools(req(2))).toBe(false);

    // JSON mode shows no compaction event; the usage includes the compaction request.
    const ev = jsonLines(r.stdout);
    expect(ev.map((e) => e.type)).not.toContain('context.compacted');
    expect(ev.at(-2)).toMatchObject({ type: 'item.completed', item: { type: 'agent_message', text: 'All done.' } });
    expect(ev.at(-1)).toEqual({
      type: 'turn.completed',
      usage: { input_tokens: 8300, cached_input_tokens: 1000, cache_write_input_tokens: 0, output_tokens: 105, reasoning_output_tokens: 0 },
    });
  });

  it('on context_length_exceeded, compacts once and sends the request again', async () => {
    const h = home(wire, '');
    server.reply(
      failWith(400, { error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', param: 'input', code: 'context_length_exceeded' } }),
      turn({ text: 'SUMMARY: nothing done yet.', usage: { input: 100, output: 10 } }),
      turn({ text: 'Answer after compaction.', usage: { input: 50, output: 5 } }),
    );
    const r = await runCliAsync(['exec', 'what is in here?'], { home: h, cwd: gitWorkspace(), env });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Answer after compaction.\n');
    expect(r.stderr).toMatch(/\ncontext compacted: earlier conversation summarized because it no longer fit the context window \(~\d[\d,]* → ~\d[\d,]* tokens\)\n/);
    expect(server.requests).toHaveLength(3);
    const first = conversation(req(0));
    expect(noTools(req(1))).toBe(true);
    expect(conversation(req(1))).toEqual([...first, `user: ${COMPACT_PROMPT}`]);
    expect(conversation(req(2))).toEqual([...first, summaryLine('SUMMARY: nothing done yet.')]);
  });
});

describe('compaction: failures and settings', () => {
  it('a second context_length_exceeded after compacting fails the turn with the server message', async () => {
    const h = home('responses', '');
    const tooLong = { error: { message: 'Input exceeds the available context size.', type: 'invalid_request_error', code: 'context_length_exceeded' } };
    server.reply(failWith(400, tooLong), turn({ text: 'SUMMARY', usage: { input: 10, output: 1 } }), failWith(400, tooLong));
    const r = await runCliAsync(['exec', '--json', 'hello'], { home: h, cwd: gitWorkspace(), env });
    expect(r.status).toBe(1);
    expect(server.requests).toHaveLength(3);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ type: 'turn.failed', error: { message: expect.stringMatching(/no longer fits gpt-5\.4's context window/) } });
  });

  it('compact_prompt replaces our summary request', async () => {
    const h = home('responses', 'model_auto_compact_token_limit = 100\ncompact_prompt = "Summarize in one line."');
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'true' }, callId: 'c1' }], usage: { input: 500, output: 1 } }),
      turn({ text: 'one line', usage: { input: 10, output: 1 } }),
      turn({ text: 'ok', usage: { input: 10, output: 1 } }),
    );
    const r = await runCliAsync(['exec', '--json', 'go'], { home: h, cwd: gitWorkspace(), env });
    expect(r.status).toBe(0);
    expect(conversation(req(1)).at(-1)).toBe('user: Summarize in one line.');
  });

  it('experimental_compact_prompt_file is read when compact_prompt is not set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocx-prompt-'));
    writeFileSync(join(dir, 'compact.md'), 'Summarize from the file.');
    const h = home('responses', `model_auto_compact_token_limit = 100\nexperimental_compact_prompt_file = "${join(dir, 'compact.md')}"`);
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'true' }, callId: 'c1' }], usage: { input: 500, output: 1 } }),
      turn({ text: 'from file', usage: { input: 10, output: 1 } }),
      turn({ text: 'ok', usage: { input: 10, output: 1 } }),
    );
    const r = await runCliAsync(['exec', '--json', 'go'], { home: h, cwd: gitWorkspace(), env });
    expect(r.status).toBe(0);
    expect(conversation(req(1)).at(-1)).toBe('user: Summarize from the file.');
  });
});

describe('compaction and resume', () => {
  it('records the compaction; exec resume replays the compacted history, and compacts before the turn when the last response was over the limit', async () => {
    const h = home('responses');
    const cwd = gitWorkspace();
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo one' }, callId: 'call_1' }], usage: { input: 4000, output: 10 } }),
      turn({ text: `SUMMARY one, key ${env.MOCK_KEY}`, usage: { input: 2000, output: 20 } }),
      turn({ text: 'first answer', usage: { input: 200, output: 5 } }),
    );
    const r1 = await runCliAsync(['exec', '--json', 'first prompt'], { home: h, cwd, env });
    expect(r1.status).toBe(0);
    const id = String(jsonLines(r1.stdout)[0]?.thread_id);
    const compacted = conversation(req(2));

    // The rollout: a compacted line (summary message + replacement history) and a context_compacted event.
    const recs = rolloutOf(h);
    const at = recs.findIndex((x) => x.type === 'compacted');
    expect(at).toBeGreaterThan(0);
    const line = recs[at]?.payload as Json;
    // The recorder keeps secrets out of the file, the compaction included.
    expect(JSON.stringify(line)).not.toContain(env.MOCK_KEY);
    expect(line.message).toBe(`${SUMMARY_PREFIX}\nSUMMARY one, key [REDACTED]`);
    expect((line.replacement_history as Json[]).length).toBe(compacted.length);
    expect(recs[at + 1]).toMatchObject({ type: 'event_msg', payload: { type: 'context_compacted' } });
    expect(recs[at - 1]).toMatchObject({ type: 'event_msg', payload: { type: 'token_count', info: { last_token_usage: { input_tokens: 2000, output_tokens: 20 } } } });

    // Resume: the compacted history (as recorded), the answer after it, then the new prompt.
    server.reset();
    server.reply(turn({ text: 'second answer', usage: { input: 3000, output: 5 } }));
    const r2 = await runCliAsync(['exec', '--json', 'resume', id, 'second prompt'], { home: h, cwd, env });
    expect(r2.status).toBe(0);
    expect(server.requests).toHaveLength(1);
    const redacted = compacted.map((l) => l.replace(env.MOCK_KEY, '[REDACTED]'));
    expect(conversation(req(0))).toEqual([...redacted, 'assistant: first answer', 'user: second prompt']);

    // That answer reported 3,005 tokens (over the limit): the next resumed turn compacts before it starts.
    server.reset();
    server.reply(turn({ text: 'SUMMARY two', usage: { input: 3000, output: 10 } }), turn({ text: 'third answer', usage: { input: 100, output: 5 } }));
    const r3 = await runCliAsync(['exec', 'resume', id, 'third prompt'], { home: h, cwd, env });
    expect(r3.status).toBe(0);
    expect(r3.stderr).toMatch(/context compacted: earlier conversation summarized automatically/);
    expect(server.requests).toHaveLength(2);
    const before = conversation(req(0));
    expect(noTools(req(0))).toBe(true);
    expect(before.at(-1)).toBe(`user: ${COMPACT_PROMPT}`);
    expect(before).toContain('assistant: second answer');
    expect(before).not.toContain('user: third prompt');
    // The earlier summary is not kept as a prompt: the new summary covers it.
    expect(conversation(req(1)).slice(-4)).toEqual(['user: first prompt', 'user: second prompt', summaryLine('SUMMARY two'), 'user: third prompt']);
  });
});
