/**
 * Text read from a rollout never reaches the terminal raw: a corrupt line full of escape sequences is
 * quoted escaped by resume and fork, and `opencodex sessions` escapes what it lists.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, useScriptedServer } from '../support/e2e.js';

const server = useScriptedServer();
const env = { MOCK_KEY: 'k', HOME: quietHome };
/** Raw C0/C1 control bytes, other than the newline that ends a line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const homeFor = (): string =>
  makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });

async function recordedThread(home: string, cwd: string, prompt: string): Promise<string> {
  server.reply(turn({ text: 'ok' }));
  const r = await runCliAsync(['exec', '--json', prompt], { home, cwd, env });
  expect(r.status).toBe(0);
  return String(jsonLines(r.stdout)[0]?.thread_id);
}

describe('control characters from a rollout are printed escaped', () => {
  it.each([['resume'], ['fork']])('exec %s of a rollout with a corrupt line full of escape sequences', async (verb) => {
    const home = homeFor();
    const cwd = gitWorkspace();
    const id = await recordedThread(home, cwd, 'first');
    const file = rolloutFiles(home)[0] as string;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(2, 1, '\u001b]0;owned\u0007\u001b[2J\u009b31mnot json');
    writeFileSync(file, lines.join('\n'));
    server.reset();
    const r = await runCliAsync(['exec', verb, id, 'next'], { home, cwd, env });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toMatch(/^error: session file \S+ is corrupt at line 3: .*\\x1b\]0;owned\\x07.* — fix or remove that line/m);
    expect(server.requests).toHaveLength(0);
  });

  it('opencodex sessions lists a prompt with escape sequences escaped', async () => {
    const home = homeFor();
    const cwd = gitWorkspace();
    await recordedThread(home, cwd, 'look \u001b[31mred\u001b[0m and \u009b2J here');
    const r = await runCliAsync(['sessions'], { home, cwd, env });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('look \\x1b[31mred\\x1b[0m and \\x9b2J here');
  });
});
