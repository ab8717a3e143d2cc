/**
 * `opencodex resume ID PROMPT` and `resume --last PROMPT` (Codex 0.171's form): the session opens with
 * its history and the prompt is sent as its next turn. In tmux, against the scripted server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, runCli, runCliAsync } from '../support/cli.js';
import { gitWorkspace, jsonLines } from '../support/e2e.js';
import { startScriptedServer, turn, type ScriptedServer } from '../support/scripted-server.js';
import { Terminal } from './tmux.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

function setup() {
  const home = makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\nsandbox_mode = "read-only"\napproval_policy = "on-request"\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n`,
  });
  const env = { OPENCODEX_HOME: home, HOME: mkdtempSync(join(tmpdir(), 'ocx-ui-user-')), MOCK_KEY: 'k' };
  return { home, env, cwd: gitWorkspace() };
}

/** A finished exec session in `cwd`; returns its id. */
async function session(s: ReturnType<typeof setup>, prompt: string): Promise<string> {
  server.reply(turn({ text: `answer to ${prompt}` }));
  const r = await runCliAsync(['exec', '--json', prompt], { home: s.home, cwd: s.cwd, env: s.env });
  expect(r.status, r.stderr).toBe(0);
  return jsonLines(r.stdout).find((e) => e.type === 'thread.started')?.thread_id as string;
}

async function resumeWith(s: ReturnType<typeof setup>, args: string[], answer: string): Promise<void> {
  server.reply(turn({ text: answer }));
  const term = await Terminal.start({ args, cwd: s.cwd, env: s.env });
  try {
    await term.waitFor(new RegExp(answer));
    await term.press('C-d');
    await term.waitFor(/\[exit 0\]/);
  } finally {
    await term.close();
  }
}

describe('resume with a prompt', () => {
  it('resume ID PROMPT continues that session with the prompt', async () => {
    server.reset();
    const s = setup();
    const id = await session(s, 'first question');
    await session(s, 'another thread');
    await resumeWith(s, ['resume', id, 'and a follow-up'], 'Follow-up answered');
    const input = JSON.stringify(server.requests.at(-1)?.body?.input);
    expect(input).toContain('first question');
    expect(input).not.toContain('another thread');
    expect(input).toContain('and a follow-up');
  }, 60_000);

  it('resume --last PROMPT continues the latest session; --last with an id and a prompt is a usage error', async () => {
    server.reset();
    const s = setup();
    await session(s, 'older question');
    await session(s, 'latest question');
    await resumeWith(s, ['resume', '--last', 'one more thing'], 'Latest continued');
    const input = JSON.stringify(server.requests.at(-1)?.body?.input);
    expect(input).toContain('latest question');
    expect(input).toContain('one more thing');

    const both = runCli(['resume', '--last', 'some-id', 'a prompt'], { home: s.home, cwd: s.cwd, env: s.env });
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('error: resume --last takes only a prompt — drop the session id, or drop --last\n');
  }, 60_000);
});
