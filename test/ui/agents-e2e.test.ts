/**
 * Subagents in a real terminal: the model spawns a helper on gpt-5.4-mini and waits on it; the list
 * above the footer shows the helper working (what it runs), its answer appears in the transcript when
 * it finishes, ctrl+t opens its transcript and Esc comes back, and the exit summary counts its tokens.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome } from '../support/cli.js';
import { dynamic, startScriptedServer, turn, type RecordedRequest, type ScriptedServer } from '../support/scripted-server.js';
import { Terminal } from './tmux.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

type Json = Record<string, unknown>;
function spawnedId(req: RecordedRequest): string {
  for (const i of (req.body?.input ?? []) as Json[]) {
    if (i.type === 'function_call_output' && i.call_id === 'spawn1') return (JSON.parse(String(i.output)) as { agent_id: string }).agent_id;
  }
  throw new Error('no spawn output');
}

describe('subagents in a terminal', () => {
  it('the list shows a working helper, its answer reaches the transcript, and its own transcript opens and closes', async () => {
    server.reset();
    const ws = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-ui-agents-')));
    execFileSync('git', ['init', '-q', ws]);
    // The helper works until the test has seen it working: its command waits for a file the test writes.
    server.route(
      'HELPER-TASK',
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'while [ ! -f go ]; do sleep 0.1; done; echo ready' }, callId: 'c1' }] }),
      turn({ text: 'The widgets number 7.', usage: { input: 2000, output: 300 } }),
    );
    server.reply(
      turn({ toolCalls: [{ name: 'spawn_agent', arguments: { message: 'HELPER-TASK: count the widgets', model: 'gpt-5.4-mini' }, callId: 'spawn1' }] }),
      dynamic((req) => turn({ toolCalls: [{ name: 'wait_agent', arguments: { targets: [spawnedId(req)], timeout_ms: 60_000 }, callId: 'wait1' }] })),
      turn({ text: 'Your helper counted 7 widgets.' }),
    );
    const home = makeHome({
      'config.toml':
        `model_provider = "mock"\nmodel = "gpt-5.4"\napproval_policy = "never"\nsandbox_mode = "danger-full-access"\n` +
        `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 1\n`,
    });
    const term = await Terminal.start({ args: ['use a helper to count the widgets'], cwd: ws, rows: 30, env: { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' } });
    try {
      // Working: the spawn in the transcript, the wait live, and the helper in the list with what it runs.
      let screen = await term.waitFor(/agents · 1 running of 1/);
      const nick = /• Spawned agent (\S+) \(gpt-5\.4-mini/.exec(screen)?.[1];
      expect(nick).toBeDefined();
      expect(screen).toContain('└ HELPER-TASK: count the widgets');
      await term.waitFor(new RegExp(`● ${nick} \\(gpt-5\\.4-mini\\) running · running while \\[ ! -f go \\]`));
      await term.waitFor((s) => s.includes(`• Waiting on ${nick}…`));

      writeFileSync(join(ws, 'go'), '');
      screen = await term.waitFor(/Your helper counted 7 widgets\./);
      expect(screen).toMatch(new RegExp(`• ${nick} finished\\n\\s+└ The widgets number 7\\.`));
      expect(screen).toMatch(new RegExp(`○ ${nick} \\(gpt-5\\.4-mini\\) completed · 2,315 tokens`));

      // ctrl+t: the picker of helpers; Enter opens the helper's transcript in place of the prompt.
      await term.press('C-t');
      await term.waitFor(/Show the transcript of/);
      await term.press('Enter');
      screen = await term.waitFor(new RegExp(`Agent ${nick} \\(gpt-5\\.4-mini\\) completed`));
      expect(screen).toContain('› HELPER-TASK: count the widgets');
      expect(screen).toMatch(/✓ while \[ ! -f go \]; do sleep 0\.1; done; echo ready exit 0/);
      expect(screen).toContain('The widgets number 7.');
      await term.press('Escape');
      await term.waitFor((s) => !s.includes(`Agent ${nick} (`) && /› +ask anything/.test(s));

      await term.submit('/quit');
      screen = await term.waitFor(/\[exit 0\]/);
      expect(screen).toMatch(new RegExp(`Subagents: ${nick} \\(gpt-5\\.4-mini\\) 2,315 tokens`));
      expect(screen).toMatch(/Total with subagents: 2,360 tokens/);
    } finally {
      await term.close();
    }
  }, 90_000);
});
