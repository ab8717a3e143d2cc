/**
 * The shell tool's edges, end to end (built CLI, scripted server, real bwrap): huge timeouts, background
 * children, long output, the core environment, and what on-failure tells the model.
 */
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, useScriptedServer, type Json } from '../support/e2e.js';
import { processesGone } from '../sandbox/helpers.js';

const server = useScriptedServer();

async function call(args: Record<string, unknown>, flags: string[], env: Record<string, string> = {}) {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\nstream_max_retries = 0\n`,
  });
  server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: args, callId: 'x' }] }), turn({ text: 'done' }));
  const r = await runCliAsync(['exec', '--json', ...flags, 'go'], { home, cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome, ...env } });
  expect(r.status, r.stderr).toBe(0);
  const item = jsonLines(r.stdout).find((e) => e.type === 'item.completed' && (e.item as Json).type === 'command_execution')?.item as Json;
  const input = (server.requests.at(-1)?.body?.input ?? []) as Json[];
  const output = String(input.find((i) => i.type === 'function_call_output')?.output ?? '');
  return { item, output };
}

describe('exec: the shell tool', () => {
  it('timeout_ms of 2^31 or more runs the command instead of killing it after a millisecond', async () => {
    const { item, output } = await call({ command: 'sleep 0.3; echo finished', timeout_ms: 2 ** 31 + 100 }, ['-s', 'read-only']);
    expect(item).toMatchObject({ exit_code: 0, aggregated_output: 'finished\n' });
    expect(output).toMatch(/^Exit code: 0\n/);
  });

  it('danger-full-access: background children of a command do not outlive it', async () => {
    const marker = `33.${Math.floor(Math.random() * 1e6)}`;
    const { item } = await call({ command: `nohup sleep ${marker} >/dev/null 2>&1 & echo spawned` }, ['-s', 'danger-full-access']);
    expect(item.aggregated_output).toBe('spawned\n');
    expect(await processesGone(marker)).toEqual([]);
  });

  it('a long output tells the model the real totals and keeps the end, where the error is', async () => {
    const { item, output } = await call({ command: 'seq 1 400000; echo "FATAL: the real error" >&2; exit 1' }, ['-s', 'read-only']);
    expect(output).toMatch(/Total output lines: 400002\n/);
    expect(output).toMatch(/400000\nFATAL: the real error\n$/);
    const cut = Number(/…(\d+) tokens truncated…/.exec(output)?.[1]);
    const header = 'Total output lines: 400002\n\n';
    const shown = output.slice(output.indexOf(header) + header.length).replace(/…\d+ tokens truncated…/, '');
    // seq 1 400000 prints 2,688,895 bytes, and the error 22 more: the note counts what the 1 MiB capture dropped too.
    expect(cut).toBe(Math.ceil((2_688_895 + 22 - Buffer.byteLength(shown)) / 4));
    expect(String(item.aggregated_output)).toMatch(/\[… [\d,]+ bytes of output not kept …\]/);
  });

  it('shell_environment_policy.inherit = "core" keeps LANG and LC_ALL', async () => {
    const { item } = await call({ command: 'echo "$LANG|$LC_ALL|${EDITOR:-unset}"', login: false }, ['-s', 'read-only', '-c', 'shell_environment_policy.inherit="core"'], {
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      EDITOR: 'vi',
    });
    expect(item.aggregated_output).toBe('C.UTF-8|C.UTF-8|unset\n');
  });

  it('on-failure: a command that failed in the sandbox is reported as run and failed, with its output', async () => {
    const { item, output } = await call({ command: 'echo trying; touch /etc/ocx-denied' }, ['-s', 'workspace-write', '-c', 'approval_policy="on-failure"']);
    expect(item).toMatchObject({ status: 'failed', exit_code: 1 });
    expect(output).toMatch(/^The command ran in the sandbox and failed \(exit 1\)/);
    expect(output).not.toMatch(/command not run/);
    expect(output).toMatch(/trying\n/);
    expect(output).toMatch(/Read-only file system/);
  });
});
