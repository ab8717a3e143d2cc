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
import { processesGone, processesWith } from '../sandbox/helpers.js';

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

describe('interactive UI: unified exec sessions', { timeout: 60_000 }, () => {
  it('a running command is shown as running at the end of its turn, answers in the next turn after a model switch, and ends with the conversation', async () => {
    const c = setup();
    const marker = `44.${Math.floor(Math.random() * 1e6)}`;
    server.reply(
      turn({ toolCalls: [{ name: 'exec_command', arguments: { cmd: `echo up; read x; echo "got $x"; sleep ${marker}`, tty: true, yield_time_ms: 250 }, callId: 'start' }] }),
      turn({ text: 'started it' }),
    );
    await c.runTurn('start the thing');
    expect(outputOf('start')).toMatch(/^Process running with session ID \d+$/m);
    expect(shown(c)).toMatch(/• Running echo up; .*sleep 44\./);
    expect(processesWith(marker).length).toBeGreaterThan(0);

    // Another model (the same one, rebound): the session is still there.
    c.rebind({ model: lookupModel(catalog, 'uexec-test'), provider: c.settings.provider, config: c.config });
    server.reset();
    let id = 0;
    let polls = 0;
    // Until the answer is out, the model polls for it (on a slow machine it can take longer than the yield).
    const untilAnswered = (req: RecordedRequest) =>
      /got hello/.test(outputOf(polls === 0 ? 'type' : `type.poll${polls}`, req)) || polls === 5
        ? turn({ text: 'it answered' })
        : turn({ toolCalls: [{ name: 'write_stdin', arguments: { session_id: id, chars: '' }, callId: `type.poll${++polls}` }] });
    server.reply(
      dynamic((req) => {
        id = Number(/session ID (\d+)/.exec(outputOf('start', req))?.[1]);
        return turn({ toolCalls: [{ name: 'write_stdin', arguments: { session_id: id, chars: 'hello\n' }, callId: 'type' }] });
      }),
      ...Array.from({ length: 6 }, () => dynamic(untilAnswered)),
    );
    await c.runTurn('type hello into it');
    const typed = [outputOf('type'), ...Array.from({ length: polls }, (_, n) => outputOf(`type.poll${n + 1}`))];
    expect(typed.join('\n')).toContain('got hello');
    expect(typed.at(-1)).toMatch(/^Process running with session ID \d+$/m);

    c.newSession();
    expect(await processesGone(marker)).toEqual([]);
  });
});
