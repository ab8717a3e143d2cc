/**
 * `/compact` in the interactive UI, at the controller level: the real agent against the scripted server
 * (no terminal, no network beyond 127.0.0.1).
 */
import { describe, expect, it } from 'vitest';
import { COMPACT_PROMPT, SUMMARY_PREFIX, summaryMessageText } from '../../src/agent/index.js';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import type { ResponseItem } from '../../src/providers/index.js';
import { matchingCommands, resumeSession, runSlashCommand } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { replayEntries } from '../../src/ui/replay.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';
import { stallAfter, turn } from '../support/scripted-server.js';
import { useScriptedServer } from '../support/e2e.js';

const server = useScriptedServer();

const s = createStyle(false);

function setup(o: { recorded?: boolean } = {}): UiController {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k-ui-compact' };
  const loaded = loadConfig({ home, env });
  return new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: s,
    env,
    onExit: () => undefined,
    ...(o.recorded ? { rollout: { token: 'k-ui-compact' } } : {}),
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const shown = (c: UiController): string => c.transcript.history.map((h) => h.text).join('\n');
const textOf = (item: ResponseItem | undefined): string =>
  item?.type === 'message' ? item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('') : '';

describe('/compact', () => {
  it('is listed among the slash commands', () => {
    expect(matchingCommands('/comp').map((c) => c.name)).toEqual(['compact']);
  });

  it('is refused while a turn runs, then summarizes the conversation and shows a notice', async () => {
    const c = setup();
    server.reply(stallAfter(3));
    void c.runTurn('first question');
    await until(() => server.requests.length === 1 && c.running);
    await runSlashCommand(c, '/compact');
    expect(shown(c)).toContain('/compact is not available while a turn is running');
    c.interrupt();
    await until(() => !c.running);
    expect(server.requests).toHaveLength(1);

    server.reset();
    server.reply(turn({ text: 'an answer', usage: { input: 100, output: 10 } }));
    await c.runTurn('second question');
    server.reset();
    server.reply(turn({ text: 'SUMMARY: two questions asked.', usage: { input: 400, output: 20 } }));
    await runSlashCommand(c, '/compact');
    await until(() => !c.running && server.requests.length === 1);

    const body = server.requests[0]?.body as { tools: unknown[]; input: Array<{ content?: Array<{ text: string }> }> };
    expect(body.tools).toEqual([]);
    expect(body.input.at(-1)?.content?.[0]?.text).toBe(COMPACT_PROMPT);
    const history = c.session.history;
    expect(textOf(history.at(-1))).toBe(summaryMessageText('SUMMARY: two questions asked.'));
    expect(history.map(textOf).filter((t) => t === 'first question' || t === 'second question')).toEqual(['first question', 'second question']);
    expect(history.some((i) => i.type === 'message' && i.role === 'assistant')).toBe(false);
    expect(shown(c)).toMatch(/Context compacted: the conversation so far was summarized \(~\d+ → ~\d+ tokens\)/);
    // Usage of the compaction request counts into the session's.
    expect(c.session.usage.input_tokens).toBe(500);
  });

  it('says there is nothing to compact in a new session, without a request', async () => {
    const c = setup();
    await runSlashCommand(c, '/compact');
    await until(() => !c.running);
    expect(shown(c)).toContain('nothing to compact yet');
    expect(server.requests).toHaveLength(0);
  });
});

describe('a resumed compacted thread', () => {
  it('shows the whole thread, answers from before the compaction included, then the compaction', async () => {
    const c = setup({ recorded: true });
    server.reset();
    server.reply(turn({ text: 'the answer before compacting', usage: { input: 100, output: 10 } }));
    await c.runTurn('the question before compacting');
    server.reply(turn({ text: 'SUMMARY: one question.', usage: { input: 200, output: 10 } }));
    await runSlashCommand(c, '/compact');
    await until(() => !c.running);
    server.reply(turn({ text: 'the answer after compacting' }));
    await c.runTurn('the question after compacting');
    const path = c.session.recorder?.path;
    if (!path) throw new Error('no rollout');
    const again = setup();
    resumeSession(again, path);
    const text = shown(again);
    expect(text).toMatch(/› the question before compacting[\s\S]*the answer before compacting[\s\S]*Context compacted: the conversation before this point was summarized[\s\S]*› the question after compacting[\s\S]*the answer after compacting/);
    expect(text).not.toContain(SUMMARY_PREFIX);
  });

  it('shows the summary as a notice, not as a user message', () => {
    const history: ResponseItem[] = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'kept prompt' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: summaryMessageText('what happened') }] },
    ];
    const lines = replayEntries(history, s).join('\n');
    expect(lines).toContain('kept prompt');
    expect(lines).toContain('Context compacted: the conversation before this point was summarized');
    expect(lines).not.toContain(SUMMARY_PREFIX);
  });
});
