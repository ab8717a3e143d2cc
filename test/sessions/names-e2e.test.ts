/**
 * Thread names end to end: `opencodex sessions rename`, then `exec resume NAME` / `exec fork NAME` with the
 * built CLI against the scripted server; `sessions` and `sessions --json` show the name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, useScriptedServer, type Json } from '../support/e2e.js';

const server = useScriptedServer();

function home(): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });
}

const env = { MOCK_KEY: 'sk-test-key-names-123456', HOME: quietHome };

describe('thread names', () => {
  it('sessions rename NAME, then exec resume NAME continues that thread; sessions lists the name', async () => {
    const h = home();
    const cwd = gitWorkspace();
    server.reply(turn({ text: 'first answer' }));
    const first = await runCliAsync(['exec', '--json', 'first prompt'], { home: h, cwd, env });
    expect(first.status).toBe(0);
    const id = String(jsonLines(first.stdout)[0]?.thread_id);
    server.reset();
    server.reply(turn({ text: 'other answer' }));
    expect((await runCliAsync(['exec', '--json', 'other prompt'], { home: h, cwd, env })).status).toBe(0);
    const file = rolloutFiles(h).find((f) => f.includes(id)) as string;

    const renamed = await runCliAsync(['sessions', 'rename', id.slice(0, 30), 'login', 'fix'], { home: h, cwd, env });
    expect(renamed.stderr).toBe(`session ${id} is now named login fix; resume it with: opencodex resume 'login fix'\n`);
    expect(renamed.status).toBe(0);
    const last = JSON.parse(readFileSync(file, 'utf8').trimEnd().split('\n').pop() as string) as Json;
    expect(last).toMatchObject({ type: 'event_msg', payload: { type: 'thread_name_updated', thread_id: id, thread_name: 'login fix' } });

    const json = JSON.parse((await runCliAsync(['sessions', '--json'], { home: h, cwd, env })).stdout) as Json[];
    expect(json).toHaveLength(2);
    expect(json.map((s) => s.name).sort()).toEqual(['login fix', null]);
    expect(json.find((s) => s.id === id)).toMatchObject({ name: 'login fix', first_prompt: 'first prompt' });
    const table = await runCliAsync(['sessions'], { home: h, cwd, env });
    expect(table.stdout.split('\n')[0]).toMatch(/^ID +UPDATED +MODEL +NAME +FIRST PROMPT$/);
    expect(table.stdout).toMatch(new RegExp(`${id} .* gpt-5\\.4  login fix  first prompt\\n`));

    server.reset();
    server.reply(turn({ text: 'second answer' }));
    const resumed = await runCliAsync(['exec', '--json', 'resume', 'login fix', 'next'], { home: h, cwd, env });
    expect(resumed.stderr).not.toMatch(/error/);
    expect(resumed.status).toBe(0);
    expect(jsonLines(resumed.stdout)[0]).toMatchObject({ type: 'thread.started', thread_id: id });
    const input = JSON.stringify(server.requests[0]?.body?.input);
    expect(input).toContain('first prompt');
    expect(input).toContain('first answer');
    expect(input).not.toContain('other prompt');
    expect(input).toContain('next');
    expect(readFileSync(file, 'utf8')).toContain('second answer');
    // The name survives the resumed turns.
    const after = JSON.parse((await runCliAsync(['sessions', '--json'], { home: h, cwd, env })).stdout) as Json[];
    expect(after[0]).toMatchObject({ id, name: 'login fix' });

    // exec fork NAME: a new thread from the named one's history, without the name.
    server.reset();
    server.reply(turn({ text: 'fork answer' }));
    const forked = await runCliAsync(['exec', '--json', 'fork', 'login fix', 'fork prompt'], { home: h, cwd, env });
    expect(forked.status).toBe(0);
    const forkId = String(jsonLines(forked.stdout)[0]?.thread_id);
    expect(forkId).not.toBe(id);
    expect(JSON.stringify(server.requests[0]?.body?.input)).toContain('second answer');
    const listed = JSON.parse((await runCliAsync(['sessions', '--json'], { home: h, cwd, env })).stdout) as Json[];
    expect(listed.find((s) => s.id === forkId)?.name).toBeNull();
  });

  it('a name from another directory says so and suggests --all; an unknown name is one clear line', async () => {
    const h = home();
    const cwd = gitWorkspace();
    server.reply(turn({ text: 'answer' }));
    const first = await runCliAsync(['exec', '--json', 'a prompt'], { home: h, cwd, env });
    const id = String(jsonLines(first.stdout)[0]?.thread_id);
    expect((await runCliAsync(['sessions', 'rename', id, 'elsewhere'], { home: h, cwd, env })).status).toBe(0);

    const other = gitWorkspace();
    const r = await runCliAsync(['exec', 'resume', 'elsewhere', 'hi'], { home: h, cwd: other, env });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: the session named elsewhere was started in another directory (${cwd}), not in ${other} — add --all to use it from here, or run the command in that directory\n`);

    const missing = await runCliAsync(['exec', 'resume', 'no-such-name', 'hi'], { home: h, cwd, env });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^error: no session with id or name no-such-name in .*opencodex sessions rename/);

    const bad = await runCliAsync(['sessions', 'rename', id, ' '], { home: h, cwd, env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: a thread name cannot be empty — /);

    // sessions rename --all finds a current name in another directory.
    const again = await runCliAsync(['sessions', 'rename', '--all', 'elsewhere', 'renamed'], { home: h, cwd: other, env });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('is now named renamed');
  });
});
