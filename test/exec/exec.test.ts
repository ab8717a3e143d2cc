import { closeSync, openSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { useScriptedServer, dirOutsideGit, gitWorkspace, quietHome, jsonLines, type Json } from '../support/e2e.js';

const server = useScriptedServer();

function homeFor(wire: 'responses' | 'chat', extra = ''): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "${wire}"\n`,
  });
}

describe.each(['responses', 'chat'] as const)('opencodex exec over %s', (wire) => {
  it('runs a shell call, then prints the final answer (JSON events)', async () => {
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo hello' }, callId: 'call_1' }], usage: { input: 1000, cached: 0, output: 20, reasoning: 8 } }),
      turn({ text: 'done', usage: { input: 1100, cached: 1000, output: 5 } }),
    );
    const cwd = gitWorkspace();
    const r = await runCliAsync(['exec', '--json', 'say hi'], { home: homeFor(wire), cwd, env: { MOCK_KEY: 'sk-test', HOME: quietHome } });
    // stdin is a pipe (as under the SDK), so exec looks for more input there, as Codex does.
    expect(r.stderr).toBe('Reading additional input from stdin...\n');
    expect(r.status).toBe(0);
    const events = jsonLines(r.stdout);
    expect(events.map((e) => e.type)).toEqual(['thread.started', 'turn.started', 'item.started', 'item.completed', 'item.completed', 'turn.completed']);
    expect(events[0]?.thread_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events[2]).toEqual({ type: 'item.started', item: { id: 'item_0', type: 'command_execution', command: "bash -lc 'echo hello'", cwd: realpathSync(cwd), aggregated_output: '', exit_code: null, status: 'in_progress' } });
    expect(events[3]).toEqual({ type: 'item.completed', item: { id: 'item_0', type: 'command_execution', command: "bash -lc 'echo hello'", cwd: realpathSync(cwd), aggregated_output: 'hello\n', exit_code: 0, status: 'completed' } });
    expect(events[4]).toEqual({ type: 'item.completed', item: { id: 'item_1', type: 'agent_message', text: 'done' } });
    expect(events[5]).toEqual({ type: 'turn.completed', usage: { input_tokens: 2100, cached_input_tokens: 1000, cache_write_input_tokens: 0, output_tokens: 25, reasoning_output_tokens: 8 } });

    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]?.body as Json;
    const history = (wire === 'responses' ? second.input : second.messages) as Json[];
    const last = history[history.length - 1] as Json;
    if (wire === 'responses') expect(last).toMatchObject({ type: 'function_call_output', call_id: 'call_1' });
    else expect(last).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(String(last.output ?? last.content)).toMatch(/^Exit code: 0\nWall time: [\d.]+ seconds\nOutput:\nhello\n$/);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('human mode: only the final message on stdout, progress on stderr', async () => {
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo hello' } }] }), turn({ text: 'all done' }));
    const cwd = gitWorkspace();
    const r = await runCliAsync(['exec', 'say hi'], { home: homeFor(wire), cwd, env: { MOCK_KEY: 'k', HOME: quietHome } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('all done\n');
    expect(r.stderr).toMatch(/^Reading additional input from stdin\.\.\.\nopencodex v\S+\n--------\nworkdir: /);
    expect(r.stderr).toMatch(/\nmodel: gpt-5\.4\nprovider: mock\napproval: never\nsandbox: read-only\n/);
    expect(r.stderr).toMatch(/\nuser\nsay hi\n/);
    expect(r.stderr).toMatch(/\nexec\nbash -lc 'echo hello' in .*\n succeeded in \d+ms:\nhello\n/);
    expect(r.stderr).toMatch(/\nopencodex\nall done\n/);
    expect(r.stderr).toMatch(/\ntokens used\n[\d,]+\nTo continue this session, run opencodex exec resume [0-9a-f-]{36}\n$/);
  });
});

describe('opencodex exec: input and checks', () => {
  it('refuses to run outside a git repository unless told to', async () => {
    const dir = dirOutsideGit();
    const r = await runCliAsync(['exec', 'hi'], { home: homeFor('responses'), cwd: dir, env: { MOCK_KEY: 'k', HOME: quietHome } });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: Not inside a trusted directory and --skip-git-repo-check was not specified.\n');
    expect(server.requests).toHaveLength(0);
    server.reply(turn({ text: 'ok' }));
    const ok = await runCliAsync(['exec', '--skip-git-repo-check', 'hi'], { home: homeFor('responses'), cwd: dir, env: { MOCK_KEY: 'k', HOME: quietHome } });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('ok\n');
  });

  it('reads the prompt from stdin', async () => {
    server.reply(turn({ text: 'ok' }));
    const r = await runCliAsync(['exec', '--json'], { home: homeFor('responses'), cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome }, input: 'prompt from stdin' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('Reading prompt from stdin...\n');
    expect(JSON.stringify(server.requests[0]?.body)).toContain('prompt from stdin');
  });

  it('reads stdin that is a file or /dev/null without a stream (the prompt, or nothing more)', async () => {
    const file = join(makeHome({ 'prompt.txt': 'prompt from a file\n' }), 'prompt.txt');
    const fromFile = openSync(file, 'r');
    const devNull = openSync('/dev/null', 'r');
    try {
      server.reply(turn({ text: 'ok' }), turn({ text: 'ok' }));
      const a = await runCliAsync(['exec', '--json'], { home: homeFor('responses'), cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome }, stdinFd: fromFile });
      expect(a.stderr).toBe('Reading prompt from stdin...\n');
      expect(a.status).toBe(0);
      expect(JSON.stringify(server.requests[0]?.body)).toContain('prompt from a file');
      const b = await runCliAsync(['exec', '--json', 'just the argument'], { home: homeFor('responses'), cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome }, stdinFd: devNull });
      expect(b.status).toBe(0);
      expect(b.stderr).toBe('Reading additional input from stdin...\n');
      const last = JSON.stringify(server.requests[1]?.body);
      expect(last).toContain('just the argument');
      expect(last).not.toContain('<stdin>');
    } finally {
      closeSync(fromFile);
      closeSync(devNull);
    }
  });

  it('says which variable to set when no key is configured', async () => {
    const r = await runCliAsync(['exec', 'hi'], { home: homeFor('responses'), cwd: gitWorkspace(), env: { MOCK_KEY: undefined } });
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/MOCK_KEY/);
    expect(server.requests).toHaveLength(0);
  });
});
