/**
 * Frames are built without I/O: streaming an answer draws many frames, and none of them reads AGENTS.md
 * from disk (it used to be read for every frame); /status still lists the files.
 */
import fs, { writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { runSlashCommand } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { createStyle, stripAnsi } from '../../src/ui/style.js';
import { screenParts } from '../../src/ui/views.js';
import { makeHome } from '../support/cli.js';

/**
 * Counts the reads of AGENTS.md files while `body` runs: node:fs's readFileSync is wrapped and the
 * wrapper published to ES module imports (syncBuiltinESMExports), so the count sees every importer.
 */
async function countAgentsReads(body: (reads: () => number) => Promise<void>): Promise<void> {
  const original = fs.readFileSync;
  let n = 0;
  const wrapped = ((...args: Parameters<typeof fs.readFileSync>) => {
    if (String(args[0]).endsWith('AGENTS.md')) n++;
    return original(...args);
  }) as typeof fs.readFileSync;
  fs.readFileSync = wrapped;
  syncBuiltinESMExports();
  try {
    await body(() => n);
  } finally {
    fs.readFileSync = original;
    syncBuiltinESMExports();
  }
}

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
    await countAgentsReads(async (reads) => {
      c.applyEvent({ type: 'turn.started' });
      for (let i = 0; i < 50; i++) {
        c.applyEvent({ type: 'agent_message.delta', delta: `word${i} ` });
        screenParts(c.getSnapshot(), style, { cwd: home, now: Date.now(), hideReasoning: false });
      }
      expect(reads()).toBe(0);
      await runSlashCommand(c, '/status');
      // (The file is both the global one and the project's here: read once for each.)
      expect(reads()).toBeGreaterThan(0);
    });
    expect(stripAnsi(c.transcript.history.at(-1)?.text ?? '')).toContain('AGENTS.md');
  });
});
