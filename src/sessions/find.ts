/**
 * Finding the thread to resume or fork: the latest one, or by id, unique id prefix, rollout path, or
 * thread name, in that order. Names are matched exactly among the threads of the working directory
 * (every directory with `all`); the most recently updated wins.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { escapeLine, UserError } from '../shared/index.js';
import { listSessions, rolloutFiles, summarize, type SessionSummary } from './list.js';
import { readNameIndex } from './names.js';
import { sessionsDir, UUID_RE } from './paths.js';

export interface FindOptions {
  /** A thread id, a unique prefix of one, a rollout file path, or a thread name. */
  id?: string | undefined;
  /** The most recently updated session (in `cwd` unless `all`). */
  last?: boolean;
  cwd: string;
  all?: boolean;
}

const seeList = 'list them with `opencodex sessions --all`';

/** The rollout file of the session to resume. Throws a UserError naming the fix when there is none. */
export function findSession(home: string, o: FindOptions): string {
  if (o.last || o.id === undefined) {
    const [latest] = listSessions(home, { cwd: o.cwd, all: o.all === true, limit: 1 });
    if (!latest) {
      throw new UserError(o.all ? `no sessions in ${sessionsDir(home)}` : `no earlier session in ${resolve(o.cwd)}`, {
        hint: o.all ? 'start one with `opencodex exec`' : 'add --all to look in every directory, or start one with `opencodex exec`',
      });
    }
    return latest.path;
  }
  const id = o.id.trim();
  if (id.endsWith('.jsonl')) {
    try {
      if (statSync(id).isFile()) return resolve(id);
    } catch {
      throw new UserError(`session file ${id} does not exist`, { hint: seeList });
    }
  }
  const wanted = id.toLowerCase();
  const files = rolloutFiles(home);
  if (UUID_RE.test(id)) {
    const hit = files.find((f) => f.id === wanted);
    if (!hit) throw new UserError(`no session with id ${id} in ${sessionsDir(home)}`, { hint: seeList });
    return hit.path;
  }
  let ambiguous: UserError | undefined;
  if (/^[0-9a-f-]{4,}$/i.test(id)) {
    const hits = files.filter((f) => f.id.startsWith(wanted));
    if (hits.length === 1) return (hits[0] as { path: string }).path;
    if (hits.length > 1) ambiguous = new UserError(`${id} matches ${hits.length} sessions`, { hint: 'give more characters of the id' });
  }
  const named = findByName(home, id, o);
  if (named) return named;
  if (ambiguous) throw ambiguous;
  throw new UserError(`no session with id or name ${id} in ${sessionsDir(home)}${o.all ? '' : ` (names are looked up among sessions started in ${resolve(o.cwd)})`}`, {
    hint: `pass a session id or a name set with /rename or \`opencodex sessions rename\`; ${seeList}`,
  });
}

/**
 * The most recently updated thread named `name` (in `o.cwd` unless `o.all`): those the sidecar index
 * names, else those whose rollout head or tail names them. Throws when only other directories have one.
 */
function findByName(home: string, name: string, o: FindOptions): string | undefined {
  const names = readNameIndex(home);
  const ids = new Set<string>();
  for (const [id, n] of names) if (n.name === name) ids.add(id);
  let hits: SessionSummary[] = [];
  if (ids.size > 0) {
    for (const f of rolloutFiles(home)) {
      if (!ids.has(f.id)) continue;
      const s = summarize(f.path, names);
      if (s?.name === name) hits.push(s);
    }
  }
  if (hits.length === 0) hits = listSessions(home, { cwd: o.cwd, all: o.all === true }).filter((s) => s.name === name);
  const cwd = resolve(o.cwd);
  const here = o.all ? hits : hits.filter((s) => resolve(s.cwd) === cwd);
  if (here.length > 0) return here.sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0]?.path;
  if (hits.length === 0) return undefined;
  const dirs = [...new Set(hits.map((s) => s.cwd))];
  const shown = dirs.slice(0, 3).join(', ') + (dirs.length > 3 ? ` and ${dirs.length - 3} more` : '');
  throw new UserError(escapeLine(`the session named ${name} was started in another directory (${shown}), not in ${cwd}`), {
    hint: 'add --all to use it from here, or run the command in that directory',
  });
}
