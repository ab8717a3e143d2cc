/**
 * apply_patch end to end: the built CLI against the scripted server, on both wire APIs, in both tool forms
 * (freeform for catalog models such as gpt-5.4, function for unknown models) and through the shell.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn, type ScriptedToolCall, type Wire, toolOutputs } from '../support/scripted-server.js';
import { useScriptedServer, gitWorkspace, quietHome, jsonLines, type Json } from '../support/e2e.js';

const server = useScriptedServer();

const itemEvents = (stdout: string, type: string): Json[] => jsonLines(stdout).filter((e) => (e.item as Json | undefined)?.type === type);

const read = (dir: string, rel: string): string => readFileSync(join(dir, rel), 'utf8');
const patch = (...lines: string[]): string => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

function run(cwd: string, options: { wire: Wire; model: string }) {
  const home = makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "${options.model}"\nsandbox_mode = "workspace-write"\n` +
      `[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "${options.wire}"\nstream_max_retries = 0\n`,
  });
  return runCliAsync(['exec', '--json', 'edit the files'], { home, cwd, env: { MOCK_KEY: 'k', HOME: quietHome } });
}

/** The tool outputs the model got back in the n-th request, by call id (either wire). */

/** The apply_patch tool as offered in the first request. */
function offeredTool(): Json | undefined {
  const tools = (server.requests[0]?.body?.tools ?? []) as Json[];
  return tools.find((t) => t.name === 'apply_patch' || (t.function as Json | undefined)?.name === 'apply_patch');
}

const FILES = {
  'src/greet.py': 'def greet():\n    print(\u201CHi\u201D)   \n    return None\n',
  'old/name.txt': 'x = 1\n',
  'obsolete.txt': 'bye\n',
};

/** One patch that adds, updates (with context that only matches fuzzily), moves and deletes. */
const EDIT_ALL = patch(
  '*** Add File: docs/notes.md',
  '+# Notes',
  '*** Update File: src/greet.py',
  '@@ def greet():',
  '-    print("Hi")',
  '+    print("Hello")',
  '     return None',
  '*** Update File: old/name.txt',
  '*** Move to: new/name.txt',
  '@@',
  '-x = 1',
  '+x = 2',
  '*** Delete File: obsolete.txt',
);

function expectEdited(dir: string): void {
  expect(read(dir, 'docs/notes.md')).toBe('# Notes\n');
  expect(read(dir, 'src/greet.py')).toBe('def greet():\n    print("Hello")\n    return None\n');
  expect(read(dir, 'new/name.txt')).toBe('x = 2\n');
  expect(existsSync(join(dir, 'old/name.txt'))).toBe(false);
  expect(existsSync(join(dir, 'obsolete.txt'))).toBe(false);
}

function expectFileChange(stdout: string, dir: string): void {
  const items = itemEvents(stdout, 'file_change');
  expect(items.map((e) => e.type)).toEqual(['item.started', 'item.completed']);
  const changes = [
    { path: join(dir, 'docs/notes.md'), kind: 'add' },
    { path: join(dir, 'src/greet.py'), kind: 'update' },
    { path: join(dir, 'old/name.txt'), kind: 'update' },
    { path: join(dir, 'obsolete.txt'), kind: 'delete' },
  ];
  expect(items[0]?.item).toEqual({ id: (items[0]?.item as Json).id, type: 'file_change', changes, status: 'in_progress' });
  expect(items[1]?.item).toEqual({ id: (items[0]?.item as Json).id, type: 'file_change', changes, status: 'completed' });
  expect(stdout).not.toContain('patch.diff');
}

const SUCCESS = 'Success. Updated the following files:\nA docs/notes.md\nM src/greet.py\nM new/name.txt\nD obsolete.txt\n';

describe.each<Wire>(['responses', 'chat'])('apply_patch over %s', (wire) => {
  const freeformCall = (input: string, callId: string): ScriptedToolCall => ({ name: 'apply_patch', kind: 'custom', input, callId });
  const functionCall = (input: string, callId: string): ScriptedToolCall => ({ name: 'apply_patch', arguments: { input }, callId });

  it('freeform (gpt-5.4): adds, updates with fuzzy context, moves and deletes', async () => {
    const dir = gitWorkspace(FILES);
    server.reply(turn({ toolCalls: [freeformCall(EDIT_ALL, 'p1')] }), turn({ text: 'edited' }));
    const r = await run(dir, { wire, model: 'gpt-5.4' });
    expect(r.status).toBe(0);
    expectEdited(dir);
    expectFileChange(r.stdout, dir);
    if (wire === 'responses') {
      expect(offeredTool()).toMatchObject({ type: 'custom', name: 'apply_patch', format: { type: 'grammar', syntax: 'lark' } });
      expect(((server.requests[1]?.body?.input ?? []) as Json[]).some((i) => i.type === 'custom_tool_call_output' && i.call_id === 'p1')).toBe(true);
    } else {
      // Chat has no custom tools: the freeform tool is a function with one string parameter.
      expect(offeredTool()).toMatchObject({ type: 'function', function: { name: 'apply_patch', parameters: { required: ['input'] } } });
    }
    expect(outputsOf(1).p1).toMatch(new RegExp(`^Exit code: 0\\nWall time: [0-9.]+ seconds\\nOutput:\\n${SUCCESS.replace(/\./g, '\\.')}$`));
  });

  it('function (unknown model): adds, updates with fuzzy context, moves and deletes', async () => {
    const dir = gitWorkspace(FILES);
    server.reply(turn({ toolCalls: [functionCall(EDIT_ALL, 'p1')] }), turn({ text: 'edited' }));
    const r = await run(dir, { wire, model: 'local-model' });
    expect(r.status).toBe(0);
    expectEdited(dir);
    expectFileChange(r.stdout, dir);
    expect(offeredTool()).toMatchObject(
      wire === 'responses'
        ? { type: 'function', name: 'apply_patch', parameters: { required: ['input'] } }
        : { type: 'function', function: { name: 'apply_patch', parameters: { required: ['input'] } } },
    );
    const output = JSON.parse(outputsOf(1).p1 ?? '{}') as Json;
    expect(output).toMatchObject({ output: SUCCESS, metadata: { exit_code: 0 } });
  });

  it('gives the model the error of a patch that does not apply, and the retry succeeds', async () => {
    const dir = gitWorkspace({ 'a.txt': 'one\ntwo\n' });
    const bad = patch('*** Add File: b.txt', '+new', '*** Update File: a.txt', '@@', '-three', '+3');
    const good = patch('*** Update File: a.txt', '@@', '-two', '+2');
    server.reply(turn({ toolCalls: [freeformCall(bad, 'bad')] }), turn({ toolCalls: [freeformCall(good, 'good')] }), turn({ text: 'fixed' }));
    const r = await run(dir, { wire, model: 'gpt-5.4' });
    expect(r.status).toBe(0);
    expect(outputsOf(1).bad).toBe(`apply_patch verification failed: Failed to find expected lines in ${join(dir, 'a.txt')}:\nthree`);
    expect(outputsOf(2).good).toMatch(/Success\. Updated the following files:\nM a\.txt\n$/);
    expect(read(dir, 'a.txt')).toBe('one\n2\n');
    // Nothing of the failed patch was written, and only the applied one shows as an item.
    expect(existsSync(join(dir, 'b.txt'))).toBe(false);
    expect(itemEvents(r.stdout, 'file_change').map((e) => `${String(e.type)}:${String((e.item as Json).status)}`)).toEqual([
      'item.started:in_progress',
      'item.completed:completed',
    ]);
  });

  it('applies a heredoc sent through shell_command as a patch, with a file_change item and no command', async () => {
    const dir = gitWorkspace({ 'pkg/mod.txt': 'value = 1\n' });
    const script = `cd pkg && apply_patch <<'EOF'\n${patch('*** Update File: mod.txt', '@@', '-value = 1', '+value = 2')}\nEOF\n`;
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: script }, callId: 's1' }] }), turn({ text: 'done' }));
    const r = await run(dir, { wire, model: 'gpt-5.4' });
    expect(r.status).toBe(0);
    expect(read(dir, 'pkg/mod.txt')).toBe('value = 2\n');
    expect(itemEvents(r.stdout, 'command_execution')).toEqual([]);
    expect(itemEvents(r.stdout, 'file_change')[1]?.item).toMatchObject({ changes: [{ path: join(dir, 'pkg/mod.txt'), kind: 'update' }], status: 'completed' });
    expect(outputsOf(1).s1).toMatch(/^Exit code: 0\nWall time: [0-9.]+ seconds\nOutput:\nSuccess\. Updated the following files:\nM mod\.txt\n$/);
  });

  it('applies a heredoc sent through the argv shell tool (unknown model)', async () => {
    const dir = gitWorkspace();
    const script = `apply_patch <<'EOF'\n${patch('*** Add File: hello.txt', '+hello')}\nEOF`;
    server.reply(turn({ toolCalls: [{ name: 'shell', arguments: { command: ['bash', '-lc', script] }, callId: 's1' }] }), turn({ text: 'done' }));
    const r = await run(dir, { wire, model: 'local-model' });
    expect(r.status).toBe(0);
    expect(read(dir, 'hello.txt')).toBe('hello\n');
    expect(itemEvents(r.stdout, 'command_execution')).toEqual([]);
    expect(JSON.parse(outputsOf(1).s1 ?? '{}')).toMatchObject({ output: 'Success. Updated the following files:\nA hello.txt\n', metadata: { exit_code: 0 } });
  });

  it('keeps CRLF, mixed and no-final-newline files\' line endings (freeform tool; over Chat a function)', async () => {
    const dir = gitWorkspace({ 'win.txt': 'one\r\ntwo\r\nthree\r\n', 'mixed.txt': 'l1\nc2\r\nl3\n', 'open.txt': 'a\nb' });
    const edit = patch(
      '*** Update File: win.txt',
      '@@',
      ' one',
      '-two',
      '+2',
      '+2.5',
      ' three',
      '*** Update File: mixed.txt',
      '@@',
      ' l1',
      '-c2',
      '+C2',
      '+new',
      ' l3',
      '*** Update File: open.txt',
      '@@',
      ' a',
      '-b',
      '+B',
      '*** Add File: fresh.txt',
      '+x',
    );
    server.reply(turn({ toolCalls: [freeformCall(edit, 'p1')] }), turn({ text: 'edited' }));
    const r = await run(dir, { wire, model: 'gpt-5.4' });
    expect(r.status).toBe(0);
    expect(outputsOf(1).p1).toContain('Success. Updated the following files:\nA fresh.txt\nM win.txt\nM mixed.txt\nM open.txt\n');
    expect(read(dir, 'win.txt')).toBe('one\r\n2\r\n2.5\r\nthree\r\n');
    expect(read(dir, 'mixed.txt')).toBe('l1\nC2\r\nnew\nl3\n');
    expect(read(dir, 'open.txt')).toBe('a\nB');
    expect(read(dir, 'fresh.txt')).toBe('x\n');
  });

  it('refuses a patch outside the workspace under workspace-write with approval never', async () => {
    const dir = gitWorkspace();
    const outside = mkdtempSync(join(tmpdir(), 'ocx-outside-'));
    const target = join(outside, 'escape.txt');
    server.reply(turn({ toolCalls: [freeformCall(patch(`*** Add File: ${target}`, '+nope'), 'p1')] }), turn({ text: 'refused' }));
    const r = await run(dir, { wire, model: 'gpt-5.4' });
    expect(r.status).toBe(0);
    expect(outputsOf(1).p1).toBe('patch rejected: writing outside of the project; rejected by user approval settings');
    expect(existsSync(target)).toBe(false);
    expect(itemEvents(r.stdout, 'file_change')).toEqual([]);
  });
});

const outputsOf = (n: number): Record<string, string> => toolOutputs(server.requests[n]);

describe('apply_patch in human mode', () => {
  it('shows the patch status, each file and its diff on stderr', async () => {
    const dir = gitWorkspace({ 'a.txt': 'one\ntwo\n' });
    server.reply(turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: patch('*** Update File: a.txt', '@@', '-two', '+2'), callId: 'p1' }] }), turn({ text: 'edited' }));
    const home = makeHome({
      'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\nsandbox_mode = "workspace-write"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
    });
    const r = await runCliAsync(['exec', 'edit'], { home, cwd: dir, env: { MOCK_KEY: 'k', HOME: quietHome } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('edited\n');
    expect(r.stderr).toContain(`apply patch\npatch: completed\n${join(dir, 'a.txt')}\n--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n`);
  });

  it('shows only the changed line of a CRLF file', async () => {
    const dir = gitWorkspace({ 'w.txt': 'one\r\ntwo\r\nthree\r\n' });
    server.reply(turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: patch('*** Update File: w.txt', '@@', '-two', '+2'), callId: 'p1' }] }), turn({ text: 'edited' }));
    const home = makeHome({
      'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\nsandbox_mode = "workspace-write"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "chat"\n`,
    });
    const r = await runCliAsync(['exec', 'edit'], { home, cwd: dir, env: { MOCK_KEY: 'k', HOME: quietHome } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'w.txt')}\n--- a/w.txt\n+++ b/w.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n`);
    expect(read(dir, 'w.txt')).toBe('one\r\n2\r\nthree\r\n');
  });
});
