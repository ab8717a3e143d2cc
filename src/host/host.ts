/**
 * The threads an editor server holds: new ones, recorded ones continued (`resume`) or copied (`fork`), and
 * what is recorded on disk (listing, reading, naming, archiving). Every thread is an ordinary rollout in
 * `<home>/sessions` (unless ephemeral), so `opencodex resume` continues a thread an editor started, and an
 * editor continues one the terminal started.
 */
import { existsSync } from 'node:fs';
import { createAgent, type FrontEndContext } from '../agent/index.js';
import { startMcpServers } from '../mcp/index.js';
import { resolveCredentials } from '../providers/index.js';
import {
  archiveSession,
  findSession,
  forkSession,
  listSessions,
  loadRollout,
  prepareResume,
  readNameIndex,
  renameSession,
  resumeFork,
  secretValues,
  summarize,
  unarchiveSession,
  type PreparedResume,
  type SessionSource,
  type SessionSummary,
} from '../sessions/index.js';
import { UserError, uuidv7 } from '../shared/index.js';
import { firstPrompt, historyTurns, type HistoryTurn } from './history.js';
import { LiveThread } from './thread.js';
import type { ResolveSettings, ThreadInfo, ThreadRequest } from './types.js';

export interface ThreadHostOptions {
  home: string;
  resolve: ResolveSettings;
  /** Recorded as the rollout's `source` (Codex's app server records `vscode`). */
  source: SessionSource;
  /** Recorded as the rollout's `originator` (the client's name when it gave one). */
  originator: () => string;
  env?: NodeJS.ProcessEnv;
}

/** A thread id that names no thread (loaded or recorded). */
export class UnknownThreadError extends UserError {
  constructor(readonly threadId: string) {
    super(`no thread ${threadId}`, { hint: 'list the threads with thread/list' });
  }
}

const seconds = (iso: string | undefined, fallback = Date.now()): number => {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  return Math.floor((Number.isNaN(t) ? fallback : t) / 1000);
};

function summaryInfo(s: SessionSummary): ThreadInfo {
  return {
    id: s.id,
    path: s.path,
    cwd: s.cwd,
    model: s.model ?? '',
    modelProvider: s.model_provider,
    createdAt: seconds(s.created_at),
    updatedAt: seconds(s.updated_at),
    name: s.name,
    preview: s.first_prompt ?? '',
    ephemeral: false,
    forkedFromId: null,
    source: s.source,
    originator: null,
    status: 'notLoaded',
  };
}

export class ThreadHost {
  private readonly threads = new Map<string, LiveThread>();
  /** Threads being opened, so two requests for one thread load it once. */
  private readonly opening = new Map<string, Promise<LiveThread>>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly o: ThreadHostOptions) {
    this.env = o.env ?? process.env;
  }

  get home(): string {
    return this.o.home;
  }

  /** A loaded thread, or undefined. */
  loaded(id: string): LiveThread | undefined {
    return this.threads.get(id.toLowerCase());
  }

  loadedThreads(): LiveThread[] {
    return [...this.threads.values()];
  }

  /** A new thread. */
  async start(request: ThreadRequest, o: { ephemeral?: boolean } = {}): Promise<LiveThread> {
    const settings = await this.o.resolve(request);
    return this.open(settings, { ephemeral: o.ephemeral === true });
  }

  /** Loads a recorded thread to continue it (a loaded one is returned as it is). */
  async resume(id: string, request: ThreadRequest = {}): Promise<LiveThread> {
    const live = this.loaded(id);
    if (live) return live;
    const key = id.toLowerCase();
    const pending = this.opening.get(key);
    if (pending) return pending;
    const opening = (async () => {
      const path = this.recordedPath(id);
      const { settings, prepared } = await this.prepare(path, request);
      return this.open(settings, { ephemeral: false, resumed: prepared });
    })();
    this.opening.set(key, opening);
    try {
      return await opening;
    } finally {
      this.opening.delete(key);
    }
  }

  /** A new thread with a copy of thread `id`'s history (a loaded thread's file as written so far). */
  async fork(id: string, request: ThreadRequest = {}, o: { ephemeral?: boolean } = {}): Promise<LiveThread> {
    const path = this.loaded(id)?.info.path ?? this.recordedPath(id);
    if (path === null || !existsSync(path)) throw new UserError(`thread ${id} has nothing recorded to fork yet`, { hint: 'fork it after its first turn' });
    const { settings, prepared } = await this.prepare(path, request);
    const { token } = await resolveCredentials(settings.provider, { env: this.env, home: this.o.home, exec: false });
    const meta = prepared.rollout.meta;
    const forked: PreparedResume = o.ephemeral
      ? { ...prepared, rollout: { ...prepared.rollout, meta: { ...meta, id: uuidv7(), forked_from_id: meta.id }, threadName: undefined } }
      : resumeFork(prepared, forkSession(this.o.home, path, { secrets: secretValues(settings.provider, this.env, token), cwd: settings.cwd }));
    return this.open(settings, { ephemeral: o.ephemeral === true, resumed: forked, forkedFromId: meta.id });
  }

  /** Recorded threads, most recently updated first, with the loaded ones' live state; `cwd` filters. */
  list(o: { cwd?: string | undefined; limit?: number | undefined } = {}): ThreadInfo[] {
    const recorded = listSessions(this.o.home, { cwd: o.cwd ?? '/', all: o.cwd === undefined });
    const out: ThreadInfo[] = [];
    const seen = new Set<string>();
    for (const s of recorded) {
      const live = this.loaded(s.id);
      out.push(live ? live.info : summaryInfo(s));
      seen.add(s.id);
    }
    // Loaded threads with nothing recorded yet (new, or ephemeral) come first.
    const fresh = this.loadedThreads()
      .filter((t) => !seen.has(t.id) && (o.cwd === undefined || t.settings.cwd === o.cwd))
      .map((t) => t.info);
    return [...fresh, ...out].slice(0, o.limit ?? Infinity);
  }

  /** A thread's description and its turns (loaded: as they are now; else as recorded). */
  read(id: string): { info: ThreadInfo; turns: HistoryTurn[] } {
    const live = this.loaded(id);
    if (live) return { info: live.info, turns: historyTurns(live.agent.session.history, live.id) };
    const path = this.recordedPath(id);
    const summary = summarize(path, readNameIndex(this.o.home));
    const rollout = loadRollout(path);
    const info = summary ? summaryInfo(summary) : { ...summaryInfo({ id, path, cwd: rollout.meta.cwd, created_at: rollout.meta.timestamp, updated_at: rollout.meta.timestamp, model: null, model_provider: rollout.meta.model_provider, source: sourceName(rollout.meta.source), first_prompt: null, name: null }) };
    return {
      info: { ...info, forkedFromId: rollout.meta.forked_from_id ?? null, originator: rollout.meta.originator, preview: info.preview || firstPrompt(rollout.history) },
      turns: historyTurns(rollout.history, rollout.meta.id),
    };
  }

  /** Names a thread (recorded in its rollout and the name index, as `opencodex sessions rename` does). */
  rename(id: string, name: string): string {
    const live = this.loaded(id);
    const path = live ? live.info.path : this.recordedPath(id);
    if (path === null) {
      if (!live) throw new UnknownThreadError(id);
      live.name = name.trim();
      return live.name;
    }
    if (live && !existsSync(path)) {
      // Nothing written yet: the name goes into the rollout with its first record.
      live.name = name.trim();
      live.agent.session.recorder?.event({ type: 'thread_name_updated', thread_id: live.id, thread_name: live.name });
      return live.name;
    }
    const renamed = renameSession(this.o.home, path, name);
    if (live) live.name = renamed.name;
    return renamed.name;
  }

  /** Archives a thread (unloading it first). */
  async archive(id: string): Promise<void> {
    const live = this.loaded(id);
    if (live) {
      if (live.info.path === null || !existsSync(live.info.path)) throw new UserError(`thread ${id} has nothing recorded to archive`);
      await this.unload(id);
    } else this.recordedPath(id);
    archiveSession(this.o.home, id);
  }

  /** Moves an archived thread back among the sessions; its description. */
  unarchive(id: string): ThreadInfo {
    // The thread's latest segment (a thread Codex rolled back has several) describes it.
    const path = unarchiveSession(this.o.home, id).files.at(-1);
    const s = path === undefined ? undefined : summarize(path, readNameIndex(this.o.home));
    if (!s) throw new UnknownThreadError(id);
    return summaryInfo(s);
  }

  /** Unloads a thread: its turn is interrupted and its processes end (its file stays). */
  async unload(id: string): Promise<boolean> {
    const live = this.loaded(id);
    if (!live) return false;
    this.threads.delete(live.id);
    await live.close();
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.loadedThreads().map((t) => this.unload(t.id)));
  }

  /** The rollout of a recorded thread, by id (any directory). */
  private recordedPath(id: string): string {
    try {
      return findSession(this.o.home, { id, cwd: '/', all: true });
    } catch {
      throw new UnknownThreadError(id);
    }
  }

  /** The settings for continuing a recorded thread (its directory unless the request names one), and the thread prepared. */
  private async prepare(path: string, request: ThreadRequest): Promise<{ settings: FrontEndContext; prepared: PreparedResume }> {
    const recordedCwd = summarize(path)?.cwd;
    const settings = await this.o.resolve({ ...request, cwd: request.cwd ?? (recordedCwd && existsSync(recordedCwd) ? recordedCwd : undefined) });
    const prepared = prepareResume({ path, loaded: settings.loaded, catalog: settings.catalog, model: settings.model, provider: settings.provider, env: this.env });
    return { settings: { ...settings, model: prepared.model, provider: prepared.provider }, prepared };
  }

  private async open(settings: FrontEndContext, o: { ephemeral: boolean; resumed?: PreparedResume; forkedFromId?: string }): Promise<LiveThread> {
    const { token } = await resolveCredentials(settings.provider, { env: this.env, home: this.o.home, exec: false });
    const mcp = await startMcpServers(settings.loaded.config, { env: this.env });
    let thread: LiveThread | undefined;
    const r = o.resumed;
    try {
      const agent = createAgent({
        loaded: settings.loaded,
        model: settings.model,
        provider: settings.provider,
        cwd: settings.cwd,
        addDirs: settings.addDirs,
        approvalPolicy: settings.loaded.config.approval_policy ?? 'on-request',
        approver: { ask: async (q) => (thread ? thread.ask(q) : { answer: 'deny' }) },
        exec: false,
        env: this.env,
        mcp,
        ...(o.ephemeral ? {} : { rollout: { source: this.o.source, originator: this.o.originator(), token } }),
        ...(r
          ? {
              threadId: r.rollout.meta.id,
              resume: {
                history: r.history,
                usage: r.rollout.usage,
                lastUsage: r.rollout.lastUsage,
                instructions: r.rollout.meta.base_instructions.text,
                // An ephemeral fork is never written.
                path: o.ephemeral ? '' : r.rollout.path,
              },
            }
          : {}),
      });
      if (o.ephemeral) agent.session.recorder = undefined;
      thread = new LiveThread({
        agent,
        settings,
        mcp,
        env: this.env,
        info: {
          id: agent.session.threadId,
          path: o.ephemeral ? null : (agent.session.recorder?.path ?? null),
          cwd: settings.cwd,
          createdAt: r ? seconds(r.rollout.meta.timestamp) : Math.floor(Date.now() / 1000),
          name: r?.rollout.threadName ?? null,
          preview: r ? (r.rollout.firstPrompt ?? firstPrompt(r.history)) : '',
          ephemeral: o.ephemeral,
          forkedFromId: o.forkedFromId ?? r?.rollout.meta.forked_from_id ?? null,
          source: sourceName(r?.rollout.meta.source ?? this.o.source),
          originator: r?.rollout.meta.originator ?? this.o.originator(),
        },
      });
    } catch (err) {
      await mcp.close();
      throw err;
    }
    this.threads.set(thread.id, thread);
    return thread;
  }
}

/** A rollout's `source` as one word (a subagent's thread records who spawned it there). */
function sourceName(source: SessionSource): string {
  return typeof source === 'string' ? source : 'subagent';
}
