import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { disconnectAfter, stallAfter, turn, toolOutputs } from '../support/scripted-server.js';
import { useScriptedServer, gitWorkspace, quietHome, jsonLines, type Json } from '../support/e2e.js';

const server = useScriptedServer();

function run(args: string[], options: { wire?: 'responses' | 'chat'; extra?: string; interruptWhen?: () => boolean; cwd?: string } = {}) {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n${options.extra ?? ''}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "${options.wire ?? 'responses'}"\nstream_max_retries = 2\n`,
  });
  return runCliAsync(['exec', '--json', ...args], {
    home,
    cwd: options.cwd ?? gitWorkspace(),
    env: { MOCK_KEY: 'k', HOME: quietHome },
    ...(options.interruptWhen === undefined ? {} : { interruptWhen: options.interruptWhen }),
  });
}

/** The tool outputs the model got back in the n-th request, by call id. */

const outputsOf = (n: number): Record<string, string> => toolOutputs(server.requests[n]);

describe('exec: tool calls', () => {
  it('answers an unknown tool and invalid arguments back to the model, and the turn goes on', async () => {
    server.reply(
      turn({ toolCalls: [{ name: 'teleport', arguments: {}, callId: 'c1' }, { name: 'shell_command', arguments: '{"command": ', callId: 'c2' }] }),
      turn({ text: 'recovered' }),
    );
    const r = await run(['go']);
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout).at(-2)).toMatchObject({ type: 'item.completed', item: { type: 'agent_message', text: 'recovered' } });
    const outputs = outputsOf(1);
    expect(outputs.c1).toBe('unsupported call: teleport');
    expect(outputs.c2).toMatch(/^failed to parse function arguments/);
  });

  it('runs parallel calls together and returns outputs in call order', async () => {
    // Each command marks that it started, then waits (up to 10 s) for the other one's mark: run one after
    // the other, the first would give up and say "alone". No clock decides the outcome.
    const meet = (me: string, other: string) => `touch ${me}.started; for i in $(seq 1000); do [ -e ${other}.started ] && break; sleep 0.01; done; [ -e ${other}.started ] && echo ${me} met ${other} || echo ${me} alone`;
    server.reply(
      turn({
        toolCalls: [
          { name: 'shell_command', arguments: { command: meet('first', 'second') }, callId: 'a' },
          { name: 'shell_command', arguments: { command: meet('second', 'first') }, callId: 'b' },
        ],
      }),
      turn({ text: 'both ran' }),
    );
    const r = await run(['-s', 'workspace-write', 'go']);
    expect(r.status).toBe(0);
    const input = (server.requests[1]?.body?.input ?? []) as Json[];
    const outs = input.filter((i) => i.type === 'function_call_output');
    expect(outs.map((o) => o.call_id)).toEqual(['a', 'b']);
    expect(String(outs[0]?.output)).toMatch(/first met second/);
    expect(String(outs[1]?.output)).toMatch(/second met first/);
    const types = jsonLines(r.stdout).map((e) => `${String(e.type)}:${String((e.item as Json | undefined)?.type ?? '')}`);
    expect(types.slice(2, 6)).toEqual(['item.started:command_execution', 'item.started:command_execution', 'item.completed:command_execution', 'item.completed:command_execution']);
  });

  it('reports a failed command with its exit code and a sandbox write refusal', async () => {
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'touch /etc/nope; exit 3' }, callId: 'x' }] }),
      turn({ text: 'could not write' }),
    );
    const r = await run(['go']);
    expect(r.status).toBe(0);
    const done = jsonLines(r.stdout).find((e) => e.type === 'item.completed' && (e.item as Json).type === 'command_execution');
    expect(done?.item).toMatchObject({ exit_code: 3, status: 'failed' });
    expect(String((done?.item as Json).aggregated_output)).toMatch(/Read-only file system/);
    expect(outputsOf(1).x).toMatch(/^Exit code: 3\n/);
  });

  it('turns update_plan into a todo_list item: started, updated, completed at turn end', async () => {
    server.reply(
      turn({ toolCalls: [{ name: 'update_plan', arguments: { plan: [{ step: 'read', status: 'in_progress' }, { step: 'fix', status: 'pending' }] }, callId: 'p1' }] }),
      turn({ toolCalls: [{ name: 'update_plan', arguments: { plan: [{ step: 'read', status: 'completed' }, { step: 'fix', status: 'in_progress' }] }, callId: 'p2' }] }),
      turn({ text: 'planned' }),
    );
    const r = await run(['go']);
    expect(r.status).toBe(0);
    const todo = jsonLines(r.stdout).filter((e) => (e.item as Json | undefined)?.type === 'todo_list');
    expect(todo.map((e) => e.type)).toEqual(['item.started', 'item.updated', 'item.completed']);
    expect(new Set(todo.map((e) => (e.item as Json).id)).size).toBe(1);
    expect((todo[2]?.item as Json).items).toEqual([{ text: 'read', completed: true }, { text: 'fix', completed: false }]);
    expect(outputsOf(1).p1).toBe('Plan updated');
  });

  it('sends the output schema and writes the final message to -o', async () => {
    const dir = gitWorkspace();
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    writeFileSync(join(dir, 'schema.json'), JSON.stringify(schema));
    server.reply(turn({ text: '{"answer":"42"}' }));
    const r = await run(['--output-schema', 'schema.json', '-o', 'last.txt', 'answer'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(server.requests[0]?.body?.text).toMatchObject({ format: { type: 'json_schema', strict: true, schema } });
    expect(readFileSync(join(dir, 'last.txt'), 'utf8')).toBe('{"answer":"42"}');
    const bad = await run(['--output-schema', 'missing.json', 'x'], { cwd: dir });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: Failed to read output schema file .*missing\.json/m);
  });
});

describe('exec: faults and interruption', () => {
  it('shows retries as error events and completes after a dropped stream', async () => {
    server.reply(disconnectAfter(2), turn({ text: 'second try' }));
    const r = await run(['go']);
    expect(r.status).toBe(0);
    const events = jsonLines(r.stdout);
    expect(events.find((e) => e.type === 'error')?.message).toMatch(/^Reconnecting\.\.\. 1\/2 \(/);
    expect(events.at(-2)).toMatchObject({ item: { type: 'agent_message', text: 'second try' } });
  });

  it('fails the turn with the server message once the budget is spent (exit 1)', async () => {
    server.reply(disconnectAfter(1), disconnectAfter(1), disconnectAfter(1));
    const r = await run(['go']);
    expect(r.status).toBe(1);
    const events = jsonLines(r.stdout);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'turn.failed', error: { message: expect.stringMatching(/stream/) } });
  });

  it('Ctrl-C interrupts a turn: no turn.completed, exit 1', async () => {
    server.reply(stallAfter(2));
    // Interrupted once the request is out and the stream has stalled mid-turn, however long start-up takes.
    const r = await run(['go'], { interruptWhen: () => server.requests.length === 1 });
    expect(r.status).toBe(1);
    const types = jsonLines(r.stdout).map((e) => e.type);
    expect(types).not.toContain('turn.completed');
    expect(types).not.toContain('turn.failed');
    expect(r.stderr).toMatch(/turn interrupted/);
  });
});
