/**
 * Unified exec in the interactive UI, at the controller level (the real agent and bubblewrap against the
 * scripted server): a session outlives its turn and a model switch, and ends with the conversation.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupModel } from '../../src/catalog/index.js';
import { catalogFromFile } from '../../src/catalog/file.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { UiController } from '../../src/ui/controller.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';
import { dynamic, turn, type RecordedRequest } from '../support/scripted-server.js';
import { useScriptedServer, type Json } from '../support/e2e.js';
import { processesWith } from '../sandbox/helpers.js';

const server = useScriptedServer();

const catalog = catalogFromFile('test.json', JSON.stringify({ mode: 'extend', models: [{ slug: 'uexec-test', shell_type: 'unified_exec' }] }));

function setup(): UiController {
  const home = makeHome();
  writeFileSync(
    join(home, 'config.toml'),
    `model_provider = "mock"\nmodel = "uexec-test"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  );
  const env = { PATH: process.env.PATH, HOME: home, MOCK_KEY: 'k-ui-uexec' };
  const loaded = loadConfig({ home, env });
  return new UiController({
    settings: { loaded, catalog, model: lookupModel(catalog, 'uexec-test'), provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: createStyle(false),
    env,
    onExit: () => undefined,
  });
}

const shown = (c: UiController): string => c.transcript.history.map((h) => h.text).join('\n');

function outputOf(callId: string, request?: RecordedRequest): string {
  for (const r of request ? [request] : server.requests) {
    const out = ((r.body?.input ?? []) as Json[]).find((i) => i.type === 'function_call_output' && i.call_id === callId);
    if (out) return String(out.output);
  }
  throw new Error(`no output for ${callId}`);
}

describe('interactive UI: unified exec sessions', () => {
  it('a running command is shown as running at the end of its turn, answers in the next turn after a model switch, and ends with the conversation', async () => {
    const c = setup();
    const marker = `44.${Math.floor(Math.random() * 1e6)}`;
    server.reply(
      turn({ toolCalls: [{ name: 'exec_command', arguments: { cmd: `echo up; read x; echo "got $x"; sleep ${marker}`, tty: true, yield_time_ms: 500 }, callId: 'start' }] }),
      turn({ text: 'started it' }),
    );
    await c.runTurn('start the thing');
    expect(outputOf('start')).toMatch(/^Process running with session ID \d+$/m);
    expect(shown(c)).toMatch(/• Running echo up; .*sleep 44\./);
    expect(processesWith(marker).length).toBeGreaterThan(0);

    // Another model (the same one, rebound): the session is still there.
    c.rebind({ model: lookupModel(catalog, 'uexec-test'), provider: c.settings.provider, config: c.config });
    server.reset();
    server.reply(
      dynamic((req) => {
        const id = Number(/session ID (\d+)/.exec(outputOf('start', req))?.[1]);
        return turn({ toolCalls: [{ name: 'write_stdin', arguments: { session_id: id, chars: 'hello\n', yield_time_ms: 1000 }, callId: 'type' }] });
      }),
      turn({ text: 'it answered' }),
    );
    await c.runTurn('type hello into it');
    expect(outputOf('type')).toContain('got hello');
    expect(outputOf('type')).toMatch(/^Process running with session ID \d+$/m);

    c.newSession();
    for (let i = 0; i < 200 && processesWith(marker).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(processesWith(marker)).toEqual([]);
  });
});
