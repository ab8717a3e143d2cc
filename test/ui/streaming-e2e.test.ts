/**
 * A long answer is readable while it streams (#13 item 5): its complete lines reach the terminal's
 * scrollback as they arrive, once each, while the turn is still running; only the unfinished line is
 * redrawn. Before, a block without blank lines stayed in the redrawn region, cut to the window's height.
 * A retry notice appears where the stream broke, not after the answer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome } from '../support/cli.js';
import { disconnectAfter, stallAfter, startScriptedServer, turn, type ScriptedServer } from '../support/scripted-server.js';
import { Terminal } from './tmux.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

describe('a long answer while it streams', () => {
  it('puts its complete lines in the scrollback as they arrive, once each, before the turn ends', async () => {
    server.reset();
    const ws = mkdtempSync(join(tmpdir(), 'ocx-ui-stream-'));
    execFileSync('git', ['init', '-q', ws]);
    const text = Array.from({ length: 80 }, (_, i) => `- line ${i + 1} of the long answer`).join('\n');
    // It stalls partway (about 40 lines in): the turn is still running when the screen is read.
    server.reply(stallAfter(40, { text, deltaSize: 32 }));
    const home = makeHome({
      'config.toml':
        `model_provider = "mock"\nmodel = "gpt-5.4"\napproval_policy = "never"\nsandbox_mode = "danger-full-access"\n` +
        `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 0\n`,
    });
    const term = await Terminal.start({ args: ['tell me a lot'], cwd: ws, rows: 20, env: { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' } });
    try {
      const all = await term.waitFor((s) => /line 30 of the long answer/.test(s) && /esc to interrupt/.test(s), { all: true });
      // The first lines scrolled off the 20-row window into the scrollback, in order, each once.
      expect(all).toMatch(/› tell me a lot\n\n• line 1 of the long answer\n• line 2 of the long answer\n/);
      for (const n of [1, 2, 10, 20, 30]) expect(all.split(`• line ${n} of the long answer\n`)).toHaveLength(2);
      expect(all).not.toMatch(/more lines above/);
      await term.press('Escape');
      await term.waitFor(/Interrupted\./);
    } finally {
      await term.close();
    }
  }, 60_000);
});

describe('a stream that breaks and is sent again', () => {
  it('keeps what the broken attempt showed, then the notice where it happened, then the new answer', async () => {
    server.reset();
    const ws = mkdtempSync(join(tmpdir(), 'ocx-ui-retry-'));
    execFileSync('git', ['init', '-q', ws]);
    server.reply(
      disconnectAfter(8, { text: 'First attempt line one.\nFirst attempt line two.\nFirst attempt never finishes', deltaSize: 8 }),
      turn({ text: 'Second attempt answer.\nAll of it.' }),
    );
    const home = makeHome({
      'config.toml':
        `model_provider = "mock"\nmodel = "gpt-5.4"\napproval_policy = "never"\nsandbox_mode = "danger-full-access"\n` +
        `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 1\n`,
    });
    const term = await Terminal.start({ args: ['answer me'], cwd: ws, rows: 30, env: { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' } });
    try {
      const screen = await term.waitFor((s) => /All of it\./.test(s) && !/esc to interrupt/.test(s));
      // In order: the broken attempt's text, the notice, the new answer (not glued to the old one).
      expect(screen).toMatch(/› answer me\n\nFirst attempt line one\.\nFirst at\n\n• Reconnecting\.\.\. 1\/1 \(stream disconnected[^•]*\)\n\nSecond attempt answer\.\nAll of it\.\n/);
      expect(screen).not.toMatch(/First attempt[^\n]*Second attempt/);
      expect(screen.split('Reconnecting...')).toHaveLength(2);
      expect(server.requests).toHaveLength(2);
    } finally {
      await term.close();
    }
  }, 60_000);
});
