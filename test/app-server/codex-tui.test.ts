/**
 * The real Codex 0.171 terminal UI (`codex --remote`) on `opencodex app-server --listen ws://…`, driven in
 * tmux: it opens, a prompt typed there runs on opencodex, a command approval and a patch approval
 * (showing the added file's lines) asked by opencodex are answered there, and the answers show. Codex is not a
 * dev dependency (its native binaries are ~400 MB): CI installs `@openai/codex@0.171.0` into `.bench/codex-0.171/`
 * (`.ci/run`, the same place `npm run bench -- exec` installs it), and this runs with that install, or with the
 * `codex` OPENCODEX_TEST_CODEX_BIN names; without either it is skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHome } from '../support/cli.js';
import { dynamic, turn } from '../support/scripted-server.js';
import { gitWorkspace, quietHome, useScriptedServer } from '../support/e2e.js';
import { listeningUrl, spawnServer, type Spawned } from './client.js';

const INSTALLED = resolve(import.meta.dirname, '../../.bench/codex-0.171/node_modules/@openai/codex/bin/codex.js');
const CODEX = process.env.OPENCODEX_TEST_CODEX_BIN ?? (existsSync(INSTALLED) ? INSTALLED : undefined);
const server = useScriptedServer();
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

const tmux = (socket: string, args: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile('tmux', ['-L', socket, '-f', '/dev/null', ...args], (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)));
  });

async function screenUntil(socket: string, match: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = await tmux(socket, ['capture-pane', '-p', '-S', '-', '-t', 'main']);
    if (match.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the screen never showed ${String(match)}:\n${screen}`);
}

describe.skipIf(!CODEX)('codex --remote (the real Codex 0.171 terminal UI) on opencodex app-server', () => {
  it('opens, runs prompts on opencodex, and approvals asked by opencodex are answered in the UI', async () => {
    const home = makeHome({
      'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\nstream_max_retries = 0\n`,
    });
    const cwd = gitWorkspace();
    const s: Spawned = spawnServer(['--listen', 'ws://127.0.0.1:0', '-a', 'untrusted'], { home, cwd, env: { MOCK_KEY: 'k', HOME: quietHome } });
    cleanup.push(async () => {
      s.child.kill('SIGTERM');
      await s.exited;
    });
    const url = await listeningUrl(s);
    const socket = `ocx-codex-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const codexHome = mkdtempSync(join(tmpdir(), 'ocx-codexhome-'));
    const q = (x: string): string => `'${x.replace(/'/g, `'\\''`)}'`;
    await tmux(socket, ['new-session', '-d', '-s', 'main', '-x', '140', '-y', '40', `cd ${q(cwd)} && CODEX_HOME=${q(codexHome)} HOME=${q(quietHome)} TERM=xterm-256color ${q(process.execPath)} ${q(CODEX as string)} --remote ${q(url)}; sleep 3600`]);
    cleanup.push(async () => {
      await tmux(socket, ['kill-server']).catch(() => '');
    });
    await screenUntil(socket, /Ask Codex to do anything/);

    // Besides the turn, the UI runs one of its own in an ephemeral thread: a task title, with an output schema.
    // The model's part: by the last thing in the request.
    const reply = dynamic((r) => {
      if (JSON.stringify(r.body?.text).includes('json_schema')) return turn({ text: '{"title":"Compute it"}' });
      const input = (r.body?.input ?? []) as Array<{ type: string; call_id?: string }>;
      const last = input.at(-1);
      if (last?.type === 'function_call_output' || last?.type === 'custom_tool_call_output') return turn({ text: last.call_id === 'p1' ? 'opencodex added the file.' : last.call_id === 'p2' ? 'opencodex edited the file.' : 'opencodex computed 42.' });
      const said = JSON.stringify(last);
      if (said.includes('add a file')) return turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: '*** Begin Patch\n*** Add File: added.txt\n+added by opencodex\n*** End Patch', callId: 'p1' }] });
      if (said.includes('edit the file')) return turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: '*** Begin Patch\n*** Update File: added.txt\n@@\n-added by opencodex\n+edited by opencodex\n*** End Patch', callId: 'p2' }] });
      return turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'node -e "console.log(6*7)"' }, callId: 'c1' }] });
    });
    server.reply(...Array.from({ length: 8 }, () => reply));
    await tmux(socket, ['send-keys', '-t', 'main', '-l', 'compute it']);
    await screenUntil(socket, /compute it/);
    await tmux(socket, ['send-keys', '-t', 'main', 'Enter']);
    await screenUntil(socket, /Would you like to run the following command\?/);
    await tmux(socket, ['send-keys', '-t', 'main', 'y']);
    const done = await screenUntil(socket, /opencodex computed 42\./);
    expect(done).toMatch(/You approved codex to run node -e/);
    expect(done).toMatch(/└ 42/);
    // The turn reached the model through opencodex, with the command's output.
    expect(server.requests.some((r) => JSON.stringify(r.body?.input).includes('Output:\\n42'))).toBe(true);

    // A patch: asked in the UI with the added file's lines, then written.
    await tmux(socket, ['send-keys', '-t', 'main', '-l', 'add a file']);
    await screenUntil(socket, /› add a file/);
    await tmux(socket, ['send-keys', '-t', 'main', 'Enter']);
    const asked = await screenUntil(socket, /Would you like to make the following edits\?/);
    expect(asked).toMatch(/\+added by opencodex/);
    expect(asked).not.toMatch(/\/dev\/null/);
    await tmux(socket, ['send-keys', '-t', 'main', 'y']);
    await screenUntil(socket, /opencodex added the file\./);
    expect(readFileSync(join(cwd, 'added.txt'), 'utf8')).toBe('added by opencodex\n');

    // An update: its lines removed and added, no file header.
    await tmux(socket, ['send-keys', '-t', 'main', '-l', 'edit the file']);
    await screenUntil(socket, /› edit the file/);
    await tmux(socket, ['send-keys', '-t', 'main', 'Enter']);
    const edit = await screenUntil(socket, /Would you like to make the following edits\?[\s\S]*$/);
    const shown = edit.slice(edit.lastIndexOf('edit the file'));
    expect(shown).toMatch(/-added by opencodex/);
    expect(shown).toMatch(/\+edited by opencodex/);
    expect(shown).not.toMatch(/\+\+\+|---/);
    await tmux(socket, ['send-keys', '-t', 'main', 'y']);
    await screenUntil(socket, /opencodex edited the file\./);
    expect(readFileSync(join(cwd, 'added.txt'), 'utf8')).toBe('edited by opencodex\n');
  }, 90_000);
});
