/** Thread names: recorded in the rollout and the sidecar index, listed, and resolved after ids and prefixes. */
import { appendFileSync, mkdtempSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findSession,
  forkSession,
  listSessions,
  loadRollout,
  nameEvent,
  nameIndexPath,
  openRollout,
  renameSession,
  type SessionMeta,
} from '../../src/sessions/index.js';
import { uuidv7 } from '../../src/shared/index.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ocx-names-'));

function thread(home: string, cwd: string, prompt: string, o: { id?: string; padding?: number; touched?: number } = {}): { id: string; path: string } {
  const id = o.id ?? uuidv7();
  const meta: SessionMeta = { id, timestamp: new Date().toISOString(), cwd, originator: 't', cli_version: '0', source: 'exec', model_provider: 'p', base_instructions: { text: 'base' } };
  const rec = openRollout(home, meta);
  rec.event({ type: 'user_message', message: prompt });
  if (o.padding) rec.item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'x'.repeat(o.padding) }] });
  rec.close();
  if (o.touched !== undefined) utimesSync(rec.path, o.touched / 1000, o.touched / 1000);
  return { id, path: rec.path };
}

const nameOf = (home: string, id: string, all = true): string | null | undefined => listSessions(home, { cwd: '/a', all }).find((s) => s.id === id)?.name;

describe('thread names', () => {
  it('are recorded in the rollout (append-only) and the sidecar, listed, and the latest rename wins', () => {
    const home = tmp();
    const t = thread(home, '/a', 'hello');
    const before = readFileSync(t.path, 'utf8');
    expect(nameOf(home, t.id)).toBeNull();

    expect(renameSession(home, t.path, '  first name  ')).toEqual({ id: t.id, name: 'first name' });
    renameSession(home, t.path, 'second');
    const after = readFileSync(t.path, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const added = after.slice(before.length).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; payload: unknown });
    expect(added).toEqual([
      { timestamp: expect.any(String), type: 'event_msg', payload: { type: 'thread_name_updated', thread_id: t.id, thread_name: 'first name' } },
      { timestamp: expect.any(String), type: 'event_msg', payload: { type: 'thread_name_updated', thread_id: t.id, thread_name: 'second' } },
    ]);
    expect(readFileSync(nameIndexPath(home), 'utf8').trimEnd().split('\n')).toHaveLength(2);
    expect(nameOf(home, t.id)).toBe('second');
    expect(loadRollout(t.path).threadName).toBe('second');
    expect(loadRollout(t.path).history).toEqual([]);
  });

  it('a name recorded in the middle of a long rollout is still listed (from the sidecar)', () => {
    const home = tmp();
    const t = thread(home, '/a', 'long', { padding: 400_000 });
    renameSession(home, t.path, 'mid');
    // Push the record out of both the bounded head and tail.
    appendFileSync(t.path, `${JSON.stringify({ timestamp: new Date().toISOString(), type: 'event_msg', payload: { type: 'agent_message', message: 'y'.repeat(200_000) } })}\n`);
    expect(nameOf(home, t.id)).toBe('mid');
  });

  it('a name recorded only in the rollout (no sidecar entry) is listed when it is in the tail', () => {
    const home = tmp();
    const t = thread(home, '/a', 'codex-named', { padding: 400_000 });
    appendFileSync(t.path, `${JSON.stringify({ timestamp: new Date().toISOString(), type: 'event_msg', payload: nameEvent(t.id, 'from codex') })}\n`);
    expect(nameOf(home, t.id)).toBe('from codex');
    expect(findSession(home, { id: 'from codex', cwd: '/a' })).toBe(t.path);
  });

  it('rejects names that cannot be names', () => {
    const home = tmp();
    const t = thread(home, '/a', 'x');
    expect(() => renameSession(home, t.path, '   ')).toThrow(/cannot be empty/);
    expect(() => renameSession(home, t.path, 'a\nb')).toThrow(/one line/);
    expect(() => renameSession(home, t.path, uuidv7())).toThrow(/looks like a session id/);
    expect(() => renameSession(home, t.path, 'n'.repeat(121))).toThrow(/at most 120/);
  });

  it('a fork does not inherit its source name', () => {
    const home = tmp();
    const t = thread(home, '/a', 'src');
    renameSession(home, t.path, 'source-name');
    const fork = forkSession(home, t.path);
    expect(nameOf(home, fork.meta.id)).toBeNull();
    expect(loadRollout(fork.path).threadName).toBeUndefined();
    expect(findSession(home, { id: 'source-name', cwd: '/a' })).toBe(t.path);
  });
});

describe('resolving by name', () => {
  it('id > prefix > name; exact names in this directory, most recently updated wins; --all; clear errors', () => {
    const home = tmp();
    const now = Date.now();
    const older = thread(home, '/a', 'older', { touched: now - 60_000 });
    const newer = thread(home, '/a', 'newer', { touched: now - 30_000 });
    const elsewhere = thread(home, '/b', 'elsewhere', { touched: now });
    renameSession(home, older.path, 'work');
    renameSession(home, newer.path, 'work');
    renameSession(home, elsewhere.path, 'work');
    utimesSync(older.path, (now - 60_000) / 1000, (now - 60_000) / 1000);
    utimesSync(newer.path, (now - 30_000) / 1000, (now - 30_000) / 1000);
    utimesSync(elsewhere.path, now / 1000, now / 1000);

    expect(findSession(home, { id: 'work', cwd: '/a' })).toBe(newer.path);
    expect(findSession(home, { id: 'work', cwd: '/a', all: true })).toBe(elsewhere.path);
    expect(findSession(home, { id: 'work', cwd: '/b' })).toBe(elsewhere.path);
    expect(() => findSession(home, { id: 'Work', cwd: '/a' })).toThrow(/no session with id or name Work/);

    // A later rename takes the name away.
    renameSession(home, newer.path, 'other');
    utimesSync(newer.path, (now - 30_000) / 1000, (now - 30_000) / 1000);
    expect(findSession(home, { id: 'work', cwd: '/a' })).toBe(older.path);

    // Only in other directories: said so, with --all as the fix.
    renameSession(home, elsewhere.path, 'only-b');
    expect(() => findSession(home, { id: 'only-b', cwd: '/a' })).toThrow(/the session named only-b was started in another directory \(\/b\), not in \/a/);
    try {
      findSession(home, { id: 'only-b', cwd: '/a' });
    } catch (err) {
      expect((err as { hint?: string }).hint).toMatch(/add --all/);
    }
    expect(findSession(home, { id: 'only-b', cwd: '/a', all: true })).toBe(elsewhere.path);

    expect(() => findSession(home, { id: 'nothing-here', cwd: '/a' })).toThrow(/names are looked up among sessions started in \/a/);
  });

  it('a unique id prefix wins over an equal name; an ambiguous prefix falls through to a name', () => {
    const home = tmp();
    const a1 = thread(home, '/a', 'a1', { id: '0190aaaa-0000-7000-8000-000000000001' });
    thread(home, '/a', 'a2', { id: '0190aaaa-0000-7000-8000-000000000002' });
    const b = thread(home, '/a', 'b', { id: '0190bbbb-0000-7000-8000-000000000001' });
    const named = thread(home, '/a', 'named');
    expect(() => findSession(home, { id: '0190aaaa', cwd: '/a' })).toThrow(/0190aaaa matches 2 sessions/);
    renameSession(home, named.path, '0190aaaa');
    expect(findSession(home, { id: '0190aaaa', cwd: '/a' })).toBe(named.path);
    renameSession(home, named.path, '0190bbbb');
    expect(findSession(home, { id: '0190bbbb', cwd: '/a' })).toBe(b.path);
    renameSession(home, named.path, b.id.slice(0, 20));
    expect(findSession(home, { id: b.id.slice(0, 20), cwd: '/a' })).toBe(b.path);
    expect(findSession(home, { id: a1.id, cwd: '/a' })).toBe(a1.path);
  });
});
