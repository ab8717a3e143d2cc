/**
 * Tokens used and context left in the footer and `/status`, at the controller level: they follow each
 * model response's reported usage (also mid-turn), a resumed thread starts from its rollout's last
 * token_count, and only a figure computed from the history is labelled an estimate.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { resumeSession, runSlashCommand } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { contextLeftPercent, footerText } from '../../src/ui/status.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';
import { rolloutFiles, useScriptedServer } from '../support/e2e.js';
import { stallAfter, turn } from '../support/scripted-server.js';

const server = useScriptedServer();
const s = createStyle(false);
const model = lookupModel(SHIPPED_CATALOG, 'gpt-5.4');

function setup(home = newHome()): UiController {
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k-ui-usage' };
  const loaded = loadConfig({ home, env });
  return new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model, provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: s,
    env,
    rollout: { token: 'k-ui-usage' },
    onExit: () => undefined,
  });
}

function newHome(): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const footer = (c: UiController): string => footerText(c.getSnapshot().status, s);
async function statusLine(c: UiController): Promise<string> {
  await runSlashCommand(c, '/status');
  const text = c.transcript.history.at(-1)?.text ?? '';
  return text.split('\n').find((l) => l.includes('context:')) ?? '';
}
const pct = (tokens: number): number => contextLeftPercent(model, tokens);

describe('context left and tokens used', () => {
  it('follow each response of a turn, before the turn ends', async () => {
    const c = setup();
    expect(footer(c)).toContain('0 tokens · 100% context left');
    server.reply(
      turn({ toolCalls: [{ name: 'update_plan', arguments: { plan: [{ step: 'look', status: 'in_progress' }] } }], usage: { input: 120_000, output: 2_000 } }),
      stallAfter(2),
    );
    void c.runTurn('plan it');
    await until(() => server.requests.length === 2 && c.meter.contextTokens > 0);
    expect(c.running).toBe(true);
    const mid = c.getSnapshot().status;
    expect(mid.usage.input_tokens).toBe(120_000);
    expect(mid.contextTokens).toBe(122_000);
    expect(footer(c)).toContain(`122k tokens · ${pct(122_000)}% context left`);
    expect(pct(122_000)).toBeLessThan(100);
    c.interrupt();
    await until(() => !c.running);
  });

  it('use the last response, not the sum, and /status says so without "(estimated)"', async () => {
    const c = setup();
    server.reply(
      turn({ toolCalls: [{ name: 'update_plan', arguments: { plan: [{ step: 'a', status: 'completed' }] } }], usage: { input: 50_000, output: 1_000 } }),
      turn({ text: 'done', usage: { input: 60_000, cached: 50_000, output: 500 } }),
    );
    await c.runTurn('go');
    const st = c.getSnapshot().status;
    expect(st.contextTokens).toBe(60_500);
    expect(st.usage.input_tokens).toBe(110_000);
    expect(st.contextEstimated).toBe(false);
    const line = await statusLine(c);
    expect(line).toContain(`${pct(60_500)}% left of ${model.facts.contextWindow.toLocaleString('en-US')} tokens`);
    expect(line).not.toContain('estimated');
  });

  it('a resumed thread starts from its last token_count; without one the figure is an estimate until a response', async () => {
    const home = newHome();
    const first = setup(home);
    server.reply(turn({ text: 'an answer', usage: { input: 90_000, output: 3_000 } }));
    await first.runTurn('a question');
    const [path] = rolloutFiles(home);
    expect(path).toBeDefined();

    const resumed = setup(home);
    resumeSession(resumed, path as string);
    expect(resumed.meter.contextTokens).toBe(93_000);
    expect(await statusLine(resumed)).not.toContain('estimated');
    expect(footer(resumed)).toContain(`${pct(93_000)}% context left`);

    // The same thread without any token_count (an older or foreign rollout).
    const bare = join(home, 'bare.jsonl');
    const lines = readFileSync(path as string, 'utf8').trimEnd().split('\n').filter((l) => !l.includes('"token_count"'));
    writeFileSync(bare, `${lines.join('\n')}\n`);
    const estimated = setup(home);
    resumeSession(estimated, bare);
    expect(estimated.meter.estimated).toBe(true);
    expect(await statusLine(estimated)).toContain('(estimated)');
    server.reply(turn({ text: 'again', usage: { input: 95_000, output: 100 } }));
    await estimated.runTurn('more');
    expect(estimated.meter.contextTokens).toBe(95_100);
    expect(await statusLine(estimated)).not.toContain('estimated');
  });
});
