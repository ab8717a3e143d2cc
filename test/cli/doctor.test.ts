/**
 * `opencodex doctor` end to end: the built CLI against the scripted server — a working provider on each wire,
 * a provider that is down, Chat servers of different dialects (streamed or whole arguments, ids or none, the
 * reasoning field, the usage chunk, a rejected parameter), a config that does not load, and a PATH without
 * bwrap (real bubblewrap otherwise).
 */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { failWith, turn, type ChatVariant } from '../support/scripted-server.js';
import { gitWorkspace, quietHome, useScriptedServer, type Json } from '../support/e2e.js';

const server = useScriptedServer();
const KEY = 'sk-doctor-secret-98765';
const env = { MOCK_KEY: KEY, HOME: quietHome };

function home(wire: 'responses' | 'chat', providerExtra = '', baseUrl = server.url, rootExtra = ''): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n${rootExtra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${baseUrl}"\nenv_key = "MOCK_KEY"\nwire_api = "${wire}"\n${providerExtra}\n`,
  });
}

const doctor = (h: string, args: string[] = [], extraEnv: Record<string, string> = {}) => runCliAsync(['doctor', ...args], { home: h, cwd: gitWorkspace(), env: { ...env, ...extraEnv }, timeoutMs: 40_000 });

/** The check lines (mark + title) of one section of the human report. */
function section(stdout: string, name: string): string[] {
  const block = stdout.split('\n\n').find((b) => b.startsWith(`${name}\n`)) ?? '';
  return block.split('\n').slice(1);
}

/** A Chat turn that calls the doctor's test tool, in a dialect. */
const toolTurn = (chat: ChatVariant, reasoning?: string) => turn({ ...(reasoning ? { reasoningText: reasoning } : {}), toolCalls: [{ name: 'doctor_echo', arguments: { word: 'ok' }, callId: 'call_doc' }], chat });

describe('doctor', () => {
  it('a working Responses provider: every section, the key masked, one real request; --json as data', async () => {
    server.serveModels(['gpt-5.4', 'gpt-5.4-mini']);
    server.reply(turn({ text: 'ok' }));
    const h = home('responses', '', server.url, 'personality = "pragmatic"\nshiny = 1');
    const r = await doctor(h);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain(KEY);
    expect(section(r.stdout, 'auth')).toEqual(['  ✓ key sk-***8765 from env MOCK_KEY']);
    const provider = section(r.stdout, 'provider');
    expect(provider[0]).toBe(`  ✓ mock (Mock): wire_api responses, ${server.url}, model gpt-5.4`);
    expect(provider.slice(1, 3)).toEqual(['  ✓ GET /models: 2 models, gpt-5.4 among them', '      gpt-5.4, gpt-5.4-mini']);
    expect(provider[3]).toMatch(/^ {2}✓ a test request to gpt-5\.4 \(responses\) answered in \d+\.\d s: “ok” \(10 tokens in, 5 out\)$/);
    expect(section(r.stdout, 'sandbox')).toEqual([
      '  ✓ sandbox_mode read-only',
      expect.stringMatching(/^ {2}✓ bubblewrap \/\S+\/bwrap$/),
      expect.stringMatching(/^ {2}[✓⚠] user namespaces: /),
      '  ✓ capabilities: all dropped',
      '  ✓ network: isolated (loopback only)',
      '  ✓ files: read-only outside the writable roots',
    ]);
    expect(section(r.stdout, 'config')).toEqual([
      `  ✓ home ${h}`,
      '  ✓ 1 config file read',
      `      file ${h}/config.toml (8 settings)`,
      '  ✓ 1 setting accepted and ignored (Codex features opencodex does not have)',
      `      personality: opencodex has no personalities (file ${h}/config.toml)`,
      '  ⚠ 1 unrecognized setting, left out',
      '      shiny',
      '      fix: fix or remove them (--strict-config makes them an error)',
    ]);
    expect(r.stdout).toMatch(/\ngit\n {2}✓ git version /);
    expect(r.stdout).toMatch(/\nNo problems; 1 warning\.\n$/);
    expect(server.requests.filter((q) => q.wire === 'responses')).toHaveLength(1);
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${KEY}`);

    server.reply(turn({ text: 'ok' }));
    const j = await doctor(h, ['--json']);
    expect(j.status).toBe(0);
    const report = JSON.parse(j.stdout) as { ok: boolean; checks: Json[] };
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.section === 'auth')).toEqual({ section: 'auth', status: 'ok', title: 'key sk-***8765 from env MOCK_KEY', details: [], fix: null });
    expect(new Set(report.checks.map((c) => c.section))).toEqual(new Set(['install', 'config', 'auth', 'provider', 'sandbox', 'disk', 'git']));
  });

  it('a provider that is down fails with the reason and the fix, and exit 1; so does a missing key', async () => {
    const r = await doctor(home('responses', '', 'http://127.0.0.1:9/v1'));
    expect(r.status).toBe(1);
    expect(section(r.stdout, 'provider').slice(1)).toEqual([
      '  ✗ not reachable: could not connect to Mock at http://127.0.0.1:9/v1: connection refused',
      '      fix: check the network connection and the provider base_url',
    ]);
    expect(r.stdout).toMatch(/\n1 problem to fix/);

    const noKey = await doctor(home('responses'), [], { MOCK_KEY: '' });
    expect(noKey.status).toBe(1);
    expect(section(noKey.stdout, 'auth')).toEqual(['  ✗ no API key for provider mock: environment variable MOCK_KEY is not set', '      fix: set MOCK_KEY']);
    expect(section(noKey.stdout, 'provider').slice(1)).toEqual(['  ⚠ not contacted: no key to send (see auth)']);
    expect(server.requests).toHaveLength(0);
  });

  it('a Chat server of the OpenAI kind: streamed arguments, ids, reasoning_content, a usage chunk — the settings fit', async () => {
    server.serveModels(['gpt-5.4']);
    server.reply(toolTurn({}, 'thinking'));
    const r = await doctor(home('chat'));
    expect(r.status).toBe(0);
    const lines = section(r.stdout, 'provider');
    expect(lines[3]).toMatch(/^ {2}✓ a test request to gpt-5\.4 \(chat\) answered in \d+\.\d s: a tool call \(10 tokens in, 5 out\)$/);
    expect(lines.slice(4)).toEqual([
      '  ✓ Chat dialect: the settings in effect fit this server',
      expect.stringMatching(/^ {6}tool-call arguments: streamed in \d+ fragments$/),
      '      tool-call ids: sent',
      '      reasoning field: reasoning_content',
      '      usage: a chunk of its own',
      '      dialect in effect: generic',
    ]);
    const sent = server.requests.find((q) => q.wire === 'chat')?.body ?? {};
    expect((sent.tools as Json[])[0]).toMatchObject({ type: 'function', function: { name: 'doctor_echo' } });
  });

  it('a Chat server of the Ollama kind: whole arguments, no ids, `reasoning`, no usage — says what to set', async () => {
    server.serveModels(['gpt-5.4']);
    server.reply(toolTurn({ wholeArguments: true, omitIds: true, reasoningField: 'reasoning', noUsage: true }, 'hmm'));
    const r = await doctor(home('chat'));
    expect(r.status).toBe(0);
    expect(section(r.stdout, 'provider').slice(3)).toEqual([
      expect.stringMatching(/^ {2}✓ a test request to gpt-5\.4 \(chat\) answered in \d+\.\d s: a tool call \(no usage reported\)$/),
      '  ⚠ Chat dialect: some settings do not fit this server',
      '      tool-call arguments: whole, in one chunk',
      '      tool-call ids: missing (opencodex makes them up)',
      '      reasoning field: reasoning',
      '      usage: none',
      '      dialect in effect: generic',
      '      fix: set [model_providers.mock] chat_reasoning_echo = "reasoning" (the server streams reasoning as `reasoning`, so it reads it back from that field)',
      '  ⚠ the server reports no token usage',
      '      fix: nothing to set: token counts and auto-compaction fall back to estimates',
    ]);
  });

  it('a Chat server that rejects a parameter: the request fails with the setting that stops it; a model that does not call tools is flagged', async () => {
    server.serveModels(['gpt-5.4']);
    server.reply(failWith(400, { error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error', param: null, code: null } }));
    const r = await doctor(home('chat'));
    expect(r.status).toBe(1);
    expect(section(r.stdout, 'provider').slice(3)).toEqual([
      expect.stringMatching(/^ {2}✗ a test request to gpt-5\.4 \(chat\) failed: .*stream_options/),
      '      fix: the server rejects stream_options: set [model_providers.mock] chat_stream_usage = false',
    ]);

    server.reply(turn({ text: 'ok' }));
    const fixed = await doctor(home('chat', 'chat_stream_usage = false'));
    expect(fixed.status).toBe(0);
    expect(server.requests.at(-1)?.body?.stream_options).toBeUndefined();
    expect(fixed.stdout).toContain('  ⚠ the model answered without calling the test tool, so tool calling is unproven\n');
  });

  it('without bwrap on PATH the sandbox fails (exit 1); a config that does not load is a failed check and the rest still runs', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'ocx-nobwrap-'));
    for (const tool of ['git', 'sh']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
    server.serveModels(['gpt-5.4']);
    server.reply(turn({ text: 'ok' }));
    const r = await doctor(home('responses'), [], { PATH: bin });
    expect(r.status).toBe(1);
    expect(section(r.stdout, 'sandbox')).toEqual([
      '  ✓ sandbox_mode read-only',
      '  ✗ bubblewrap (bwrap) was not found on PATH, so sandboxed commands cannot run',
      expect.stringMatching(/^ {6}fix: install bubblewrap \(Debian\/Ubuntu: apt-get install bubblewrap/),
    ]);
    expect(r.stdout).toMatch(/\ngit\n {2}✓ git version /);

    // With no sandbox in use, a missing bwrap is a warning only.
    server.reply(turn({ text: 'ok' }));
    const unsandboxed = await doctor(home('responses', '', server.url, 'sandbox_mode = "danger-full-access"'), [], { PATH: bin });
    expect(unsandboxed.status).toBe(0);
    expect(section(unsandboxed.stdout, 'sandbox').slice(0, 2)).toEqual(['  ✓ sandbox_mode danger-full-access', '  ⚠ bubblewrap (bwrap) was not found on PATH, so sandboxed commands cannot run']);

    const broken = makeHome({ 'config.toml': 'model = \n' });
    mkdirSync(join(broken, 'sessions'));
    const b = await doctor(broken);
    expect(b.status).toBe(1);
    expect(section(b.stdout, 'config')[0]).toMatch(/^ {2}✗ the configuration does not load: /);
    expect(section(b.stdout, 'provider')).toEqual(['  ⚠ not checked: the configuration does not load']);
    expect(section(b.stdout, 'sandbox')).toContain('  ✓ capabilities: all dropped');
  });
});
