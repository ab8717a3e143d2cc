/**
 * Frames are built without I/O: streaming an answer draws many frames, and none of them reads AGENTS.md
 * from disk (it used to be read for every frame); /status still lists the files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { runSlashCommand } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { createStyle, stripAnsi } from '../../src/ui/style.js';
import { screenParts } from '../../src/ui/views.js';
import { makeHome } from '../support/cli.js';

const reads = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../src/agent/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/agent/index.js')>();
  return {
    ...actual,
    discoverAgentsMd: (...args: Parameters<typeof actual.discoverAgentsMd>) => {
      reads.n++;
      return actual.discoverAgentsMd(...args);
    },
  };
});

describe('frames', () => {
  it('read nothing from disk while an answer streams; /status reads AGENTS.md when asked', async () => {
    const home = makeHome({ 'config.toml': 'model = "gpt-5.4"\n' });
    writeFileSync(join(home, 'AGENTS.md'), '# rules\n');
    const loaded = loadConfig({ home });
    const style = createStyle(false);
    const c = new UiController({
      settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
      style,
      env: { PATH: process.env.PATH },
      onExit: () => undefined,
    });
    const before = reads.n;
    c.applyEvent({ type: 'turn.started' });
    for (let i = 0; i < 50; i++) {
      c.applyEvent({ type: 'agent_message.delta', delta: `word${i} ` });
      screenParts(c.getSnapshot(), style, { cwd: home, now: Date.now(), hideReasoning: false });
    }
    expect(reads.n - before).toBe(0);
    await runSlashCommand(c, '/status');
    expect(reads.n - before).toBe(1);
    expect(stripAnsi(c.transcript.history.at(-1)?.text ?? '')).toContain('AGENTS.md');
  });
});
