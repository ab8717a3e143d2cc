/**
 * The trust loop in a real terminal: a patch is approved from its numbered, coloured diff (scrolled when
 * long) before anything is written; a command from its full text, directory and reasons; a refusal of
 * either leaves one line saying what was not done and why; a prompt starting with `/` is a prompt unless
 * its first word is a command; Ctrl-C during a turn interrupts it and nothing else, and leaving needs a
 * deliberate Exit. Each checks the screen, the pane title and what the model was sent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome } from '../support/cli.js';
import { stallAfter, startScriptedServer, turn, type ScriptedServer, toolOutputs } from '../support/scripted-server.js';
import { Terminal } from './tmux.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});


function workspace(files: Record<string, string> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-ui-trust-')));
  execFileSync('git', ['init', '-q', dir]);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function start(cwd: string, args: string[] = []): Promise<Terminal> {
  const home = makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\napproval_policy = "untrusted"\nsandbox_mode = "danger-full-access"\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 1\n`,
  });
  return Terminal.start({ args, cwd, rows: 30, env: { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' } });
}

const LINES = Array.from({ length: 80 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const NEW_FILE = Array.from({ length: 40 }, (_, i) => `+new line ${i + 1}`).join('\n');
const PATCH =
  '*** Begin Patch\n*** Update File: src/app.txt\n@@\n line 2\n-line 3\n+line three\n line 4\n@@\n line 69\n-line 70\n+line seventy\n line 71\n' +
  `*** Add File: notes/new.md\n${NEW_FILE}\n*** End Patch`;

const idle = (ws: string): RegExp => new RegExp(`^opencodex: ${basename(ws)}$`);
const ACTION = /^\[!\] opencodex: .* \(action required\)$/;

const outputsOf = (n: number): string[] => Object.values(toolOutputs(server.requests[n]));

describe('approving what you can see, and refusals that leave a trace', () => {
  it('a patch shows its numbered, coloured diff before anything is written, scrolls, and a refusal with a reason leaves one line', async () => {
    server.reset();
    const ws = workspace({ 'src/app.txt': LINES });
    server.reply(turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: PATCH, callId: 'p1' }] }), turn({ text: 'Leaving the file as it is.' }));
    const term = await start(ws, ['tidy the file']);
    try {
      let screen = await term.waitFor(/Apply these changes\?/);
      expect(await term.waitForTitle(ACTION)).toContain(basename(ws));
      // The diff of each file, numbered (old numbers for removed lines), with a mark between hunks.
      expect(screen).toMatch(/• Edit src\/app\.txt \(\+2 -2\)/);
      expect(screen).toMatch(/\b1 {2}line 1\n.*\b2 {2}line 2\n.*\b3 -line 3\n.*\b3 \+line three\n.*\b4 {2}line 4/);
      expect(screen).toMatch(/⋮\n.*\b67 {2}line 67/);
      expect(screen).toMatch(/lines 1–17 of 58 · PgUp\/PgDn to scroll/);
      expect(screen).toMatch(/why: .*\n\n› 1\. Yes, once \(y\)/);
      expect(await term.coloured()).toMatch(/\u001b\[[0-9;]*32m\+line three/);
      expect(await term.coloured()).toMatch(/\u001b\[[0-9;]*31m-line 3/);
      // Nothing is written, and the model is told nothing, until the user answers.
      expect(readFileSync(join(ws, 'src/app.txt'), 'utf8')).toBe(LINES);
      expect(existsSync(join(ws, 'notes/new.md'))).toBe(false);
      expect(server.requests).toHaveLength(1);

      // PgDn goes through the rest of the preview, to the added file's last line.
      const pages: string[] = [];
      for (const want of [/lines 16–32 of 58/, /lines 31–47 of 58/, /lines 42–58 of 58/]) {
        await term.press('NPage');
        pages.push(await term.waitFor(want));
      }
      expect(pages[0]).toMatch(/• Add notes\/new\.md \(\+40 -0\)\n\s+1 \+new line 1\n/);
      expect(pages[2]).toMatch(/\b40 \+new line 40\n\s+lines 42–58 of 58/);
      await term.press('PPage');
      await term.waitFor(/lines 27–43 of 58/);

      await term.press('e');
      await term.waitFor(/Tell the model what to do instead/);
      await term.submit('keep line 3 as it is');
      screen = await term.waitFor(/Leaving the file as it is\./);
      expect(screen).toContain('✗ Not applied: src/app.txt, notes/new.md · you declined: keep line 3 as it is');
      expect(outputsOf(1).join('\n')).toContain('patch rejected by user: keep line 3 as it is');
      expect(readFileSync(join(ws, 'src/app.txt'), 'utf8')).toBe(LINES);
      expect(existsSync(join(ws, 'notes/new.md'))).toBe(false);
      await term.waitForTitle(idle(ws));
    } finally {
      await term.close();
    }
  }, 60_000);

  it('a command shows in full with its directory and why; n and Esc each leave one line, the model is told', async () => {
    server.reset();
    const ws = workspace({ 'sub/.keep': '' });
    const script = "printf 'a\\n' > a.txt\nprintf 'b\\n' > b.txt";
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: script, workdir: 'sub', justification: 'it writes the two files you asked for' }, callId: 'c1' }] }),
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'touch second.txt' }, callId: 'c2' }] }),
      turn({ text: 'Understood, nothing was run.' }),
    );
    const term = await start(ws, ['write the files']);
    try {
      let screen = await term.waitFor(/Allow this command\?/);
      expect(screen).toMatch(/\$ printf 'a\\n' > a\.txt\n\s+printf 'b\\n' > b\.txt/);
      expect(screen).toContain(`in ${ws}/sub`);
      expect(screen).toMatch(/why: the command is not on the list of known read-only commands/);
      expect(screen).toContain('the model says: it writes the two files you asked for');
      await term.waitForTitle(ACTION);
      expect(server.requests).toHaveLength(1);

      await term.press('n');
      screen = await term.waitFor(/Allow this command\?[\s\S]*touch second\.txt|touch second\.txt[\s\S]*Allow this command\?/);
      expect(screen).toContain("✗ Not run: printf 'a\\n' > a.txt … · you declined");
      await term.press('Escape');
      screen = await term.waitFor(/Understood, nothing was run\./);
      expect(screen).toContain('✗ Not run: touch second.txt · you declined');
      // One line each: the declined command's own item is not printed again.
      expect(screen).not.toMatch(/declined\n\n✗ (printf|touch)|touch second\.txt declined/);
      expect(outputsOf(1)).toEqual(['exec command rejected by user']);
      expect(outputsOf(2)).toEqual(['exec command rejected by user', 'exec command rejected by user']);
      for (const f of ['sub/a.txt', 'sub/b.txt', 'second.txt']) expect(existsSync(join(ws, f))).toBe(false);
      await term.waitForTitle(idle(ws));
    } finally {
      await term.close();
    }
  }, 60_000);

  it('a prompt starting with / is sent to the model; only a command name runs a command', async () => {
    server.reset();
    const ws = workspace();
    server.reply(turn({ text: 'That is a file, not a command.' }));
    const term = await start(ws);
    try {
      await term.waitFor(/ask anything/);
      await term.submit('/etc/hosts looks wrong');
      let screen = await term.waitFor(/That is a file, not a command\./);
      expect(screen).not.toMatch(/unknown command/);
      expect(JSON.stringify(server.requests[0]?.body?.input)).toContain('/etc/hosts looks wrong');
      await term.waitForTitle(idle(ws));

      await term.submit('/status');
      screen = await term.waitFor(/\/status\n\s+model:/);
      expect(screen).toMatch(/session id:\s+[0-9a-f-]{36}/);
      expect(server.requests).toHaveLength(1);
    } finally {
      await term.close();
    }
  }, 60_000);
  it('Ctrl-C during a turn interrupts only; with nothing running it asks Cancel / Exit before leaving', async () => {
    server.reset();
    const ws = workspace();
    server.reply(stallAfter(8, { text: 'This answer starts and then stalls for good.', deltaSize: 4 }), turn({ text: 'Still here after the interrupt.' }));
    const term = await start(ws, ['take your time']);
    try {
      await term.waitFor(/esc to interrupt/);
      await term.waitForTitle(/\(working\)$/);
      await term.press('C-c');
      let screen = await term.waitFor(/Interrupted\. Tell the model what to do differently\./);
      // The interrupt is all it did: no exit question, the session goes on.
      expect(screen).not.toMatch(/Exit opencodex\?|\[exit/);
      await term.waitForTitle(idle(ws));
      await term.submit('carry on');
      await term.waitFor(/Still here after the interrupt\./);
      expect(server.requests).toHaveLength(2);
      expect(JSON.stringify(server.requests[1]?.body?.input)).toContain('carry on');

      // Idle: Ctrl-C asks; Cancel is highlighted, so Enter stays, and a second Ctrl-C cancels too.
      await term.press('C-c');
      screen = await term.waitFor(/Exit opencodex\?/);
      expect(screen).toMatch(/Exit opencodex\?.*\n› 1\. Cancel \(c\)\n {2}2\. Exit \(x\)/);
      await term.press('Enter');
      await term.waitFor((s) => !/Exit opencodex\?/.test(s) && /ask anything/.test(s));
      await term.press('C-c');
      await term.waitFor(/Exit opencodex\?/);
      await term.press('C-c');
      await term.waitFor((s) => !/Exit opencodex\?/.test(s) && /ask anything/.test(s));
      // Down to Exit, then Enter leaves, with the resume hint.
      await term.press('C-c');
      await term.waitFor(/Exit opencodex\?/);
      await term.press('Down');
      await term.waitFor(/› 2\. Exit \(x\)/);
      await term.press('Enter');
      screen = await term.waitFor(/\[exit 0\]/);
      expect(screen).toMatch(/opencodex resume [0-9a-f-]{36}/);
      expect(server.requests).toHaveLength(2);
    } finally {
      await term.close();
    }
  }, 60_000);
});
