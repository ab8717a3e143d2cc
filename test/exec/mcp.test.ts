import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { startMcpHttpServer, type McpHttpServer } from '../support/mcp-http.js';
import { turn } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, useScriptedServer, type Json } from '../support/e2e.js';

const server = useScriptedServer();
const SERVER_JS = resolve(import.meta.dirname, '../support/mcp-server.mjs');
let http: McpHttpServer;
beforeAll(async () => {
  http = await startMcpHttpServer();
});
afterAll(async () => {
  await http.close();
});

/** A stdio server table for config.toml. */
const stdio = (name: string, extra = '', args: string[] = []) =>
  `[mcp_servers.${name}]\ncommand = ${JSON.stringify(process.execPath)}\nargs = ${JSON.stringify([SERVER_JS, ...args])}\n${extra}\n`;

function run(args: string[], o: { wire?: 'responses' | 'chat'; mcp?: string; model?: string; env?: Record<string, string> } = {}) {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "${o.model ?? 'gpt-5.4'}"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "${o.wire ?? 'responses'}"\nstream_max_retries = 0\n${o.mcp ?? ''}`,
  });
  return runCliAsync(['exec', ...args], { home, cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome, ...o.env }, timeoutMs: 30_000 });
}

/** Tool names offered in the n-th request (either wire). */
function offered(n: number): string[] {
  const tools = (server.requests[n]?.body?.tools ?? []) as Json[];
  return tools.map((t) => String(t.name ?? (t.function as Json | undefined)?.name));
}

function offeredTool(n: number, name: string): Json | undefined {
  const tools = (server.requests[n]?.body?.tools ?? []) as Json[];
  return tools.find((t) => t.name === name || (t.function as Json | undefined)?.name === name);
}

/** The output the model got for a call, in the n-th request (either wire). */
function outputFor(n: number, callId: string): unknown {
  const body = server.requests[n]?.body ?? {};
  for (const item of (body.input ?? []) as Json[]) if (item.type === 'function_call_output' && item.call_id === callId) return item.output;
  for (const m of (body.messages ?? []) as Json[]) if (m.role === 'tool' && m.tool_call_id === callId) return m.content;
  return undefined;
}

const mcpItems = (stdout: string) =>
  jsonLines(stdout).filter((e) => (e.item as Json | undefined)?.type === 'mcp_tool_call') as Array<{ type: string; item: Json }>;

describe('exec with MCP servers', () => {
  for (const wire of ['responses', 'chat'] as const) {
    it(`offers the tools and runs a call end to end (${wire})`, async () => {
      server.reply(turn({ toolCalls: [{ name: 'mcp__srv__echo', arguments: { text: 'hi there' }, callId: 'c1' }] }), turn({ text: 'done' }));
      const r = await run(['--json', 'go'], { wire, mcp: stdio('srv') });
      expect(r.status, r.stderr).toBe(0);
      expect(offered(0)).toEqual(expect.arrayContaining(['mcp__srv__echo', 'mcp__srv__fail', 'mcp__srv__add', 'mcp__srv__delete_all']));
      const echo = offeredTool(0, 'mcp__srv__echo') as Json;
      const params = (echo.parameters ?? (echo.function as Json).parameters) as Json;
      expect(params).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
      expect(echo.description ?? (echo.function as Json).description).toBe('Echoes the text back.');
      // A schema without a type or properties is made an object schema.
      const add = offeredTool(0, 'mcp__srv__add') as Json;
      expect(add.parameters ?? (add.function as Json).parameters).toMatchObject({ type: 'object', properties: { a: { type: 'number' } } });
      expect(outputFor(1, 'c1')).toBe('echo: hi there');
      const items = mcpItems(r.stdout);
      expect(items.map((e) => e.type)).toEqual(['item.started', 'item.completed']);
      expect(items[0]?.item).toEqual({
        id: items[0]?.item.id,
        type: 'mcp_tool_call',
        server: 'srv',
        tool: 'echo',
        arguments: { text: 'hi there' },
        result: null,
        error: null,
        status: 'in_progress',
      });
      expect(items[1]?.item).toEqual({
        id: items[0]?.item.id,
        type: 'mcp_tool_call',
        server: 'srv',
        tool: 'echo',
        arguments: { text: 'hi there' },
        result: { content: [{ type: 'text', text: 'echo: hi there' }], structured_content: null },
        error: null,
        status: 'completed',
      });
    });
  }

  it('talks to a streamable-HTTP server with the bearer token and configured headers', async () => {
    server.reply(turn({ toolCalls: [{ name: 'mcp__web__add', arguments: { a: 2, b: 3 }, callId: 'c1' }] }), turn({ text: 'five' }));
    const mcp = `[mcp_servers.web]\nurl = "${http.url}"\nbearer_token_env_var = "WEB_TOKEN"\nhttp_headers = { "X-Team" = "blue" }\nenv_http_headers = { "X-From-Env" = "WEB_HDR" }\n`;
    const r = await run(['--json', 'add'], { mcp, env: { WEB_TOKEN: 'sekrit', WEB_HDR: 'hv' } });
    expect(r.status, r.stderr).toBe(0);
    expect(outputFor(1, 'c1')).toBe('{"sum":5}');
    const done = mcpItems(r.stdout).at(-1)?.item;
    expect(done).toMatchObject({ server: 'web', tool: 'add', status: 'completed', result: { content: [], structured_content: { sum: 5 } } });
    expect(http.headers.at(-1)).toMatchObject({ authorization: 'Bearer sekrit', 'x-team': 'blue', 'x-from-env': 'hv' });
  });

  it('reports a tool error (isError) as a failed call, and the model sees the text', async () => {
    server.reply(turn({ toolCalls: [{ name: 'mcp__srv__fail', arguments: {}, callId: 'c1' }] }), turn({ text: 'it failed' }));
    const r = await run(['--json', 'go'], { mcp: stdio('srv') });
    expect(r.status).toBe(0);
    expect(outputFor(1, 'c1')).toBe('it broke');
    expect(mcpItems(r.stdout).at(-1)?.item).toMatchObject({ status: 'failed', error: null, result: { content: [{ type: 'text', text: 'it broke' }] } });
  });

  it('a server that fails to start is a warning and the run goes on; a required one fails the run', async () => {
    server.reply(turn({ text: 'fine without it' }));
    const ok = await run(['--json', 'go'], { mcp: stdio('broken', '', ['--fail-start']) + stdio('srv') });
    expect(ok.status, ok.stderr).toBe(0);
    const warning = jsonLines(ok.stdout).find((e) => (e.item as Json | undefined)?.type === 'error');
    expect(String((warning?.item as Json).message)).toMatch(/^MCP server `broken` failed to start: .*cannot open the database/);
    expect(offered(0)).toContain('mcp__srv__echo');
    expect(offered(0).some((n) => n.startsWith('mcp__broken__'))).toBe(false);

    const human = await run(['go'], { mcp: stdio('broken', '', ['--fail-start']) });
    expect(human.stderr).toMatch(/warning: MCP server `broken` failed to start/);

    server.reset();
    const failed = await run(['--json', 'go'], { mcp: stdio('broken', 'required = true', ['--fail-start']) });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr.trim().split('\n').at(-1)).toMatch(/^error: required MCP server `broken` failed to start: .* — fix \[mcp_servers\.broken\] in config\.toml/);
    expect(server.requests).toHaveLength(0);
  });

  it('a server that does not answer in time is reported with the startup timeout', async () => {
    server.reply(turn({ text: 'ok' }));
    const mcp = `[mcp_servers.mute]\ncommand = ${JSON.stringify(process.execPath)}\nargs = ["-e", "setTimeout(() => {}, 60000)"]\nstartup_timeout_ms = 300\n`;
    const started = Date.now();
    const r = await run(['--json', 'go'], { mcp });
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.stdout).toMatch(/MCP server `mute` failed to start: it did not answer within 0.3 s/);
  });

  it('honours enabled_tools, disabled_tools and enabled = false', async () => {
    server.reply(turn({ text: 'ok' }));
    const mcp = stdio('a', 'enabled_tools = ["echo", "add", "fail"]\ndisabled_tools = ["fail"]') + stdio('off', 'enabled = false');
    const r = await run(['--json', 'go'], { mcp });
    expect(r.status).toBe(0);
    expect(offered(0).filter((n) => n.startsWith('mcp__')).sort()).toEqual(['mcp__a__add', 'mcp__a__echo']);
  });

  it('gives the stdio child only the basic environment, env_vars and env', async () => {
    server.reply(turn({ toolCalls: [{ name: 'mcp__srv__env', arguments: {}, callId: 'c1' }] }), turn({ text: 'ok' }));
    const r = await run(['--json', 'go'], { mcp: stdio('srv', 'env_vars = ["PASS_ME"]\nenv = { SET_HERE = "1" }'), env: { PASS_ME: 'x', OPENAI_API_KEY: 'sk-nope', SECRET_THING: 'y' } });
    expect(r.status).toBe(0);
    const names = String(outputFor(1, 'c1')).split(',');
    expect(names).toEqual(expect.arrayContaining(['PASS_ME', 'SET_HERE', 'PATH', 'HOME']));
    expect(names).not.toContain('OPENAI_API_KEY');
    expect(names).not.toContain('MOCK_KEY');
    expect(names).not.toContain('SECRET_THING');
  });

  it('declines a call that needs approval (destructive, or approval_mode = prompt) in exec, with a message for the model', async () => {
    server.reply(
      turn({ toolCalls: [{ name: 'mcp__srv__delete_all', arguments: {}, callId: 'c1' }, { name: 'mcp__srv__echo', arguments: { text: 'x' }, callId: 'c2' }] }),
      turn({ text: 'ok' }),
    );
    const r = await run(['--json', 'go'], { mcp: stdio('srv', '[mcp_servers.srv.tools.echo]\napproval_mode = "prompt"') });
    expect(r.status).toBe(0);
    expect(String(outputFor(1, 'c1'))).toMatch(/^MCP tool call not run: srv\/delete_all needs approval .*approval policy is never/);
    expect(String(outputFor(1, 'c2'))).toMatch(/^MCP tool call not run: srv\/echo needs approval \(approval_mode is prompt\)/);
    const done = mcpItems(r.stdout).filter((e) => e.type === 'item.completed');
    expect(done.map((e) => e.item.status)).toEqual(['failed', 'failed']);
    expect(done[0]?.item.result).toBeNull();
    expect(String((done[0]?.item.error as Json).message)).toMatch(/needs approval/);

    // approval_mode = "approve" runs it; so does full access.
    server.reply(turn({ toolCalls: [{ name: 'mcp__srv__delete_all', arguments: {}, callId: 'c1' }] }), turn({ text: 'ok' }));
    const approved = await run(['--json', 'go'], { mcp: stdio('srv', 'default_tools_approval_mode = "approve"') });
    expect(approved.status).toBe(0);
    expect(outputFor(3, 'c1')).toBe('deleted everything');
  });

  it('passes images to a model that takes them', async () => {
    server.reply(turn({ toolCalls: [{ name: 'mcp__srv__image', arguments: {}, callId: 'c1' }] }), turn({ text: 'saw it' }));
    const r = await run(['--json', 'go'], { mcp: stdio('srv') });
    expect(r.status).toBe(0);
    const out = outputFor(1, 'c1') as Json[];
    expect(out).toEqual([{ type: 'input_text', text: 'a pixel:' }, { type: 'input_image', image_url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) }]);
  });

  it('a call that outlives tool_timeout_sec fails with the timeout', async () => {
    server.reply(turn({ toolCalls: [{ name: 'mcp__srv__slow', arguments: { ms: 5000 }, callId: 'c1' }] }), turn({ text: 'gave up' }));
    const r = await run(['--json', 'go'], { mcp: stdio('srv', 'tool_timeout_sec = 0.3') });
    expect(r.status).toBe(0);
    expect(String(outputFor(1, 'c1'))).toMatch(/^tool call timed out after 0.3 s \(tool_timeout_sec of \[mcp_servers\.srv\]\)/);
    expect(mcpItems(r.stdout).at(-1)?.item).toMatchObject({ status: 'failed', result: null, error: { message: expect.stringMatching(/timed out/) } });
  });

  it('prints mcp progress lines in human mode', async () => {
    server.reply(turn({ toolCalls: [{ name: 'mcp__srv__echo', arguments: { text: 'x' }, callId: 'c1' }] }), turn({ text: 'done' }));
    const r = await run(['go'], { mcp: stdio('srv') });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/mcp: srv\/echo started\n/);
    expect(r.stderr).toMatch(/mcp: srv\/echo \(completed\)\n/);
  });
});
