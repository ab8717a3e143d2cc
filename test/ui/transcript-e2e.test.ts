/**
 * The transcript's smaller promises (#13), in a real terminal against the scripted server: a command's
 * carriage-return progress keeps its layout (the last state shows), a long output shows its tail and Ctrl-O
 * prints it whole, reasoning is dimmed, a Markdown table is drawn in aligned columns, `?` lists the shortcuts,
 * Tab completes a command name; with `--alt-screen` the conversation scrolls with PgUp/PgDn.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome } from '../support/cli.js';
import { startScriptedServer, turn, type ScriptedServer } from '../support/scripted-server.js';
import { Terminal } from './tmux.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

function workspace(): { ws: string; home: string } {
  const ws = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-ui-transcript-')));
  execFileSync('git', ['init', '-q', ws]);
  const home = makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\napproval_policy = "never"\nsandbox_mode = "danger-full-access"\n` +
      `[projects."${ws}"]\ntrust_level = "trusted"\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 0\n`,
  });
  return { ws, home };
}

/** Whether dim (SGR 2) is on at `index` of a capture with its SGR sequences, reading them from the start. */
function dimAt(text: string, index: number): boolean {
  let dim = false;
  for (const m of text.slice(0, index).matchAll(/\u001b\[([\d;]*)m/g)) {
    for (const code of (m[1] === '' ? '0' : (m[1] as string)).split(';')) {
      if (code === '0' || code === '22') dim = false;
      else if (code === '2') dim = true;
    }
  }
  return dim;
}

const TABLE = '| Name | Size |\n|:-----|-----:|\n| `a.ts` | 12 |\n| longer name | 3 |';

describe('the transcript in a terminal', () => {
  it('keeps progress output laid out, shows a long output by its tail and Ctrl-O prints it, dims reasoning, aligns a table', async () => {
    server.reset();
    const { ws, home } = workspace();
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: "printf 'fetching 10%%\\rfetching 60%%\\rfetching 100%%\\n'; seq 1 30" }, callId: 'c1' }] }),
      turn({ reasoningSummary: ['**Checking** the sizes'], text: `Here they are:\n\n${TABLE}\n\nDone.` }),
    );
    const term = await Terminal.start({ args: ['show the sizes'], cwd: ws, rows: 40, env: { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' } });
    try {
      const screen = await term.waitFor(/Done\./, { all: true });
      // The progress bar's last state, not its carriage returns' pieces on lines of their own.
      expect(screen).toMatch(/fetching 100%/);
      expect(screen).not.toMatch(/│ fetching 10%/);
      // The tail of the output (its last lines) with the middle counted and the key that shows it.
      expect(screen).toMatch(/\b29\n.*\b30\n/);
      expect(screen).toMatch(/ctrl\+o/);
      expect(screen).not.toMatch(/^\s*│?\s*15$/m);
      // The table in aligned columns.
      expect(screen).toMatch(/Name {8}│ Size\n.*─+┼─+\n.*a\.ts {8}│ {3}12\n.*longer name │ {4}3/);
      // Reasoning dimmed (SGR 2 before its text).
      // Dimmed as a whole: dim is on at both of its words (tmux's capture only writes what changes).
      const coloured = await term.coloured();
      const reasoning = coloured.indexOf('Checking');
      expect(dimAt(coloured, reasoning)).toBe(true);
      expect(dimAt(coloured, coloured.indexOf('the sizes', reasoning))).toBe(true);
      expect(dimAt(coloured, coloured.indexOf('Here they are'))).toBe(false);
      // Ctrl-O prints the whole output.
      await term.press('C-o');
      const all = await term.waitFor((s) => /^\s*│?\s*15$/m.test(s), { all: true });
      expect(all).toMatch(/^\s*│?\s*14$/m);
      // `?` lists the shortcuts; Tab completes a command name's unambiguous prefix.
      await term.type('?');
      await term.waitFor(/ctrl\+r/);
      await term.press('BSpace');
      await term.type('/sta');
      await term.press('Tab');
      await term.waitFor(/› \/status/);
    } finally {
      await term.close();
    }
  }, 60_000);

  it('with --alt-screen, PgUp/PgDn scroll the conversation the alternate screen cannot keep', async () => {
    server.reset();
    const { ws, home } = workspace();
    server.reply(turn({ text: Array.from({ length: 60 }, (_, i) => `answer line ${i + 1}`).join('\n\n') }));
    const term = await Terminal.start({ args: ['--alt-screen', 'talk'], cwd: ws, rows: 20, env: { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' } });
    try {
      await term.waitFor((s) => /answer line 60/.test(s) && /ask anything/.test(s));
      await term.press('PPage');
      const up = await term.waitFor(/more lines below · PgDn/);
      expect(up).not.toMatch(/answer line 60/);
      for (let i = 0; i < 12; i++) await term.press('PPage');
      await term.waitFor(/› talk/);
      await term.press('NPage');
      await term.press('NPage');
      for (let i = 0; i < 12; i++) await term.press('NPage');
      const back = await term.waitFor((s) => /answer line 60/.test(s) && !/more lines below/.test(s));
      expect(back).toMatch(/ask anything/);
    } finally {
      await term.close();
    }
  }, 60_000);
});
