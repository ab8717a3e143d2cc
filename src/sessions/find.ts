/**
 * Finding a thread to resume, fork, archive or delete: the latest one, or by id, unique id prefix, rollout
 * path, or thread name, in that order. Names are matched exactly among the threads of the working
 * directory (every directory with `all`); the most recently updated wins. Threads are looked for in the
 * sessions in use, in the archived ones, or in both (`store`); a thread that is only archived is named as
 * such when the ones in use were searched.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { escapeLine, UserError } from '../shared/index.js';
import { listSessions, rolloutFiles, summarize, type SessionSummary } from './list.js';
import { readNameIndex } from './names.js';
import { storeDir, UUID_RE, type SessionStore } from './paths.js';

export interface FindOptions {
  /** A thread id, a unique prefix of one, a rollout file path, or a thread name. */
  id?: string | undefined;
  /** The most recently updated session (in `cwd` unless `all`). */
  last?: boolean;
  cwd: string;
  all?: boolean;
  /** Where to look: the sessions in use (the default), the archived ones, or both. */
  store?: SessionStore | 'any';
}

const seeList = 'list them with `opencodex sessions --all`';

/** The rollout file of the session wanted. Throws a UserError naming the fix when there is none. */
export function findSession(home: string, o: FindOptions): string {
  const store = o.store ?? 'active';
  const stores: SessionStore[] = store === 'any' ? ['active', 'archived'] : [store];
  const where = stores.map((s) => storeDir(home, s)).join(' or ');
  if (o.last || o.id === undefined) {
    const [latest] = listSessions(home, { cwd: o.cwd, all: o.all === true, limit: 1, archived: stores[0] === 'archived' });
    if (!latest) {
      throw new UserError(o.all ? `no sessions in ${where}` : `no earlier session in ${resolve(o.cwd)}`, {
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
  const found = lookup(home, id, o, stores);
  if (found !== undefined) return found;
  // Searched only the sessions in use: say so when the thread is archived.
  if (store === 'active' && lookup(home, id, o, ['archived']) !== undefined) {
    throw new UserError(escapeLine(`session ${id} is archived`), { hint: `unarchive it first: opencodex unarchive ${id}` });
  }
  if (UUID_RE.test(id)) throw new UserError(`no session with id ${id} in ${where}`, { hint: seeList });
  throw new UserError(escapeLine(`no session with id or name ${id} in ${where}${o.all ? '' : ` (names are looked up among sessions started in ${resolve(o.cwd)})`}`), {
    hint: `pass a session id or a name set with /rename or \`opencodex sessions rename\`; ${seeList}`,
  });
}

/** The thread `id` names in `stores`: by id, unique prefix, then name; undefined when none. */
function lookup(home: string, id: string, o: FindOptions, stores: readonly SessionStore[]): string | undefined {
  const wanted = id.toLowerCase();
  const files = stores.flatMap((s) => rolloutFiles(home, s));
  if (UUID_RE.test(id)) return files.find((f) => f.id === wanted)?.path;
  let ambiguous: UserError | undefined;
  if (/^[0-9a-f-]{4,}$/i.test(id)) {
    const hits = files.filter((f) => f.id.startsWith(wanted));
    if (hits.length === 1) return (hits[0] as { path: string }).path;
    if (hits.length > 1) ambiguous = new UserError(`${id} matches ${hits.length} sessions`, { hint: 'give more characters of the id' });
  }
  const named = findByName(home, id, o, stores, files);
  if (named) return named;
  if (ambiguous) throw ambiguous;
  return undefined;
}

/**
 * The most recently updated thread named `name` (in `o.cwd` unless `o.all`): those the sidecar index
 * names, else those whose rollout head or tail names them. Throws when only other directories have one.
 */
function findByName(home: string, name: string, o: FindOptions, stores: readonly SessionStore[], files: ReadonlyArray<{ path: string; id: string }>): string | undefined {
  const names = readNameIndex(home);
  const ids = new Set<string>();
  for (const [id, n] of names) if (n.name === name) ids.add(id);
  let hits: SessionSummary[] = [];
  if (ids.size > 0) {
    for (const f of files) {
      if (!ids.has(f.id)) continue;
      const s = summarize(f.path, names);
      if (s?.name === name) hits.push(s);
    }
  }
  if (hits.length === 0) hits = stores.flatMap((s) => listSessions(home, { cwd: o.cwd, all: o.all === true, archived: s === 'archived' })).filter((s) => s.name === name);
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
