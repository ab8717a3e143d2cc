import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpResultOutput } from '../../src/agent/tools/mcp.js';
import type { Config, McpServerConfig } from '../../src/config/index.js';
import {
  callNeedsApproval,
  httpServerHeaders,
  normalizeInputSchema,
  qualifyToolNames,
  sanitizeToolName,
  startMcpServers,
  stdioServerEnv,
  toolApprovalMode,
  type ServerConnection,
} from '../../src/mcp/index.js';
import { UserError } from '../../src/shared/index.js';
import { startMcpHttpServer, type McpHttpServer } from '../support/mcp-http.js';

const SERVER_JS = resolve(import.meta.dirname, '../support/mcp-server.mjs');
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const config = (servers: Record<string, McpServerConfig>): Config => ({ mcp_servers: servers }) as Config;

describe('tool names', () => {
  it('qualifies and sanitizes names to [a-zA-Z0-9_-]', () => {
    expect(sanitizeToolName('a.b c/d-e_f')).toBe('a_b_c_d-e_f');
    expect(qualifyToolNames([{ server: 'srv', tool: 'echo' }, { server: 'my.server', tool: 'read file' }])).toEqual(['mcp__srv__echo', 'mcp__my_server__read_file']);
  });

  it('gives a name that collides once sanitized the SHA-1 of its raw name, and drops exact duplicates', () => {
    const names = qualifyToolNames([
      { server: 's', tool: 'a.b' },
      { server: 's', tool: 'a_b' },
      { server: 's', tool: 'a.b' },
    ]);
    expect(names[0]).toBe('mcp__s__a_b');
    expect(names[1]).toBe(`mcp__s__a_b`.slice(0, 24) + sha1('mcp__s__a_b'));
    expect(names[2]).toBeNull();
  });

  it('keeps names within 64 bytes, ending with the hash when cut', () => {
    const tool = 'x'.repeat(80);
    const [name] = qualifyToolNames([{ server: 'srv', tool }]);
    expect(name).toHaveLength(64);
    expect(name).toBe(`mcp__srv__${tool}`.slice(0, 24) + sha1(`mcp__srv__${tool}`));
    expect(qualifyToolNames([{ server: 's', tool: 'y'.repeat(56) }])[0]).toBe(`mcp__s__${'y'.repeat(56)}`);
  });
});

describe('schemas, approvals, environment, headers', () => {
  it('normalizes input schemas to object schemas with properties', () => {
    expect(normalizeInputSchema(undefined)).toEqual({ type: 'object', properties: {} });
    expect(normalizeInputSchema({ properties: { a: { type: 'number' } } })).toEqual({ type: 'object', properties: { a: { type: 'number' } } });
    expect(normalizeInputSchema({ type: 'object', required: 'a' })).toEqual({ type: 'object', properties: {} });
    expect(normalizeInputSchema({ type: 'object', properties: {}, required: ['a'], additionalProperties: false })).toEqual({ type: 'object', properties: {}, required: ['a'], additionalProperties: false });
  });

  it('decides approvals as Codex does: tool mode, else server default, else auto by hints', () => {
    const s: McpServerConfig = { command: 'x', default_tools_approval_mode: 'prompt', tools: { echo: { approval_mode: 'approve' } } };
    expect(toolApprovalMode(s, 'echo')).toBe('approve');
    expect(toolApprovalMode(s, 'other')).toBe('prompt');
    expect(toolApprovalMode({ command: 'x' }, 'other')).toBe('auto');
    expect(callNeedsApproval('approve', { destructiveHint: true })).toBe(false);
    expect(callNeedsApproval('prompt', { readOnlyHint: true })).toBe(true);
    expect(callNeedsApproval('auto', undefined)).toBe(false);
    expect(callNeedsApproval('auto', { readOnlyHint: true })).toBe(false);
    expect(callNeedsApproval('auto', { readOnlyHint: true, destructiveHint: true })).toBe(true);
    expect(callNeedsApproval('auto', {})).toBe(true);
    expect(callNeedsApproval('auto', { destructiveHint: false, openWorldHint: false })).toBe(false);
    expect(callNeedsApproval('auto', { destructiveHint: false })).toBe(true);
  });

  it('builds the stdio environment from the basic variables, env_vars and env only', () => {
    const env = { PATH: '/bin', HOME: '/h', OPENAI_API_KEY: 'sk', EXTRA: 'e', TZ: 'UTC' };
    expect(stdioServerEnv({ command: 'x' }, env)).toEqual({ PATH: '/bin', HOME: '/h', TZ: 'UTC' });
    expect(stdioServerEnv({ command: 'x', env_vars: ['EXTRA', 'MISSING'], env: { TZ: 'Europe/Paris', K: 'v' } }, env)).toEqual({ PATH: '/bin', HOME: '/h', TZ: 'Europe/Paris', EXTRA: 'e', K: 'v' });
  });

  it('builds HTTP headers and reports an unset bearer variable', () => {
    const s: McpServerConfig = { url: 'http://x', http_headers: { A: '1' }, env_http_headers: { B: 'HB', C: 'HC' }, bearer_token_env_var: 'TOK' };
    expect(httpServerHeaders('x', s, { HB: 'b', HC: ' ', TOK: 't' })).toEqual({ headers: { A: '1', B: 'b', Authorization: 'Bearer t' } });
    expect(httpServerHeaders('x', s, {})).toEqual({ error: 'environment variable TOK (bearer_token_env_var of MCP server `x`) is not set' });
  });
});

describe('tool output for the model', () => {
  const result = { content: [{ type: 'text', text: 'one' }, { type: 'image', data: 'AAAA', mimeType: 'image/jpeg' }, { type: 'resource_link', uri: 'file:///a', name: 'a' }], isError: false };

  it('joins text, and passes images only to models that take them', () => {
    expect(mcpResultOutput(result, true)).toEqual([
      { type: 'input_text', text: 'one' },
      { type: 'input_image', image_url: 'data:image/jpeg;base64,AAAA' },
      { type: 'input_text', text: '[resource a: file:///a]' },
    ]);
    expect(mcpResultOutput(result, false)).toBe('one\n[an image was returned here; this model does not take images]\n[resource a: file:///a]');
  });

  it('gives structured content as JSON when there is no text, and embedded resource text as is', () => {
    expect(mcpResultOutput({ content: [], structuredContent: { sum: 3 }, isError: false }, true)).toBe('{"sum":3}');
    expect(mcpResultOutput({ content: [{ type: 'text', text: 'three' }], structuredContent: { sum: 3 }, isError: false }, true)).toBe('three');
    expect(mcpResultOutput({ content: [{ type: 'resource', resource: { uri: 'u', text: 'body' } }], isError: false }, false)).toBe('body');
  });
});

describe('startMcpServers', () => {
  let http: McpHttpServer;
  beforeAll(async () => {
    http = await startMcpHttpServer();
  });
  afterAll(async () => {
    await http.close();
  });

  it('starts nothing, and loads nothing, without enabled servers', async () => {
    const none = await startMcpServers(config({ off: { command: 'does-not-exist', enabled: false } }));
    expect(none.tools).toEqual([]);
    expect(none.warnings).toEqual([]);
  });

  it('connects a stdio and an HTTP server in parallel, lists and calls their tools, and closes them', async () => {
    const c = await startMcpServers(
      config({
        local: { command: process.execPath, args: [SERVER_JS], disabled_tools: ['slow'], supports_parallel_tool_calls: true },
        remote: { url: http.url, enabled_tools: ['echo'] },
      }),
    );
    try {
      expect(c.warnings).toEqual([]);
      expect(c.tools.filter((t) => t.server === 'remote').map((t) => t.qualifiedName)).toEqual(['mcp__remote__echo']);
      const local = c.tools.filter((t) => t.server === 'local');
      expect(local.map((t) => t.tool)).toEqual(['echo', 'fail', 'add', 'env', 'image', 'delete_all']);
      expect(local[0]).toMatchObject({ parallel: true, approvalMode: 'auto', annotations: { readOnlyHint: true }, description: 'Echoes the text back.' });
      const abort = new AbortController();
      expect(await c.callTool('remote', 'echo', { text: 'over http' }, abort.signal)).toEqual({ ok: true, result: { content: [{ type: 'text', text: 'echo: over http' }], isError: false } });
      expect(await c.callTool('local', 'fail', {}, abort.signal)).toEqual({ ok: true, result: { content: [{ type: 'text', text: 'it broke' }], isError: true } });
      expect(await c.callTool('nope', 'x', {}, abort.signal)).toEqual({ ok: false, message: 'MCP server `nope` is not running' });
    } finally {
      await c.close();
    }
    expect(await c.callTool('local', 'echo', { text: 'x' }, new AbortController().signal)).toEqual({ ok: false, message: 'MCP server `local` is not running' });
  });

  it('warns about a server that fails, and throws one UserError for a required one', async () => {
    const c = await startMcpServers(config({ bad: { command: process.execPath, args: [SERVER_JS, '--fail-start'] }, missing: { command: '/nonexistent/server' } }));
    expect(c.warnings).toHaveLength(2);
    expect(c.warnings[0]).toMatch(/^MCP server `bad` failed to start: .*\(server said: cannot open the database\)$/);
    expect(c.warnings[1]).toMatch(/^MCP server `missing` failed to start: .*ENOENT/);
    await expect(startMcpServers(config({ bad: { url: 'http://127.0.0.1:1/mcp', required: true } }))).rejects.toThrow(UserError);
    await expect(startMcpServers(config({ bad: { url: http.url, bearer_token_env_var: 'UNSET_VAR_X', required: true } }), { env: {} })).rejects.toThrow(
      /^required MCP server `bad` failed to start: environment variable UNSET_VAR_X/,
    );
  });

  it('closes a connection that arrives after the startup timeout', async () => {
    let closed = 0;
    let onClose = (): void => undefined;
    const closing = new Promise<void>((r) => (onClose = r));
    const slow = (): Promise<ServerConnection> =>
      new Promise((resolvePromise) =>
        setTimeout(
          () =>
            resolvePromise({
              listTools: async () => [],
              callTool: async () => ({ ok: false, message: 'unused' }),
              close: async () => {
                closed++;
                onClose();
              },
            }),
          150,
        ),
      );
    const c = await startMcpServers(config({ late: { command: 'x', startup_timeout_ms: 50 } }), { connect: slow });
    expect(c.warnings).toEqual(['MCP server `late` failed to start: it did not answer within 0.05 s (startup_timeout_sec)']);
    await closing; // the late connection is closed when it arrives (the test times out if it never is)
    expect(closed).toBe(1);
  });
});

describe('ApprovalSession.authorizeMcpTool', () => {
  const req = { server: 's', tool: 't', arguments: { a: 1 }, reason: 'why', rememberable: true };

  it('asks, remembers "for this session" only when rememberable, and declines under never without asking', async () => {
    const { ApprovalSession, sandboxPolicyFor } = await import('../../src/sandbox/index.js');
    const asked: unknown[] = [];
    const approver = { ask: async (q: unknown) => (asked.push(q), { answer: 'approve-session' as const }) };
    const sandbox = sandboxPolicyFor('read-only');
    const a = new ApprovalSession({ policy: 'on-request', sandbox, root: '/', approver });
    expect(await a.authorizeMcpTool(req)).toEqual({ run: true });
    expect(await a.authorizeMcpTool(req)).toEqual({ run: true });
    expect(asked).toEqual([{ kind: 'mcp_tool', server: 's', tool: 't', arguments: { a: 1 }, reason: 'why' }]);
    await a.authorizeMcpTool({ ...req, tool: 'p', rememberable: false });
    await a.authorizeMcpTool({ ...req, tool: 'p', rememberable: false });
    expect(asked).toHaveLength(3);

    const never = new ApprovalSession({ policy: 'never', sandbox, root: '/', approver });
    const r = await never.authorizeMcpTool(req);
    expect(r.run).toBe(false);
    expect(asked).toHaveLength(3);

    const deny = new ApprovalSession({ policy: 'untrusted', sandbox, root: '/', approver: { ask: async () => ({ answer: 'deny' as const }) } });
    expect(await deny.authorizeMcpTool(req)).toEqual({ run: false, message: 'user rejected MCP tool call' });
  });
});
