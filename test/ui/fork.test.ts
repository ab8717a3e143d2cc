/**
 * `opencodex fork` in the interactive UI, at the controller level (no terminal): the chosen thread is
 * copied into a new one, whose next request replays the source history; the source file is unchanged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { chooseSession, forkInto } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';
import { rolloutFiles, useScriptedServer } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const server = useScriptedServer();

function setup(home: string): UiController {
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k-ui-fork-0123456789' };
  const loaded = loadConfig({ home, env });
  return new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: createStyle(false),
    env,
    rollout: { token: 'k-ui-fork-0123456789' },
    onExit: () => undefined,
  });
}

const shown = (c: UiController): string => c.transcript.history.map((h) => h.text).join('\n');

describe('forking in the interactive UI', () => {
  it('continues a new thread with the source history; the source rollout is left as it was', async () => {
    const home = makeHome({
      'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
    });
    const first = setup(home);
    server.reply(turn({ text: 'the source answer' }));
    await first.runTurn('the source prompt');
    const [srcPath] = rolloutFiles(home);
    const before = readFileSync(srcPath as string, 'utf8');

    const c = setup(home);
    forkInto(c, srcPath as string);
    expect(c.session.threadId).not.toBe(first.session.threadId);
    expect(shown(c)).toContain(`forked session ${first.session.threadId} into a new session ${c.session.threadId}`);
    expect(shown(c)).toContain('the source answer');

    server.reset();
    server.reply(turn({ text: 'the fork answer' }));
    await c.runTurn('a fork prompt');
    const input = JSON.stringify(server.requests[0]?.body?.input);
    expect(input).toContain('the source prompt');
    expect(input).toContain('the source answer');
    expect(server.requests[0]?.body?.prompt_cache_key).toBe(c.session.threadId);

    expect(readFileSync(srcPath as string, 'utf8')).toBe(before);
    const forkPath = rolloutFiles(home).find((f) => f.includes(c.session.threadId)) as string;
    const text = readFileSync(forkPath, 'utf8');
    expect(JSON.parse(text.split('\n')[0] as string)).toMatchObject({ type: 'session_meta', payload: { id: c.session.threadId, forked_from_id: first.session.threadId } });
    expect(text).toContain('the fork answer');
    expect(text).not.toContain('k-ui-fork-0123456789');

    // Without an id: a picker titled for forking; picking forks again.
    const d = setup(home);
    const picking = chooseSession(d, false, 'fork');
    await new Promise((r) => setImmediate(r));
    expect(d.overlay?.kind === 'picker' ? d.overlay.title : '').toBe('Fork a session');
    const items = d.overlay?.kind === 'picker' ? d.overlay.items : [];
    d.endPick(items.find((i) => (i.value as { id: string }).id === first.session.threadId)?.value ?? null);
    await picking;
    expect(rolloutFiles(home)).toHaveLength(3);
    expect(d.session.threadId).not.toBe(first.session.threadId);
  });
});
