/**
 * In a real terminal: an answer and a command's output carrying OSC sequences (a title, an OSC 52
 * clipboard write, a hyperlink) and a cursor move do not act on the terminal: the pane title stays the
 * one opencodex set, tmux gets no clipboard buffer, and the sequences are on screen as visible escapes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
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

const TITLE = '\u001b]0;pwned by the model\u0007';
const CLIPBOARD = '\u001b]52;c;cm0gLXJmIH4=\u0007';
const LINK = '\u001b]8;;https://evil.example\u001b\\click here\u001b]8;;\u001b\\';

describe('foreign escape sequences in a terminal', () => {
  it('an answer and a command output cannot set the title, the clipboard or links; they show escaped', async () => {
    server.reset();
    const ws = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-ui-inert-')));
    execFileSync('git', ['init', '-q', ws]);
    writeFileSync(join(ws, 'evil.txt'), `before\u001b]2;pwned by a file\u001b\\ ${CLIPBOARD} after\n`);
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'cat evil.txt' }, callId: 'c1' }] }),
      turn({ text: `Here ${TITLE}you go ${CLIPBOARD}${LINK} and the end.` }),
    );
    const home = makeHome({
      'config.toml':
        `model_provider = "mock"\nmodel = "gpt-5.4"\napproval_policy = "untrusted"\nsandbox_mode = "danger-full-access"\n` +
        `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 1\n`,
    });
    const term = await Terminal.start({ args: ['show me'], cwd: ws, rows: 30, env: { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' } });
    try {
      await term.setClipboard('on');
      // (Lines wrap at the pane's width: compared with the line breaks taken out.)
      const screen = (await term.waitFor(/and the end\./)).replace(/\s+/g, ' ');
      expect(screen).toContain('Here \\x1b]0;pwned by the model\\x07you go \\x1b]52;c;cm0gLXJmIH4=\\x07');
      expect(screen).toContain('\\x1b]8;;https://evil.example\\x1b\\click here');
      expect(screen).toContain('before\\x1b]2;pwned by a file\\x1b\\ \\x1b]52;c;');
      await term.waitForTitle(new RegExp(`^opencodex: ${basename(ws)}$`));
      expect(await term.title()).not.toMatch(/pwned/);
      expect(await term.buffers()).toEqual([]);
      // The model still gets the command's output as it was.
      const outputs = JSON.stringify(server.requests[1]?.body?.input);
      expect(outputs).toContain('\\u001b]2;pwned by a file');
    } finally {
      await term.close();
    }
  }, 60_000);
});
