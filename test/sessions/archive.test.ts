/**
 * Session housekeeping in the sessions layer: archiving, unarchiving and deleting threads (Codex 0.171's
 * layout: `archived_sessions/` holds the files flat), and telling whether a thread is being written.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ResponseItem } from '../../src/providers/index.js';
import {
  appendNameIndex,
  archiveSession,
  deleteSession,
  findSession,
  holdSessionLock,
  listSessions,
  loadRollout,
  openRollout,
  readNameIndex,
  sessionLockPath,
  sessionWriter,
  unarchiveSession,
  type SessionMeta,
} from '../../src/sessions/index.js';
import { uuidv7 } from '../../src/shared/index.js';
import { codexHome, codexThreads } from '../support/codex-fixtures.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ocx-archive-'));
const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });

function meta(cwd = '/w', id = uuidv7(), at = new Date()): SessionMeta {
  return { id, timestamp: at.toISOString(), cwd, originator: 't', cli_version: '0', source: 'exec', model_provider: 'p', base_instructions: { text: 'base' } };
}

/** A thread with one prompt, its recorder closed; returns its id and file. */
function thread(home: string, prompt = 'hello', at = new Date()): { id: string; path: string } {
  const m = meta('/w', uuidv7(), at);
  const rec = openRollout(home, m);
  rec.event({ type: 'user_message', message: prompt });
  rec.item(user(prompt));
  rec.close();
  return { id: m.id, path: rec.path };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('archive and unarchive', () => {
  it('moves the thread into archived_sessions/ (flat, name kept) and back to its day folder', () => {
    const home = tmp();
    const a = thread(home, 'first', new Date(2026, 0, 15, 10, 20, 30));
    const b = thread(home, 'second');
    const archived = archiveSession(home, a.id);
    expect(archived.files).toEqual([join(home, 'archived_sessions', basename(a.path))]);
    expect(existsSync(a.path)).toBe(false);
    expect(listSessions(home, { cwd: '/w' }).map((s) => s.id)).toEqual([b.id]);
    expect(listSessions(home, { cwd: '/w', archived: true }).map((s) => s.id)).toEqual([a.id]);
    // Nothing in the file changed: it still loads as the same thread.
    expect(loadRollout(archived.files[0] as string).meta.id).toBe(a.id);

    const back = unarchiveSession(home, a.id);
    expect(back.files).toEqual([join(home, 'sessions', '2026', '01', '15', basename(a.path))]);
    expect(readdirSync(join(home, 'archived_sessions'))).toEqual([]);
    expect(listSessions(home, { cwd: '/w' }).map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('says when the thread is already archived, not archived, or missing', () => {
    const home = tmp();
    const a = thread(home);
    expect(() => unarchiveSession(home, a.id)).toThrow(`session ${a.id} is not archived`);
    archiveSession(home, a.id);
    expect(() => archiveSession(home, a.id)).toThrow(`session ${a.id} is already archived`);
    const missing = uuidv7();
    expect(() => archiveSession(home, missing)).toThrow(`no session with id ${missing}`);
    expect(() => unarchiveSession(home, missing)).toThrow(`no archived session with id ${missing}`);
  });

  it('resume and fork lookups name an archived thread as archived; the archived store finds it by prefix and name', () => {
    const home = tmp();
    const a = thread(home);
    appendNameIndex(home, a.id, 'old-work');
    archiveSession(home, a.id);
    expect(() => findSession(home, { id: a.id, cwd: '/w' })).toThrow(`session ${a.id} is archived`);
    expect(() => findSession(home, { id: 'old-work', cwd: '/w' })).toThrow('session old-work is archived');
    expect(findSession(home, { id: a.id.slice(0, 13), cwd: '/w', store: 'archived' })).toBe(join(home, 'archived_sessions', basename(a.path)));
    expect(findSession(home, { id: 'old-work', cwd: '/w', store: 'any' })).toBe(join(home, 'archived_sessions', basename(a.path)));
    // --last never picks an archived thread.
    expect(() => findSession(home, { last: true, cwd: '/w' })).toThrow(/no earlier session/);
  });

  it('a Codex home: every segment of a rolled-back thread moves, and a fork still reads its archived source', () => {
    const home = codexHome();
    const { rollback, codeMode, fork } = codexThreads.threads;
    const moved = archiveSession(home, rollback);
    expect(moved.files.map((f) => basename(f))).toHaveLength(2);
    expect(readdirSync(join(home, 'archived_sessions')).sort()).toEqual(moved.files.map((f) => basename(f)).sort());
    // The fork Codex made holds only its own turns; its source's records come from the archived file.
    const before = loadRollout(findSession(home, { id: fork, cwd: '/', all: true })).history.length;
    archiveSession(home, codeMode);
    expect(loadRollout(findSession(home, { id: fork, cwd: '/', all: true })).history.length).toBe(before);
    expect(before).toBeGreaterThan(2);
  });
});

describe('delete', () => {
  it('removes the thread files (in use or archived) and its index lines, and nothing else', () => {
    const home = tmp();
    const a = thread(home, 'doomed');
    const b = thread(home, 'kept');
    appendNameIndex(home, a.id, 'doomed-name');
    appendNameIndex(home, b.id, 'kept-name');
    appendNameIndex(home, a.id, 'renamed');
    appendFileSync(join(home, 'session_index.jsonl'), 'not json\n');
    writeFileSync(join(home, 'history.jsonl'), `${JSON.stringify({ conversation_id: a.id, ts: 1, text: 'doomed' })}\n`);
    const gone = deleteSession(home, a.id);
    expect(gone).toEqual({ id: a.id, files: [a.path], names: 2 });
    expect(existsSync(a.path)).toBe(false);
    expect(existsSync(b.path)).toBe(true);
    expect(readFileSync(join(home, 'session_index.jsonl'), 'utf8').split('\n').filter((l) => l !== '')).toEqual([expect.stringContaining(b.id), 'not json']);
    expect([...readNameIndex(home).keys()]).toEqual([b.id]);
    expect(readFileSync(join(home, 'history.jsonl'), 'utf8')).toContain(a.id);

    archiveSession(home, b.id);
    expect(deleteSession(home, b.id).files).toEqual([join(home, 'archived_sessions', basename(b.path))]);
    expect(filesUnder(join(home, 'archived_sessions'))).toEqual([]);
    expect(() => deleteSession(home, b.id)).toThrow(`no session with id ${b.id}`);
  });
});

describe('a running session', () => {
  it('is one whose recorder is open: archive and delete refuse it until it is closed', () => {
    const home = tmp();
    const m = meta();
    const rec = openRollout(home, m);
    rec.item(user('busy'));
    expect(sessionWriter(home, m.id)).toEqual({ pid: process.pid, writer: 'opencodex' });
    expect(() => archiveSession(home, m.id)).toThrow(new RegExp(`session ${m.id} is running \\(opencodex, process ${process.pid}\\), so it cannot be archived`));
    expect(() => deleteSession(home, m.id)).toThrow(/is running .* cannot be deleted/);
    rec.close();
    expect(sessionWriter(home, m.id)).toBeNull();
    expect(existsSync(sessionLockPath(home, m.id))).toBe(false);
    expect(archiveSession(home, m.id).files).toHaveLength(1);
  });

  it('a lock file left by a process that has ended, or whose pid now belongs to another process, does not count', () => {
    const home = tmp();
    const id = uuidv7();
    mkdirSync(join(home, 'thread-writer-locks'));
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(sessionLockPath(home, id), JSON.stringify({ pid: Number(ended.stdout), start: null, writer: 'opencodex' }));
    expect(sessionWriter(home, id)).toBeNull();
    writeFileSync(sessionLockPath(home, id), JSON.stringify({ pid: process.pid, start: 'another-start-time', writer: 'opencodex' }));
    expect(sessionWriter(home, id)).toBeNull();
    // Codex leaves its lock files behind, empty: not running either.
    writeFileSync(sessionLockPath(home, id), '');
    expect(sessionWriter(home, id)).toBeNull();
  });

  it('sees a thread Codex is writing (its flock on the same lock file)', async () => {
    const home = tmp();
    const id = uuidv7();
    mkdirSync(join(home, 'thread-writer-locks'));
    const path = sessionLockPath(home, id);
    writeFileSync(path, '');
    const holder = spawn('flock', ['--exclusive', path, 'sleep', '30'], { stdio: 'ignore' });
    onTestFinished(() => void holder.kill('SIGKILL'));
    for (let i = 0; i < 500 && sessionWriter(home, id) === null; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sessionWriter(home, id)).toMatchObject({ writer: 'codex' });
    expect(() => deleteSession(home, id)).toThrow(/no session/);
  });

  it('holding a lock another live process holds leaves it to that process', () => {
    const home = tmp();
    const id = uuidv7();
    const release = holdSessionLock(home, id);
    const before = readFileSync(sessionLockPath(home, id), 'utf8');
    release();
    expect(existsSync(sessionLockPath(home, id))).toBe(false);
    // A record of another live process (pid 1 is always there) is not replaced nor removed.
    writeFileSync(sessionLockPath(home, id), JSON.stringify({ pid: 1, start: null, writer: 'opencodex' }));
    holdSessionLock(home, id)();
    expect(JSON.parse(readFileSync(sessionLockPath(home, id), 'utf8'))).toMatchObject({ pid: 1 });
    expect(before).toContain(`"pid":${process.pid}`);
  });
});
