/**
 * A custom agent type's own MCP servers (issue #14), in process with real stdio servers and real child
 * sessions on the scripted server: started for each helper of the type, offered with the session's
 * servers (the type's server replacing a session server of the same name), a failing one a warning in
 * the spawn result, a failing required one a spawn error naming the agent file, and all of them closed
 * when the helper is closed or the session ends.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collabTools, CollabError, type SubagentManager } from '../../../src/agent/collab/index.js';
import type { AgentEvent } from '../../../src/agent/index.js';
import { startMcpServers, type McpConnections } from '../../../src/mcp/index.js';
import type { ApprovalQuestion } from '../../../src/sandbox/index.js';
import type { Config } from '../../../src/config/index.js';
import { useScriptedServer } from '../../support/e2e.js';
import { turn, type RecordedRequest } from '../../support/scripted-server.js';
import { setupAgent } from './helpers.js';

const server = useScriptedServer();
const SERVER_JS = resolve(import.meta.dirname, '../../support/mcp-server.mjs');
const never = new AbortController().signal;
const tempDir = () => mkdtempSync(join(tmpdir(), 'agent-mcp-'));

/** A stdio server table (`[mcp_servers.<name>]`) running the test server, its pid appended to `pidFile`. */
const stdio = (name: string, pidFile: string, extra = '', args: string[] = []) =>
  `[mcp_servers.${name}]\ncommand = ${JSON.stringify(process.execPath)}\nargs = ${JSON.stringify([SERVER_JS, '--pid-file', pidFile, ...args])}\n${extra}\n`;

const agentFile = (servers: string) => `name = "librarian"\ndescription = "looks things up"\ndeveloper_instructions = "use your tools"\n${servers}`;

const toolNames = (req: RecordedRequest | undefined): string[] => ((req?.body?.tools ?? []) as Array<{ name?: string }>).map((t) => String(t.name));
const requestWith = (text: string) => server.requests.find((q) => q.rawBody.includes(text));

const pids = (file: string): number[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Waits (bounded) until every process is gone. */
async function gone(list: number[]): Promise<boolean> {
  for (let i = 0; i < 200 && list.some(alive); i++) await new Promise((r) => setTimeout(r, 25));
  return !list.some(alive);
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});
const track = (m: SubagentManager, mcp?: McpConnections) => cleanup.push(async () => {
  await m.shutdown();
  await mcp?.close();
});

describe('a custom agent type’s mcp_servers', () => {
  it('a server that fails to start: the helper starts without it, the spawn result says which and why; the others run and close with the helper', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pids');
    const files = { 'agents/librarian.toml': agentFile(stdio('good', pidFile) + stdio('broken', join(dir, 'broken-pids'), '', ['--fail-start'])) };
    const { manager, owner, warnings } = setupAgent(server, { files });
    track(manager);
    // The servers are no longer said not to start.
    expect(warnings.join('\n')).not.toMatch(/mcp_servers/);
    server.route('LOOKUP-TASK', turn({ text: 'found it' }));
    const a = await manager.spawn(owner, { message: 'LOOKUP-TASK', agentType: 'librarian' });
    expect(a.warnings).toHaveLength(1);
    expect(a.warnings[0]).toMatch(/^MCP server `broken` failed to start: .*cannot open the database/);
    expect((await manager.wait([a.id], 10_000, never)).status[a.id]).toEqual({ completed: 'found it' });
    const offered = toolNames(requestWith('LOOKUP-TASK'));
    expect(offered).toEqual(expect.arrayContaining(['mcp__good__echo', 'mcp__good__add']));
    expect(offered.some((n) => n.startsWith('mcp__broken'))).toBe(false);
    const started = pids(pidFile);
    expect(started).toHaveLength(1);
    expect(alive(started[0] as number)).toBe(true);
    manager.close(a.id);
    expect(await gone(started)).toBe(true);
  });

  it('a required server that fails makes the spawn an error naming it and its agent file; no helper is left', async () => {
    const dir = tempDir();
    const files = { 'agents/librarian.toml': agentFile(stdio('broken', join(dir, 'pids'), 'required = true', ['--fail-start'])) };
    const { manager, owner } = setupAgent(server, { files });
    track(manager);
    const spawning = manager.spawn(owner, { message: 'never runs', agentType: 'librarian' });
    await expect(spawning).rejects.toThrow(CollabError);
    await expect(spawning).rejects.toThrow(
      /^could not start the agent: required MCP server `broken` failed to start: .*cannot open the database.*\(fix \[mcp_servers\.broken\] in the agent file .*librarian\.toml, or set required = false there\)$/,
    );
    expect(manager.list()).toEqual([]);
    expect(requestWith('never runs')).toBeUndefined();
  });

  it('the helper gets the session’s servers too; a type server replaces the session’s of the same name for its helpers only; the session’s end closes them', async () => {
    const dir = tempDir();
    const sessionPids = join(dir, 'session-pids');
    const typePids = join(dir, 'type-pids');
    // The session's `shared` offers only `add`, the type's only `echo`; the session also has `extra`.
    const server_ = (enabled: string) => ({ command: process.execPath, args: [SERVER_JS, '--pid-file', sessionPids], enabled_tools: [enabled] });
    const config = { mcp_servers: { shared: server_('add'), extra: server_('env') } } as unknown as Config;
    const mcp = await startMcpServers(config, { env: { PATH: process.env.PATH } });
    const files = { 'agents/librarian.toml': agentFile(stdio('shared', typePids, 'enabled_tools = ["echo"]')) };
    const { manager, owner } = setupAgent(server, { files, mcp });
    track(manager, mcp);
    server.route('LAYERED-TASK', turn({ text: 'ok' }));
    const a = await manager.spawn(owner, { message: 'LAYERED-TASK', agentType: 'librarian' });
    expect(a.warnings).toEqual([]);
    await manager.wait([a.id], 10_000, never);
    const offered = toolNames(requestWith('LAYERED-TASK'));
    expect(offered).toEqual(expect.arrayContaining(['mcp__shared__echo', 'mcp__extra__env']));
    expect(offered).not.toContain('mcp__shared__add');
    // The session's own servers are untouched by the helper's.
    expect(mcp.tools.map((t) => t.qualifiedName).sort()).toEqual(['mcp__extra__env', 'mcp__shared__add']);
    const typeServer = pids(typePids);
    expect(typeServer).toHaveLength(1);
    await manager.shutdown();
    expect(await gone(typeServer)).toBe(true);
    // The session's servers still run (the session closes them, not its helpers).
    expect(pids(sessionPids).every(alive)).toBe(true);
    const callable = await mcp.callTool('shared', 'add', { a: 1, b: 2 }, never);
    expect(callable.ok).toBe(true);
  });

  it('calls to the type’s tools are approved as the session’s MCP tools are: a destructive one is asked about, naming the helper', async () => {
    const dir = tempDir();
    const files = { 'agents/librarian.toml': agentFile(stdio('good', join(dir, 'pids'))) };
    const questions: ApprovalQuestion[] = [];
    const { manager, owner } = setupAgent(server, { files, untrusted: true, approver: { ask: async (q) => (questions.push(q), { answer: 'deny' }) } });
    track(manager);
    server.route(
      'CLEAN-TASK',
      turn({ toolCalls: [{ name: 'mcp__good__echo', arguments: { text: 'read-only' }, callId: 'e1' }] }),
      turn({ toolCalls: [{ name: 'mcp__good__delete_all', arguments: {}, callId: 'd1' }] }),
      turn({ text: 'it was refused' }),
    );
    const a = await manager.spawn(owner, { message: 'CLEAN-TASK', agentType: 'librarian' });
    expect((await manager.wait([a.id], 10_000, never)).status[a.id]).toEqual({ completed: 'it was refused' });
    // The read-only echo ran without asking; delete_all was asked about, in the helper's name, and declined.
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatchObject({ kind: 'mcp_tool', server: 'good', tool: 'delete_all', agent: { id: a.id, nickname: a.nickname, role: 'librarian' } });
    const last = server.requests.filter((q) => q.rawBody.includes('CLEAN-TASK')).at(-1);
    expect(last?.rawBody).toContain('echo: read-only');
    expect(last?.rawBody).not.toContain('deleted everything');
  });

  it('spawn_agent tells the model and the user: its output lists the servers that failed, a warning event names the helper; a required one is a tool error', async () => {
    const dir = tempDir();
    const broken = (required: boolean) => stdio('broken', join(dir, 'pids'), required ? 'required = true' : '', ['--fail-start']);
    const files = {
      'agents/librarian.toml': agentFile(broken(false)),
      'agents/strict.toml': agentFile(broken(true)).replace('name = "librarian"', 'name = "strict"'),
    };
    const { manager, owner } = setupAgent(server, { files });
    track(manager);
    const spawn = collabTools(manager, { ...owner, record: () => undefined }).find((t) => t.name === 'spawn_agent');
    const events: AgentEvent[] = [];
    const ctx = { signal: never, emit: (e: AgentEvent) => events.push(e), nextItemId: () => `item_${events.length}` };
    server.route('TOLERANT-TASK', turn({ text: 'done anyway' }));
    const ok = await spawn?.run({ callId: 's1', name: 'spawn_agent', kind: 'function', input: JSON.stringify({ message: 'TOLERANT-TASK', agent_type: 'librarian' }) }, ctx);
    expect(ok?.success).toBe(true);
    const out = JSON.parse(String(ok?.output)) as { agent_id: string; nickname: string; warnings: string[] };
    expect(out.warnings).toEqual([expect.stringMatching(/^MCP server `broken` failed to start: .*cannot open the database/)]);
    const warning = events.find((e) => e.type === 'warning');
    expect(warning).toEqual({ type: 'warning', message: `agent ${out.nickname}: ${out.warnings[0]}` });
    const refused = await spawn?.run({ callId: 's2', name: 'spawn_agent', kind: 'function', input: JSON.stringify({ message: 'STRICT-TASK', agent_type: 'strict' }) }, ctx);
    expect(refused?.success).toBe(false);
    expect(String(refused?.output)).toMatch(/^could not start the agent: required MCP server `broken` failed to start: .*strict\.toml/);
  });

  it('servers the session starts after its agent was made (as the UI does) are offered to helpers spawned from then on', async () => {
    const dir = tempDir();
    const config = { mcp_servers: { late: { command: process.execPath, args: [SERVER_JS, '--pid-file', join(dir, 'pids')], enabled_tools: ['echo'] } } } as unknown as Config;
    const { manager, owner, agent } = setupAgent(server);
    const mcp = await startMcpServers(config, { env: { PATH: process.env.PATH } });
    track(manager, mcp);
    agent.useMcp(mcp);
    server.route('LATE-TASK', turn({ text: 'ok' }));
    const a = await manager.spawn(owner, { message: 'LATE-TASK' });
    await manager.wait([a.id], 10_000, never);
    expect(toolNames(requestWith('LATE-TASK'))).toContain('mcp__late__echo');
  });
});
