/**
 * `/rename` in the interactive UI, at the controller level (no terminal): the name is recorded in the
 * rollout and the name index, shown in the footer, /status and the /resume picker, and comes back on resume.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { findSession, listSessions } from '../../src/sessions/index.js';
import { chooseSession, matchingCommands, resumeSession, runSlashCommand } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { footerText } from '../../src/ui/status.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';
import { rolloutFiles, useScriptedServer } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const server = useScriptedServer();
const style = createStyle(false);

function setup(home: string, recorded = true): UiController {
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k-ui-rename-0123456789' };
  const loaded = loadConfig({ home, env });
  return new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style,
    env,
    ...(recorded ? { rollout: { token: 'k-ui-rename-0123456789' } } : {}),
    onExit: () => undefined,
  });
}

const newHome = (): string =>
  makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });
const shown = (c: UiController): string => c.transcript.history.map((h) => h.text).join('\n');
const lastShown = (c: UiController): string => c.transcript.history[c.transcript.history.length - 1]?.text ?? '';

describe('/rename', () => {
  it('is listed among the slash commands', () => {
    expect(matchingCommands('/ren').map((x) => x.name)).toEqual(['rename']);
  });

  it('names the thread in its rollout; footer, /status, listing and resuming show the name', async () => {
    const home = newHome();
    const c = setup(home);
    await runSlashCommand(c, '/rename');
    expect(lastShown(c)).toContain('this session has no name; set one with /rename NAME');

    server.reply(turn({ text: 'an answer' }));
    await c.runTurn('a prompt');
    await runSlashCommand(c, '/rename  login fix ');
    expect(lastShown(c)).toContain("Session renamed to login fix; resume it later with `opencodex resume 'login fix'`");
    expect(c.threadName).toBe('login fix');
    expect(footerText(c.statusInfo(), style)).toMatch(/^login fix · gpt-5\.4/);
    await runSlashCommand(c, '/status');
    expect(lastShown(c)).toMatch(/session name: +login fix/);
    await runSlashCommand(c, '/rename');
    expect(lastShown(c)).toContain('this session is named login fix; change it with /rename NAME');

    const [file] = rolloutFiles(home);
    const last = JSON.parse(readFileSync(file as string, 'utf8').trimEnd().split('\n').pop() as string) as unknown;
    expect(last).toMatchObject({ type: 'event_msg', payload: { type: 'thread_name_updated', thread_id: c.session.threadId, thread_name: 'login fix' } });
    expect(listSessions(home, { cwd: home })[0]).toMatchObject({ id: c.session.threadId, name: 'login fix' });
    expect(findSession(home, { id: 'login fix', cwd: home })).toBe(file);

    // A bad name is one line with its fix; the name stays.
    await runSlashCommand(c, `/rename ${c.session.threadId}`);
    expect(lastShown(c)).toMatch(/looks like a session id, so it could not be resumed by name — choose a name that is not a UUID/);
    expect(c.threadName).toBe('login fix');

    // /new forgets the name; the /resume picker shows it; resuming brings it back.
    c.newSession();
    expect(c.threadName).toBeNull();
    expect(footerText(c.statusInfo(), style)).toMatch(/^gpt-5\.4/);
    const picking = chooseSession(c, false);
    await new Promise((r) => setImmediate(r));
    const items = c.overlay?.kind === 'picker' ? c.overlay.items : [];
    expect(items[0]?.label).toBe('login fix · a prompt');
    c.endPick(null);
    await picking;

    const d = setup(home);
    resumeSession(d, file as string);
    expect(d.threadName).toBe('login fix');
    expect(footerText(d.statusInfo(), style)).toMatch(/^login fix · /);
  });

  it('before the first prompt it starts the rollout; without a rollout the name lasts the session', async () => {
    const home = newHome();
    const c = setup(home);
    await runSlashCommand(c, '/rename early');
    expect(rolloutFiles(home)).toHaveLength(1);
    expect(c.usedSession).toBe(true);
    expect(findSession(home, { id: 'early', cwd: home })).toBe(rolloutFiles(home)[0]);

    const other = newHome();
    const e = setup(other, false);
    await runSlashCommand(e, '/rename fleeting');
    expect(shown(e)).toContain('Session named fleeting (this session is not recorded, so the name is kept only until you leave)');
    expect(e.threadName).toBe('fleeting');
    expect(rolloutFiles(other)).toHaveLength(0);
  });
});
