/**
 * The interactive UI end to end: the built binary in tmux against the scripted server. One session walks
 * through the main screens (compared with the text under fixtures/; `npm test -- -u` updates them): a streamed answer, a command
 * denied with an explanation, a command approved, a patch approved with its diff, /diff, /model with the
 * next request using the new model and config.toml updated, an interrupted turn, and the exit hint.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, runCli } from '../support/cli.js';
import { stallAfter, startScriptedServer, turn, type ScriptedServer, toolOutputs } from '../support/scripted-server.js';
import { expectScreen, Terminal } from './tmux.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});


function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocx-ui-ws-'));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

function homeWith(extra = ''): string {
  return makeHome({
    'config.toml':
      `# written by the test\nmodel_provider = "mock"\nmodel = "gpt-5.4"\nmodel_reasoning_effort = "high"\n` +
      `approval_policy = "untrusted"\nsandbox_mode = "danger-full-access"\n${extra}\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 1\n`,
  });
}

const PATCH = '*** Begin Patch\n*** Add File: notes/hello.md\n+# Hello\n+\n+made by the agent\n*** End Patch';

const ANSWER =
  '## Summary\n\nI created `notes/hello.md` and ran **one** command.\n\n```ts\nconst answer = 42; // the answer\n```\n\n- first point\n- second point\n\nAll done.';

const outputsOf = (n: number): string[] => Object.values(toolOutputs(server.requests[n]));

describe('interactive UI in a terminal', () => {
  it('streams, asks, applies, switches model, interrupts and exits with the resume hint', async () => {
    server.reset();
    const cwd = workspace();
    const home = homeWith();
    const userHome = mkdtempSync(join(tmpdir(), 'ocx-ui-user-'));
    const replace = { [cwd]: '<workspace>', [home]: '<home>' };
    server.reply(
      turn({ reasoningSummary: ['**Looking around** first.'], toolCalls: [{ name: 'shell_command', arguments: { command: 'touch first.txt' }, callId: 'c1' }] }),
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo hi > made.txt && cat made.txt' }, callId: 'c2' }] }),
      turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: PATCH, callId: 'c3' }] }),
      turn({ text: ANSWER, deltaSize: 5, usage: { input: 1200, output: 300 } }),
    );
    const term = await Terminal.start({ args: ['make a note'], cwd, env: { OPENCODEX_HOME: home, HOME: userHome, MOCK_KEY: 'k' } });
    try {
      // 1. The first command asks; deny it and tell the model why.
      let screen = await term.waitFor(/Allow this command\?/);
      await expectScreen(term, 'approval', replace);
      expect(screen).toContain('touch first.txt');
      expect(screen).toMatch(/Yes, once/);
      await term.press('e');
      await term.waitFor(/Tell the model what to do instead/);
      await term.submit('use echo instead');

      // 2. The second command: approve once.
      screen = await term.waitFor(/echo hi > made.txt && cat made.txt[\s\S]*Allow this command\?|Allow this command\?[\s\S]*echo hi > made\.txt/);
      await term.press('y');

      // 3. The patch asks under the untrusted policy: approve for the session; the diff is shown.
      screen = await term.waitFor(/Apply these changes\?/);
      expect(screen).toContain('notes/hello.md');
      await term.press('a');

      screen = await term.waitFor(/All done\./);
      await expectScreen(term, 'answer', replace);
      expect(screen).toMatch(/Edited 1 file/);
      expect(screen).toMatch(/\+made by the agent/);
      expect(screen).toMatch(/✓ echo hi > made\.txt && cat made\.txt exit 0/);
      expect(screen).toContain('const answer = 42;');
      expect(screen).toMatch(/gpt-5\.4 high · mock · danger-full-access · approvals: untrusted · 1,545 tokens/);
      expect(outputsOf(1).join('\n')).toContain('exec command rejected by user: use echo instead');
      expect(outputsOf(2).join('\n')).toContain('hi');
      expect(readFileSync(join(cwd, 'notes/hello.md'), 'utf8')).toBe('# Hello\n\nmade by the agent\n');

      // 4. /diff shows the workspace changes (untracked files included).
      await term.submit('/diff');
      screen = await term.waitFor(/\/diff[\s\S]*\+made by the agent[\s\S]*›/);
      expect(screen).toMatch(/made\.txt/);

      // 5. /model: pick gpt-5.4-mini, then an effort; the next request uses it and config.toml keeps it.
      await term.submit('/model');
      // The served models arrive after the picker opens (a dim loading line until then).
      screen = await term.waitFor(/Select a model[\s\S]*Served by Mock[\s\S]*scripted-model/);
      await expectScreen(term, 'model-picker', replace);
      expect(screen).toMatch(/Recommended[\s\S]*gpt-5\.4-mini[\s\S]*Alternatives/);
      await term.press('Down');
      await term.waitFor(/› 2\. gpt-5\.4-mini/);
      await term.press('Enter');
      screen = await term.waitFor(/Reasoning effort for gpt-5\.4-mini/);
      await term.press('Enter');
      screen = await term.waitFor(/Model changed to gpt-5\.4-mini/);
      const saved = readFileSync(join(home, 'config.toml'), 'utf8');
      expect(saved).toMatch(/^# written by the test\n/);
      expect(saved).toMatch(/^model = "gpt-5\.4-mini"$/m);
      server.reply(turn({ text: 'Now answering with the small model.' }));
      await term.submit('which model?');
      await term.waitFor(/Now answering with the small model\./);
      expect(server.requests.at(-1)?.body?.model).toBe('gpt-5.4-mini');

      // 6. Esc interrupts a turn that stalls mid-answer.
      server.reply(stallAfter(12, { text: 'This answer starts streaming and then stalls forever.', deltaSize: 4 }));
      await term.submit('take your time');
      await term.waitFor(/esc to interrupt/);
      await term.press('Escape');
      screen = await term.waitFor(/Interrupted\. Tell the model what to do differently\./);
      await expectScreen(term, 'interrupted', replace);

      // 7. Ctrl-C asks before leaving; Exit leaves and says how to resume.
      await term.press('C-c');
      await term.waitFor(/Exit opencodex\?/);
      await term.press('x');
      screen = await term.waitFor(/\[exit 0\]/);
      expect(screen).toMatch(/To continue this session, run opencodex resume [0-9a-f-]{36}/);
      expect(screen).not.toMatch(/Exit opencodex\?/);
      await expectScreen(term, 'exit', replace);
      const id = /opencodex resume ([0-9a-f-]{36})/.exec(screen)?.[1] as string;

      // 8. Without a terminal, `resume` lists the recent sessions.
      const listed = runCli(['resume'], { home, cwd, env: { HOME: userHome } });
      expect(listed.status).toBe(0);
      expect(listed.stdout).toContain(id);
      expect(listed.stdout).toContain('make a note');

      // 9. `opencodex resume ID` shows the thread and continues it.
      server.reply(turn({ text: 'Continuing where we left off.' }));
      const again = await Terminal.start({ args: ['resume', id], cwd, env: { OPENCODEX_HOME: home, HOME: userHome, MOCK_KEY: 'k' } });
      try {
        screen = await again.waitFor(/resumed session[\s\S]*›/, { all: true });
        expect(screen).toMatch(/› which model\?[\s\S]*Now answering with the small model\./);
        expect(screen).toMatch(/✓ echo hi > made\.txt && cat made\.txt exit 0/);
        expect(screen).toContain('✗ Not run: touch first.txt · you declined: use echo instead');
        expect(screen).toMatch(/gpt-5\.4-mini/);
        await expectScreen(again, 'resumed', replace);
        await again.submit('and now?');
        await again.waitFor(/Continuing where we left off\./);
        const input = JSON.stringify(server.requests.at(-1)?.body?.input);
        expect(input).toContain('which model?');
        expect(input).toContain('and now?');
        expect(server.requests.at(-1)?.body?.model).toBe('gpt-5.4-mini');
        await again.press('C-d');
        screen = await again.waitFor(/\[exit 0\]/);
        expect(screen).toContain(`opencodex resume ${id}`);
      } finally {
        await again.close();
      }
    } finally {
      await term.close();
    }
  }, 120_000);

  it('wraps on a narrow terminal without losing text, and honours NO_COLOR', async () => {
    server.reset();
    const cwd = workspace();
    const home = homeWith();
    const long = 'This is a long line of the answer that has to wrap several times on a forty column terminal, word by word.';
    server.reply(turn({ text: long }));
    const term = await Terminal.start({ args: ['hi'], cwd, columns: 40, rows: 20, env: { OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k', NO_COLOR: '1' } });
    try {
      const screen = await term.waitFor(/word by word\./);
      await expectScreen(term, 'narrow', { [cwd]: '<workspace>', [home]: '<home>' });
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
      expect(screen.replace(/\s+/g, ' ')).toContain(long);
      // NO_COLOR takes the colours away, not bold and dim (the prompt is bold, the footer dim).
      const sgr = [...(await term.coloured()).matchAll(/\u001b\[([0-9;]*)m/g)].flatMap((m) => (m[1] ?? '').split(';'));
      expect(sgr).toContain('1');
      expect(sgr).toContain('2');
      expect(sgr.filter((p) => /^(3[0-8]|9[0-7]|4[0-8]|10[0-7])$/.test(p))).toEqual([]);
      await term.press('C-d');
      await term.waitFor(/\[exit 0\]/);
    } finally {
      await term.close();
    }
  }, 60_000);
});
