/**
 * `opencodex archive`, `unarchive` and `delete` end to end: sessions recorded by the built CLI against the
 * scripted server, named by name and by id prefix; `sessions --archived`; a running session refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirm } from '../../src/cli/commands/housekeeping.js';
import { makeHome, runCliAsync, runCliInProcess } from '../support/cli.js';
import { hang, turn } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, useScriptedServer, type Json } from '../support/e2e.js';
import { until } from '../sandbox/helpers.js';

const server = useScriptedServer();
const env = { MOCK_KEY: 'sk-test-housekeeping-1234', HOME: quietHome };

function home(): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });
}

async function session(h: string, cwd: string, prompt: string): Promise<string> {
  server.reply(turn({ text: `answer to ${prompt}` }));
  const r = await runCliAsync(['exec', '--json', prompt], { home: h, cwd, env });
  expect(r.status).toBe(0);
  return String(jsonLines(r.stdout)[0]?.thread_id);
}

const ids = (stdout: string): string[] => (JSON.parse(stdout) as Json[]).map((s) => String(s.id));

describe('session housekeeping', () => {
  it('archive NAME, sessions --archived, unarchive PREFIX, delete --yes NAME', async () => {
    const h = home();
    const cwd = gitWorkspace();
    const keep = await session(h, cwd, 'keep me');
    const work = await session(h, cwd, 'nightly work');
    expect((await runCliAsync(['sessions', 'rename', work, 'nightly'], { home: h, cwd, env })).status).toBe(0);
    const file = rolloutFiles(h).find((f) => f.includes(work)) as string;

    const archived = await runCliAsync(['archive', 'nightly'], { home: h, cwd, env });
    expect(archived).toMatchObject({ status: 0, stdout: `Archived session ${work}.\n`, stderr: '' });
    expect(existsSync(file)).toBe(false);
    expect(ids((await runCliAsync(['sessions', '--json'], { home: h, cwd, env })).stdout)).toEqual([keep]);
    expect(ids((await runCliAsync(['sessions', '--archived', '--json'], { home: h, cwd, env })).stdout)).toEqual([work]);
    const table = await runCliAsync(['sessions', '--archived'], { home: h, cwd, env });
    expect(table.stdout).toMatch(new RegExp(`${work} .* nightly  nightly work`));
    expect(table.stderr).toMatch(/^bring one back with: opencodex unarchive <id\|name>/);

    const resume = await runCliAsync(['exec', 'resume', 'nightly', 'more'], { home: h, cwd, env });
    expect(resume.status).toBe(1);
    expect(resume.stderr).toBe('error: session nightly is archived — unarchive it first: opencodex unarchive nightly\n');
    expect(server.requests).toHaveLength(2);

    const back = await runCliAsync(['unarchive', work.slice(0, 18)], { home: h, cwd, env });
    expect(back).toMatchObject({ status: 0, stdout: `Unarchived session ${work}.\n` });
    expect(existsSync(file)).toBe(true);

    // No terminal to ask on: refused, nothing deleted.
    const asked = await runCliAsync(['delete', 'nightly'], { home: h, cwd, env });
    expect(asked.status).toBe(2);
    expect(asked.stderr).toBe(`error: cannot ask before deleting session ${work} without a terminal — add --yes to delete it without asking\n`);
    expect(existsSync(file)).toBe(true);

    const deleted = await runCliAsync(['delete', '--yes', 'nightly'], { home: h, cwd, env });
    expect(deleted).toMatchObject({ status: 0, stdout: `Deleted session ${work}.\n`, stderr: '' });
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${h}/session_index.jsonl`, 'utf8')).toBe('');
    expect(rolloutFiles(h)).toHaveLength(1);
    expect(ids((await runCliAsync(['sessions', '--json'], { home: h, cwd, env })).stdout)).toEqual([keep]);
  });

  it('archives and deletes an archived session by id prefix; Codex\'s --force deletes without asking', async () => {
    const h = home();
    const cwd = gitWorkspace();
    const id = await session(h, cwd, 'one');
    expect((await runCliInProcess(['archive', id.slice(0, 12)], { home: h, cwd, env })).stdout).toBe(`Archived session ${id}.\n`);
    const again = await runCliInProcess(['archive', id], { home: h, cwd, env });
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(`error: session ${id} is archived — unarchive it first: opencodex unarchive ${id}\n`);
    const gone = await runCliInProcess(['delete', '--force', id.slice(0, 12)], { home: h, cwd, env });
    expect(gone).toMatchObject({ status: 0, stdout: `Deleted session ${id}.\n` });
    expect(rolloutFiles(h)).toEqual([]);
    const missing = await runCliInProcess(['unarchive', id], { home: h, cwd, env });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: no session with id \S+ in \S+archived_sessions — list them/);
  });

  it('refuses to archive or delete a session that is running, and takes it once it has ended', async () => {
    const h = home();
    const cwd = gitWorkspace();
    server.reply(hang());
    let output = '';
    let stop = false;
    const running = runCliAsync(['exec', '--json', 'long task'], {
      home: h,
      cwd,
      env,
      interruptWhen: (o) => {
        output = o.stdout;
        return stop;
      },
    });
    await until(() => server.requests.length === 1 && output.includes('thread.started'), 'the running exec');
    const id = String(jsonLines(output)[0]?.thread_id);
    const refused = await runCliInProcess(['archive', id], { home: h, cwd, env });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^error: session ${id} is running \\(opencodex, process \\d+\\), so it cannot be archived — let that session end`));
    const notDeleted = await runCliInProcess(['delete', '--yes', id], { home: h, cwd, env });
    expect(notDeleted.status).toBe(1);
    expect(notDeleted.stderr).toMatch(/so it cannot be deleted/);
    stop = true;
    expect((await running).status).toBe(1);
    expect((await runCliInProcess(['delete', '--yes', id], { home: h, cwd, env })).stdout).toBe(`Deleted session ${id}.\n`);
  });
});

describe('the delete question', () => {
  const ask = async (answer: string | null): Promise<{ ok: boolean; shown: string }> => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const pending = confirm('Delete? [y/N] ', input, output);
    if (answer === null) input.end();
    else input.end(`${answer}\n`);
    return { ok: await pending, shown };
  };

  it('is yes only for y or yes', async () => {
    expect(await ask('y')).toEqual({ ok: true, shown: 'Delete? [y/N] ' });
    expect((await ask(' YES ')).ok).toBe(true);
    expect((await ask('')).ok).toBe(false);
    expect((await ask('no')).ok).toBe(false);
    expect((await ask('yes please')).ok).toBe(false);
    expect((await ask(null)).ok).toBe(false);
  });
});
