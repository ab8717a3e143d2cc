/**
 * A custom agent type's own MCP server end to end (issue #14), over both wire APIs: the agent file in the
 * home declares a real stdio MCP server; the parent model spawns a helper of that type and waits on it;
 * the helper's request offers the server's tool (the parent's do not), the helper calls it and the result
 * reaches its next request, its answer reaches the parent, and the server process is gone when the run ends.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { dynamic, turn, type RecordedRequest, type Reply } from '../support/scripted-server.js';
import { gitWorkspace, quietHome, useScriptedServer, type Json } from '../support/e2e.js';

const server = useScriptedServer();
const SERVER_JS = resolve(import.meta.dirname, '../support/mcp-server.mjs');

function homeFor(wire: 'responses' | 'chat', pidFile: string): string {
  const librarian =
    'name = "librarian"\ndescription = "looks things up with its catalogue tool"\ndeveloper_instructions = "use the catalogue"\n' +
    `[mcp_servers.catalogue]\ncommand = ${JSON.stringify(process.execPath)}\nargs = ${JSON.stringify([SERVER_JS, '--pid-file', pidFile])}\n`;
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n` +
      `wire_api = "${wire}"\nrequest_max_retries = 0\nstream_max_retries = 0\n${wire === 'responses' ? 'supports_tool_namespaces = true\n' : ''}`,
    'agents/librarian.toml': librarian,
  });
}

function outputOf(callId: string, req: RecordedRequest | undefined): string | undefined {
  const body = req?.body ?? {};
  for (const i of (body.input ?? []) as Json[]) if (i.type === 'function_call_output' && i.call_id === callId) return String(i.output);
  for (const m of (body.messages ?? []) as Json[]) if (m.role === 'tool' && m.tool_call_id === callId) return String(m.content);
  return undefined;
}

const toolNames = (req: RecordedRequest | undefined): string[] =>
  ((req?.body?.tools ?? []) as Json[]).map((t) => String(t.name ?? (t.function as Json | undefined)?.name));
const call = (name: string, args: Record<string, unknown>, callId: string): Reply => turn({ toolCalls: [{ name, arguments: args, callId, namespace: 'multi_agent_v1' }] });
const inputText = (req: RecordedRequest): string => JSON.stringify(req.body?.input ?? req.body?.messages ?? []);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.each(['responses', 'chat'] as const)('a custom agent’s MCP server over %s', (wire) => {
  it('is started for its helper, offered to it alone, called by it, and gone when the run ends', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'agent-mcp-e2e-')), 'pids');
    const task = 'CATALOGUE-TASK: find the widget book';
    server.route(
      task,
      turn({ toolCalls: [{ name: 'mcp__catalogue__echo', arguments: { text: 'widget book' }, callId: 'lookup1' }] }),
      turn({ text: 'shelf 7 has it' }),
    );
    server.reply(
      call('spawn_agent', { message: task, agent_type: 'librarian' }, 'spawn1'),
      dynamic((req) => {
        const id = (JSON.parse(outputOf('spawn1', req) ?? '{}') as { agent_id: string }).agent_id;
        return call('wait_agent', { targets: [id], timeout_ms: 15_000 }, 'wait1');
      }),
      turn({ text: 'the helper found it' }),
    );
    const r = await runCliAsync(['exec', '--json', 'ask a librarian helper'], { home: homeFor(wire, pidFile), cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome } });
    expect(r.status, r.stderr).toBe(0);

    const child = server.requests.filter((q) => inputText(q).includes(task) && !inputText(q).includes('ask a librarian'));
    expect(child).toHaveLength(2);
    expect(toolNames(child[0])).toContain('mcp__catalogue__echo');
    expect(outputOf('lookup1', child[1])).toBe('echo: widget book');
    const parent = server.requests.filter((q) => inputText(q).includes('ask a librarian'));
    expect(parent).toHaveLength(3);
    // The type's server is its helpers' only.
    for (const q of parent) expect(toolNames(q).some((n) => n.startsWith('mcp__catalogue'))).toBe(false);
    expect(outputOf('spawn1', parent[1])).not.toContain('warnings');
    const waited = JSON.parse(outputOf('wait1', parent[2]) ?? '{}') as { status: Record<string, unknown> };
    expect(Object.values(waited.status)).toEqual([{ completed: 'shelf 7 has it' }]);

    const pids = readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number);
    expect(pids).toHaveLength(1);
    // The run's end closed the helper's server (waited on with a bound, never a fixed sleep).
    for (let i = 0; i < 200 && alive(pids[0] as number); i++) await new Promise((r) => setTimeout(r, 25));
    expect(alive(pids[0] as number)).toBe(false);
  });
});
