/**
 * Resuming in a real terminal (#13): `opencodex resume` lists the sessions in aligned columns with short
 * ids no two of which are the same (sessions started within a minute share their first 8 characters); the
 * chosen thread, compacted in the middle, shows whole — the answers from before the compaction, the
 * compaction, what came after — on its last model. With a catalog that knows the model's prices, the footer
 * shows the estimated cost.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { startScriptedServer, turn, type ScriptedServer } from '../support/scripted-server.js';
import { Terminal } from './tmux.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

describe('resuming in a terminal', () => {
  it('picks from aligned rows with distinct short ids, shows a compacted thread whole on its model, and the footer prices it', async () => {
    server.reset();
    const ws = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-ui-resume-')));
    execFileSync('git', ['init', '-q', ws]);
    const catalog = join(ws, '..', `catalog-${process.pid}-${Date.now()}.json`);
    writeFileSync(catalog, JSON.stringify({ mode: 'extend', models: [{ slug: 'gpt-5.4-mini', price: { input: 2.5, output: 15 } }] }));
    const home = makeHome({
      'config.toml':
        `model_provider = "mock"\nmodel = "gpt-5.4-mini"\napproval_policy = "never"\nmodel_catalog_json = "${catalog}"\n` +
        `[projects."${ws}"]\ntrust_level = "trusted"\n` +
        `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 0\n`,
    });
    const env = { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' };
    // Two earlier sessions, a moment apart.
    for (const prompt of ['an older exec session', 'another exec session']) {
      server.reply(turn({ text: 'ok' }));
      expect((await runCliAsync(['exec', prompt], { home, cwd: ws, env })).status).toBe(0);
    }

    server.reply(
      turn({ text: 'the answer before compacting', usage: { input: 1000, output: 100 } }),
      turn({ text: 'SUMMARY: one question.', usage: { input: 200, output: 10 } }),
      turn({ text: 'the answer after compacting', usage: { input: 300, output: 10 } }),
    );
    const first = await Terminal.start({ args: ['the question before compacting'], cwd: ws, env });
    try {
      // 1,000 input and 100 output tokens at $2.50 and $15 a million: $0.0040.
      await first.waitFor((s) => /the answer before compacting/.test(s) && /~\$0\.0040/.test(s));
      await first.submit('/compact');
      await first.waitFor(/Context compacted/);
      await first.submit('the question after compacting');
      await first.waitFor(/the answer after compacting/);
      await first.press('C-d');
      await first.waitFor(/\[exit 0\]/);
    } finally {
      await first.close();
    }

    const picker = await Terminal.start({ args: ['resume', '-m', 'gpt-5.4'], cwd: ws, env });
    try {
      const screen = await picker.waitFor(/Resume a session[\s\S]*an older exec session/);
      const rows = screen.split('\n').filter((l) => /exec session|question before compacting/.test(l));
      expect(rows).toHaveLength(3);
      const ids = rows.map((r) => /([0-9a-f]{8}(?:-[0-9a-f]{1,4})*)/.exec(r)?.[1] ?? '');
      expect(new Set(ids).size).toBe(3);
      // Aligned: each row's first prompt starts in the same column.
      const starts = rows.map((r) => r.search(/an older|another|the question/));
      expect(new Set(starts).size).toBe(1);
      // The newest first: the compacted thread.
      expect(rows[0]).toMatch(/the question before compacting/);
      await picker.press('Enter');
      const all = await picker.waitFor((s) => /the answer after compacting/.test(s) && /ask anything/.test(s), { all: true });
      expect(all).toMatch(/› the question before compacting[\s\S]*the answer before compacting[\s\S]*Context compacted[\s\S]*› the question after compacting[\s\S]*the answer after compacting/);
      // -m chose another model; resuming says the thread's own and continues on the one asked for.
      expect(all).toMatch(/thread last used gpt-5\.4-mini/);
    } finally {
      await picker.close();
    }
  }, 60_000);
});
