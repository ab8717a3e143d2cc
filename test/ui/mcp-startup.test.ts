/**
 * MCP servers starting while the interactive screen is open, at the controller level: a slow stdio test
 * server, prompts queued until it is ready, then its tools offered; a failed server is a notice; a
 * required one rejects (the session ends); leaving while servers start gives up on them.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider, type Config, type McpServerConfig } from '../../src/config/index.js';
import { startMcpServers } from '../../src/mcp/index.js';
import { UserError } from '../../src/shared/index.js';
import { UiController } from '../../src/ui/controller.js';
import { startMcpInUi } from '../../src/ui/mcp-startup.js';
import { createStyle } from '../../src/ui/style.js';
import { liveView } from '../../src/ui/views.js';
import { makeHome } from '../support/cli.js';
import { useScriptedServer } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';
import { processesGone, processesWith } from '../sandbox/helpers.js';

const server = useScriptedServer();
const s = createStyle(false);
const SERVER_JS = resolve(import.meta.dirname, '../support/mcp-server.mjs');
const servers = (m: Record<string, McpServerConfig>): Config => ({ mcp_servers: m }) as Config;

function setup(): UiController {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k-ui-mcp' };
  const loaded = loadConfig({ home, env });
  const c: UiController = new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: s,
    env,
    onExit: () => undefined,
  });
  return c;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const shown = (c: UiController): string => c.transcript.history.map((h) => h.text).join('\n');
const live = (c: UiController): string => liveView(c.getSnapshot(), s, { hideReasoning: false, now: 0 });
const toolNames = (i: number): string[] => ((server.requests[i]?.body?.tools ?? []) as Array<{ name?: string }>).map((t) => t.name ?? '');

describe('MCP servers starting with the screen open', () => {
  it('shows them starting, queues a prompt until they are ready, then offers their tools', async () => {
    const c = setup();
    // What the server had received by the time the MCP server was ready (it takes 400 ms to start):
    // a prompt sent before then, instead of queued, would be in it.
    let sentBeforeReady = -1;
    const ready = startMcpInUi(c, {
      names: ['docs'],
      start: async () => {
        const started = await startMcpServers(servers({ docs: { command: process.execPath, args: [SERVER_JS, '--start-delay', '400'] } }));
        sentBeforeReady = server.requests.length;
        return started;
      },
    });
    expect(live(c)).toContain('Starting MCP servers… (docs)');
    server.reply(turn({ text: 'hello back' }));
    c.send('hello');
    expect(c.running).toBe(false);
    expect(live(c)).toContain('Starting MCP servers… (docs) · 1 queued');

    const mcp = await ready;
    try {
      expect(sentBeforeReady).toBe(0);
      expect(shown(c)).toContain('MCP servers ready: docs (7 tools)');
      expect(live(c)).not.toContain('Starting MCP servers');
      await until(() => !c.running && shown(c).includes('hello back'));
      expect(server.requests).toHaveLength(1);
      expect(toolNames(0)).toContain('mcp__docs__echo');
      expect(c.queued).toEqual([]);
    } finally {
      await mcp?.close();
    }
  });

  it('says which server failed and still sends the queued prompt', async () => {
    const c = setup();
    const ready = startMcpInUi(c, { names: ['bad'], start: () => startMcpServers(servers({ bad: { command: process.execPath, args: [SERVER_JS, '--fail-start'] } })) });
    server.reply(turn({ text: 'fine' }));
    c.send('go on');
    await ready;
    expect(shown(c)).toMatch(/MCP server `bad` failed to start: /);
    expect(shown(c)).not.toContain('MCP servers ready');
    await until(() => !c.running && shown(c).includes('fine'));
    expect(toolNames(0).some((n) => n.startsWith('mcp__'))).toBe(false);
  });

  it('rejects with the error of a required server that failed, without sending the queued prompt', async () => {
    const c = setup();
    const ready = startMcpInUi(c, {
      names: ['must'],
      start: () => startMcpServers(servers({ must: { command: process.execPath, args: [SERVER_JS, '--fail-start'], required: true } })),
    });
    c.send('never sent');
    await expect(ready).rejects.toThrow(UserError);
    await expect(ready).rejects.toThrow(/required MCP server `must` failed to start/);
    expect(c.mcpStarting).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('gives up on servers still starting when the user leaves', async () => {
    const c = setup();
    const leaving = new AbortController();
    // The server process is named by a marker, so the test can leave once it runs and check it is gone.
    const marker = `slow-${Math.random().toString(36).slice(2)}`;
    const ready = startMcpInUi(c, {
      names: ['slow'],
      start: () => startMcpServers(servers({ slow: { command: process.execPath, args: [SERVER_JS, '--start-delay', '5000', '--name', marker] } }), { signal: leaving.signal }),
    });
    await until(() => processesWith(marker).length > 0);
    const t0 = Date.now();
    c.exit();
    leaving.abort();
    expect(await ready).toBeNull();
    // Given up at once, not after the server's 5 s start-up.
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await processesGone(marker)).toEqual([]);
  });
});
