/**
 * A disk that refuses the rollout (full, over quota, failing) never ends the turn: the recorder warns
 * once, keeps every record queued in order (a short write keeps the rest of its line), and writes the
 * queue as soon as the disk takes it. End to end, the sessions directory is a 64 KiB tmpfs (bubblewrap)
 * filled up before the run; the scripted model frees it with a shell command in one run and not in
 * another.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../src/providers/index.js';
import { forkSession, loadRollout, openRollout, type SessionMeta } from '../../src/sessions/index.js';
import { UserError, uuidv7 } from '../../src/shared/index.js';
import { CLI, makeHome, type CliResult } from '../support/cli.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, useScriptedServer } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const server = useScriptedServer();

const meta = (): SessionMeta => ({
  id: uuidv7(),
  timestamp: new Date().toISOString(),
  cwd: '/w',
  originator: 't',
  cli_version: '0',
  source: 'exec',
  model_provider: 'p',
  base_instructions: { text: 'base' },
});
const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected, write`), { code });

/** A write(2) the test controls: `fail` throws that code; `cut` writes only that many bytes of the next call. */
function disk(): { write: (fd: number, data: Uint8Array) => number; fail: string | undefined; cut: number | undefined; calls: number } {
  const d = {
    fail: undefined as string | undefined,
    cut: undefined as number | undefined,
    calls: 0,
    write(fd: number, data: Uint8Array): number {
      d.calls++;
      if (d.cut !== undefined) {
        const n = d.cut;
        d.cut = undefined;
        return writeSync(fd, data.subarray(0, n));
      }
      if (d.fail !== undefined) throw errno(d.fail);
      return writeSync(fd, data);
    },
  };
  return d;
}

const records = (path: string): Array<{ type: string; payload: { type?: string; message?: string } }> =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; payload: { type?: string; message?: string } });

describe('the recorder on a disk that refuses writes', () => {
  it('warns once, keeps going, and writes every queued record in order once the disk takes them', () => {
    const home = makeHome();
    const d = disk();
    const warnings: string[] = [];
    const rec = openRollout(home, meta(), { write: d.write, onWarning: (m) => warnings.push(m) });
    d.fail = 'ENOSPC';
    rec.event({ type: 'user_message', message: 'one' });
    rec.item(user('two'));
    rec.sync();
    rec.event({ type: 'agent_message', message: 'three' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^cannot write the session file \S+\.jsonl: no space left on the device \(ENOSPC\); the turn goes on .* free up disk space$/);
    d.fail = undefined;
    rec.event({ type: 'agent_message', message: 'four' });
    rec.close();
    expect(records(rec.path).map((r) => r.payload.message ?? r.type)).toEqual(['session_meta', 'one', 'response_item', 'three', 'four']);
    expect(loadRollout(rec.path).warnings).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('a short write keeps the rest of its line, written first next time: no torn line', () => {
    const home = makeHome();
    const d = disk();
    const warnings: string[] = [];
    const rec = openRollout(home, meta(), { write: d.write, onWarning: (m) => warnings.push(m) });
    rec.event({ type: 'user_message', message: 'first' });
    d.cut = 10;
    d.fail = 'EDQUOT';
    rec.event({ type: 'agent_message', message: 'cut short' });
    expect(readFileSync(rec.path, 'utf8').endsWith('\n')).toBe(false); // half a line on disk, the rest queued
    expect(warnings[0]).toMatch(/the disk quota is exceeded \(EDQUOT\)/);
    d.fail = undefined;
    rec.sync();
    expect(records(rec.path).map((r) => r.payload.message ?? r.type)).toEqual(['session_meta', 'first', 'cut short']);
    rec.close();
  });

  it('records that still fail at close stay queued and reach the file with the next write', () => {
    const home = makeHome();
    const d = disk();
    const warnings: string[] = [];
    const rec = openRollout(home, meta(), { write: d.write, onWarning: (m) => warnings.push(m) });
    d.fail = 'EIO';
    rec.event({ type: 'user_message', message: 'kept' });
    rec.close();
    d.fail = undefined;
    rec.event({ type: 'agent_message', message: 'later' });
    rec.close();
    expect(records(rec.path).map((r) => r.payload.message ?? r.type)).toEqual(['session_meta', 'kept', 'later']);
    expect(warnings).toEqual([expect.stringMatching(/an input\/output error occurred \(EIO\)/)]);
  });

  it('warns again only after a recovery; other errors are thrown; without a listener the failure is a UserError', () => {
    const d = disk();
    const warnings: string[] = [];
    const rec = openRollout(makeHome(), meta(), { write: d.write, onWarning: (m) => warnings.push(m) });
    d.fail = 'ENOSPC';
    rec.event({ type: 'user_message', message: 'a' });
    rec.event({ type: 'user_message', message: 'b' });
    d.fail = undefined;
    rec.event({ type: 'user_message', message: 'c' });
    d.fail = 'ENOSPC';
    rec.event({ type: 'user_message', message: 'd' });
    expect(warnings).toHaveLength(2);
    d.fail = 'EBADF';
    expect(() => rec.event({ type: 'user_message', message: 'e' })).toThrow(/EBADF/);

    const quiet = disk();
    quiet.fail = 'ENOSPC';
    const strict = openRollout(makeHome(), meta(), { write: quiet.write });
    expect(() => strict.event({ type: 'user_message', message: 'x' })).toThrow(UserError);
  });

  it('a fork the home cannot take is a UserError, leaving nothing behind', () => {
    const source = openRollout(makeHome(), meta());
    source.event({ type: 'user_message', message: 'hello' });
    source.close();
    const home = makeHome({ sessions: 'a file where the sessions directory belongs' });
    expect(() => forkSession(home, source.path)).toThrow(new RegExp(`^cannot write the forked session ${home}/sessions/\\S+\\.jsonl: ${home}/sessions is a file, not a directory \\(ENOTDIR\\)$`));
  });

  it('a home that cannot hold a sessions directory is a UserError suggesting --ephemeral', () => {
    const parent = mkdtempSync(join(tmpdir(), 'ocx-notdir-'));
    const home = join(parent, 'home');
    writeFileSync(home, 'a file, not a directory');
    let err: unknown;
    try {
      openRollout(home, meta());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`cannot write the sessions directory ${home}/sessions: ${home} is a file, not a directory (ENOTDIR)`);
    expect((err as UserError).hint).toMatch(/--ephemeral/);
  });
});

/** bubblewrap can give a process a private tmpfs here (root, or unprivileged user namespaces). */
const bwrapWorks = spawnSync('bwrap', ['--dev-bind', '/', '/', '--tmpfs', '/mnt', '--', 'true']).status === 0;

const PAGE = 4096;

/**
 * Runs `opencodex exec` with `<home>/sessions` on a 64 KiB tmpfs, filled up before the run except for
 * `freeBytes`; after the run the sessions tree is copied out (the tmpfs goes away with the process).
 */
function execOnTinyDisk(args: readonly string[], o: { home: string; cwd: string; freeBytes: number; out: string }): Promise<CliResult> {
  const sessions = join(o.home, 'sessions');
  mkdirSync(sessions, { recursive: true });
  const script = [
    'cat /dev/zero > "$S/fill" 2>/dev/null',
    `truncate -s -${o.freeBytes} "$S/fill"`,
    `"$NODE" "$CLI" "$@"`,
    'rc=$?',
    'rm -f "$S/fill"',
    'cp -R "$S/." "$OUT/"',
    'exit $rc',
  ].join('\n');
  const env = { ...process.env, OPENCODEX_DEBUG: undefined, NO_COLOR: '1', OPENCODEX_HOME: o.home, MOCK_KEY: 'k', HOME: quietHome, S: sessions, OUT: o.out, NODE: process.execPath, CLI };
  return new Promise((resolve, reject) => {
    const child = spawn('bwrap', ['--dev-bind', '/', '/', '--size', String(16 * PAGE), '--tmpfs', sessions, '--', 'sh', '-c', script, 'sh', ...args], {
      env: env as NodeJS.ProcessEnv,
      cwd: o.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function homeFor(): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });
}

function rolloutIn(dir: string): string {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.startsWith('rollout-')) found.push(join(d, e.name));
    }
  };
  walk(dir);
  expect(found).toHaveLength(1);
  return found[0] as string;
}

describe.skipIf(!bwrapWorks)('exec with the sessions directory on a full disk', () => {
  it('finishes the turn with one warning line; once the model frees space, the whole thread is on disk', async () => {
    const home = homeFor();
    const out = mkdtempSync(join(tmpdir(), 'ocx-fulldisk-out-'));
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: `rm -f ${join(home, 'sessions', 'fill')}` }, callId: 'call_free' }] }),
      turn({ text: 'freed and done' }),
    );
    const r = await execOnTinyDisk(['exec', '-s', 'danger-full-access', 'free some space'], { home, cwd: gitWorkspace(), freeBytes: PAGE, out });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('freed and done\n');
    const warnings = r.stderr.split('\n').filter((l) => /warning|ERROR|ENOSPC/i.test(l));
    expect(warnings).toEqual([expect.stringMatching(/^warning: cannot write the session file \S+\.jsonl: no space left on the device \(ENOSPC\); the turn goes on /)]);
    const loaded = loadRollout(rolloutIn(out));
    expect(loaded.warnings).toEqual([]);
    const kinds = records(loaded.path).map((l) => (l.type === 'event_msg' ? l.payload.type : l.type));
    expect(kinds[0]).toBe('session_meta');
    expect(kinds.filter((k) => k === 'session_meta')).toHaveLength(1);
    expect(kinds.slice(-1)).toEqual(['task_complete']);
    expect(loaded.history.map((i) => i.type).slice(-4)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
  });

  it('--json: the disk never frees, the turn still completes, one error event tells why', async () => {
    const home = homeFor();
    const out = mkdtempSync(join(tmpdir(), 'ocx-fulldisk-out-'));
    server.reply(turn({ text: 'done anyway' }));
    const r = await execOnTinyDisk(['exec', '--json', '-s', 'danger-full-access', 'hi'], { home, cwd: gitWorkspace(), freeBytes: 0, out });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('Reading additional input from stdin...\n');
    const events = jsonLines(r.stdout);
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toEqual([{ type: 'error', message: expect.stringMatching(/^cannot write the session file .*\(ENOSPC\)/) }]);
    expect(events.at(-1)?.type).toBe('turn.completed');
    expect(events).toContainEqual({ type: 'item.completed', item: { id: expect.any(String), type: 'agent_message', text: 'done anyway' } });
    expect(rolloutFiles(home)).toEqual([]);
  });

  it('human mode, the disk never frees: the answer, one warning, and no resume line for a file that is not whole', async () => {
    const home = homeFor();
    const out = mkdtempSync(join(tmpdir(), 'ocx-fulldisk-out-'));
    server.reply(turn({ text: 'still answered' }));
    const r = await execOnTinyDisk(['exec', '-s', 'danger-full-access', 'hi'], { home, cwd: gitWorkspace(), freeBytes: 0, out });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('still answered\n');
    expect(r.stderr.split('\n').filter((l) => /warning|ERROR|ENOSPC/i.test(l))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/To continue this session/);
  });

  it('a read-only home: exec refuses to start, naming --ephemeral; nothing is sent', async () => {
    const home = homeFor();
    const r = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn('bwrap', ['--dev-bind', '/', '/', '--ro-bind', home, home, '--', process.execPath, CLI, 'exec', 'hi'], {
        env: { ...process.env, OPENCODEX_DEBUG: undefined, NO_COLOR: '1', OPENCODEX_HOME: home, MOCK_KEY: 'k', HOME: quietHome } as NodeJS.ProcessEnv,
        cwd: gitWorkspace(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: cannot write the sessions directory ${home}/sessions: the file system is read-only (EROFS) — make it writable, point OPENCODEX_HOME at a writable directory, or run exec with --ephemeral to keep no session file\n`);
    expect(server.requests).toHaveLength(0);
  });
});
