/**
 * `exec` through dist/exec.cjs and V8's code cache (src/cli/exec-bundle.ts): the same behaviour as the ES
 * modules (`opencodex -s read-only exec …`, an option before the command, takes the ES-module path), and the
 * cache's life in a home: a marker after the first run, the cache after the second (private to the user),
 * used as is after that, and a damaged one replaced.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExecBundle } from '../../src/cli/exec-bundle.js';
import { makeHome, runCliAsync } from '../support/cli.js';
import { gitWorkspace, jsonLines, quietHome, useScriptedServer, type Json } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const server = useScriptedServer();

function home(): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.5"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n`,
  });
}

async function exec(h: string, cwd: string, args: string[]) {
  server.reply(turn({ toolCalls: [{ name: 'exec_command', arguments: { cmd: 'echo from-the-sandbox' } }] }), turn({ text: 'all done' }));
  const r = await runCliAsync(args, { home: h, cwd, env: { MOCK_KEY: 'k', HOME: quietHome } });
  const requests = server.requests.map((q) => ({ headers: { ...q.headers }, body: q.body }));
  server.reset();
  return { ...r, requests };
}

/** What must be the same on both paths: events, requests (ids, times and the client's port aside). */
function comparable(r: Awaited<ReturnType<typeof exec>>): unknown {
  const ids = new Set<string>();
  for (const e of jsonLines(r.stdout)) if (typeof e.thread_id === 'string') ids.add(e.thread_id);
  let text = JSON.stringify({ status: r.status, events: jsonLines(r.stdout), requests: r.requests });
  for (const id of ids) text = text.split(id).join('THREAD');
  text = text.replace(/Chunk ID: \w+/g, 'Chunk ID: X').replace(/Wall time: [\d.]+ seconds/g, 'Wall time: X seconds');
  return JSON.parse(text) as Json;
}

const cacheFiles = (h: string): string[] => (existsSync(join(h, 'cache', 'code')) ? readdirSync(join(h, 'cache', 'code')).sort() : []);

describe('exec from the code-cached bundle', () => {
  it('behaves as the ES modules do', async () => {
    const cwd = gitWorkspace();
    const h = home();
    const bundled = await exec(h, cwd, ['exec', '-s', 'read-only', '--json', 'go']);
    const modules = await exec(h, cwd, ['-s', 'read-only', 'exec', '--json', 'go']);
    expect(bundled.status).toBe(0);
    expect(bundled.stdout).toContain('from-the-sandbox');
    expect(comparable(bundled)).toEqual(comparable(modules));
    expect(bundled.stderr).toBe(modules.stderr);
  });

  it('keeps the code cache in the home: a marker first, the cache after the second run, then used as it is; a damaged one is replaced', async () => {
    const cwd = gitWorkspace();
    const h = home();
    const run = async () => {
      const r = await exec(h, cwd, ['exec', '--json', 'go']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('all done');
    };
    await run();
    const files = cacheFiles(h);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^exec-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.bin\.seen$/);

    // What an older bundle left behind goes when this one's cache is written; another Node's stays.
    const dir = join(h, 'cache', 'code');
    const stale = ['exec-0000000000000000-v20.0.0-x64.bin', 'exec-0000000000000000-v20.0.0-x64.bin.seen'];
    const otherNode = (files[0] as string).replace(/-v\d+\.\d+\.\d+-/, '-v99.0.0-').replace(/\.seen$/, '');
    for (const f of [...stale, otherNode]) writeFileSync(join(dir, f), 'old');
    await run();
    expect(cacheFiles(h).filter((f) => stale.includes(f))).toEqual([]);
    expect(cacheFiles(h)).toContain(otherNode);
    const [cache] = cacheFiles(h).filter((f) => f.endsWith('.bin') && f !== otherNode);
    expect(cache).toBeDefined();
    const path = join(h, 'cache', 'code', cache as string);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const written = readFileSync(path);
    expect(written.length).toBeGreaterThan(100_000);

    // Used: not written again.
    const before = statSync(path).mtimeMs;
    await run();
    expect(statSync(path).mtimeMs).toBe(before);
    expect(readFileSync(path).equals(written)).toBe(true);

    // Damaged: V8 rejects it (its checksum, see main.ts), the run compiles as without a cache, and the cache
    // is written anew.
    const damaged = Buffer.from(written);
    damaged.fill(0x5a, 64, 4096);
    writeFileSync(path, damaged);
    await run();
    expect(readFileSync(path).equals(damaged)).toBe(false);
    expect(readFileSync(path).length).toBeGreaterThan(100_000);
  });

  it('runs a turn with a sandboxed command without loading node:crypto, node:readline or process.stdin', async () => {
    // Each of those costs every run module compiling before its first request (ids come from /dev/urandom,
    // src/shared/random.ts; stdin that is /dev/null or a file is read in one call, src/exec/input.ts).
    const h = home();
    const preload = join(h, 'modules.cjs');
    const list = join(h, 'modules.txt');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`);
    server.reply(turn({ toolCalls: [{ name: 'exec_command', arguments: { cmd: 'echo from-the-sandbox' } }] }), turn({ text: 'all done' }));
    const devNull = openSync('/dev/null', 'r');
    try {
      const r = await runCliAsync(['exec', '--json', 'go'], { home: h, cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome, NODE_OPTIONS: `--require ${preload}` }, stdinFd: devNull });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('from-the-sandbox');
    } finally {
      closeSync(devNull);
      server.reset();
    }
    const loaded = readFileSync(list, 'utf8').split('\n');
    expect(loaded).toContain('NativeModule child_process');
    expect(loaded.filter((m) => /^NativeModule (crypto|readline|internal\/fs\/streams)$/.test(m))).toEqual([]);
  });

  it('holds the CLI without the terminal UI (ink, React, yoga) or the editor front ends (ACP SDK, ws)', () => {
    // ASCII only: exec-bundle.ts reads it as Latin-1.
    expect(readFileSync(new URL('../../dist/exec.cjs', import.meta.url)).every((b) => b < 0x80)).toBe(true);
    // The bundle is minified; the build lists the modules it holds beside it.
    const inputs = (JSON.parse(readFileSync(new URL('../../dist/exec.inputs.json', import.meta.url), 'utf8')) as string[]).join('\n');
    expect(inputs).toContain('src/exec/run.ts');
    expect(inputs).not.toMatch(/node_modules\/(ink|react|yoga-layout)\//);
    expect(inputs).not.toMatch(/node_modules\/(@agentclientprotocol|ws)\/|src\/(app-server|acp|host)\//);
  });

  it('is not used when running from source (no bundle was built into it)', () => {
    expect(loadExecBundle('/nonexistent')).toBeNull();
  });
});
