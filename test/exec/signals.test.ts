/**
 * A command outlives nothing: when opencodex ends by SIGHUP (the terminal closed) or SIGTERM while a command
 * runs without a sandbox (danger-full-access, started in a process group and session of its own), the
 * command and its children are killed with it, and opencodex still ends by that signal.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, makeHome } from '../support/cli.js';
import { gitWorkspace, quietHome, useScriptedServer } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const server = useScriptedServer();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(ok: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(['SIGHUP', 'SIGTERM'] as const)('opencodex ended by %s during a command', (signal) => {
  it('kills the command and what it started, and ends by the signal', async () => {
    const cwd = gitWorkspace();
    const pidFile = join(cwd, 'pids');
    // The command starts a background child, then waits: both must die with opencodex.
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: `sleep 300 & echo "$$ $!" > ${pidFile}; wait` }, callId: 'c1' }] }), turn({ text: 'never' }));
    const home = makeHome({
      'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\nsandbox_mode = "danger-full-access"\napproval_policy = "never"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n`,
    });
    const child = spawn(process.execPath, [CLI, 'exec', '--json', 'go'], { cwd, env: { ...process.env, OPENCODEX_HOME: home, HOME: quietHome, MOCK_KEY: 'k' }, stdio: ['ignore', 'ignore', 'ignore'] });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
    try {
      await until(() => existsSync(pidFile) && /^\d+ \d+\n$/.test(readFileSync(pidFile, 'utf8')), 'the command to start');
      const pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
      expect(pids.every(alive)).toBe(true);
      child.kill(signal);
      expect(await ended).toEqual({ code: null, signal });
      await until(() => !pids.some(alive), `the command's processes (${pids.join(', ')}) to be gone`, 5000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
