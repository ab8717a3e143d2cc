/**
 * The app server: Codex's app-server methods over the shared thread host. One `AppServer` serves any number
 * of connections (stdio: one; WebSocket: one per client); each connection follows the threads it started,
 * resumed or forked, and answers the approval questions of the turns it started. A connection that goes
 * away mid-turn has its turns interrupted; a thread nobody follows any more is unloaded (its file stays).
 */
import { platform } from 'node:os';
import type { ReviewTarget, UserInput } from '../agent/index.js';
import { loadImage } from '../agent/index.js';
import type { Catalog } from '../catalog/index.js';
import { TurnRunningError, UnknownThreadError, type LiveThread, type ThreadHost, type ThreadRequest } from '../host/index.js';
import type { ApprovalPolicySetting, LoadedConfig } from '../config/index.js';
import type { JsonObject } from '../providers/index.js';
import { isUserError, VERSION } from '../shared/index.js';
import { INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, Reply, RpcConnection, RpcError, type IncomingRequest } from './jsonrpc.js';
import * as P from './params.js';
import { ThreadSubscription } from './subscription.js';
import { fromV2Sandbox, threadEffort, threadSettings, v2Thread, v2Turns } from './wire.js';

/** What config/read and model/list describe: the configuration the server was started with. */
export interface ServerSettings {
  loaded: LoadedConfig;
  catalog: Catalog;
  model: string;
  providerId: string;
}

export interface AppServerOptions {
  host: ThreadHost;
  settings: () => Promise<ServerSettings>;
  /** Told the client's name at `initialize` (recorded as the originator of threads it starts). */
  onClient?: (name: string) => void;
}

/** Errors Codex answers with -32600 too: a request that cannot be served as asked. */
const invalid = (message: string): RpcError => new RpcError(INVALID_REQUEST, message);

function threadRequest(p: { model?: string | null | undefined; modelProvider?: string | null | undefined; cwd?: string | null | undefined; approvalPolicy?: unknown; sandbox?: string | null | undefined; config?: Record<string, unknown> | null | undefined; developerInstructions?: string | null | undefined }): ThreadRequest {
  const r: ThreadRequest = {};
  if (p.cwd) r.cwd = p.cwd;
  if (p.model) r.model = p.model;
  if (p.modelProvider) r.modelProvider = p.modelProvider;
  if (p.sandbox) r.sandbox = p.sandbox as ThreadRequest['sandbox'];
  if (p.approvalPolicy !== null && p.approvalPolicy !== undefined) r.approvalPolicy = p.approvalPolicy as ThreadRequest['approvalPolicy'];
  if (p.config) r.config = p.config;
  if (p.developerInstructions) r.developerInstructions = p.developerInstructions;
  return r;
}

export class AppServer {
  private readonly connections = new Set<ServerConnection>();

  constructor(readonly o: AppServerOptions) {}

  get host(): ThreadHost {
    return this.o.host;
  }

  /** A new client connection; `write` sends one message (a line on stdio, a text frame on a WebSocket). */
  connect(write: (text: string) => void): ServerConnection {
    const c = new ServerConnection(this, write);
    this.connections.add(c);
    c.rpc.onClose(() => {
      this.connections.delete(c);
      void this.released(c);
    });
    return c;
  }

  /** Whether any connection other than `except` follows thread `id`. */
  followed(id: string, except?: ServerConnection): boolean {
    for (const c of this.connections) if (c !== except && c.follows(id)) return true;
    return false;
  }

  /** A closed connection: its turns are interrupted, and threads nobody follows are unloaded. */
  private async released(c: ServerConnection): Promise<void> {
    for (const id of c.dropAll()) {
      if (!this.followed(id)) await this.o.host.unload(id).catch(() => false);
    }
  }

  /** Every thread unloaded (the server is stopping). */
  async close(): Promise<void> {
    for (const c of [...this.connections]) c.rpc.close();
    await this.o.host.closeAll();
  }

  broadcast(method: string, params: unknown): void {
    for (const c of this.connections) if (c.initialized) c.rpc.notify(method, params);
  }
}

export class ServerConnection {
  readonly rpc: RpcConnection;
  initialized = false;
  private clientName = 'unknown';
  private readonly subscriptions = new Map<string, ThreadSubscription>();
  /** Turns this connection started: interrupted when it goes away. */
  private readonly turns = new Map<string, string>();

  constructor(
    private readonly server: AppServer,
    write: (text: string) => void,
  ) {
    this.rpc = new RpcConnection(write, {
      request: (req) => this.request(req),
      notification: () => undefined,
    });
  }

  get client(): string {
    return this.clientName;
  }

  follows(id: string): boolean {
    return this.subscriptions.has(id.toLowerCase());
  }

  /** Stops following every thread and interrupts this connection's turns; the ids it followed. */
  dropAll(): string[] {
    const ids = [...this.subscriptions.keys()];
    for (const [threadId, turnId] of this.turns) void this.server.host.loaded(threadId)?.interrupt(turnId);
    for (const s of this.subscriptions.values()) s.close();
    this.subscriptions.clear();
    this.turns.clear();
    return ids;
  }

  private follow(thread: LiveThread): ThreadSubscription {
    let s = this.subscriptions.get(thread.id);
    if (!s) {
      s = new ThreadSubscription(this.rpc, thread);
      this.subscriptions.set(thread.id, s);
    }
    return s;
  }

  private async request(req: IncomingRequest): Promise<unknown> {
    try {
      return await this.handle(req);
    } catch (err) {
      if (err instanceof RpcError) throw err;
      if (err instanceof UnknownThreadError) throw invalid(`${req.method}: thread not found: ${err.threadId}`);
      if (err instanceof TurnRunningError) throw invalid(`${req.method}: ${err.message}`);
      if (isUserError(err)) throw invalid(`${req.method}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`);
      throw err;
    }
  }

  private async handle({ method, params }: IncomingRequest): Promise<unknown> {
    if (method === 'initialize') return this.initialize(params);
    if (!this.initialized) throw invalid(`Not initialized: send initialize before ${method}`);
    const host = this.server.host;
    switch (method) {
      case 'thread/start': {
        const p = P.parse(P.threadStartParams, method, params);
        const thread = await host.start(threadRequest(p), { ephemeral: p.ephemeral === true });
        return this.opened(thread, []);
      }
      case 'thread/resume': {
        const p = P.parse(P.threadResumeParams, method, params);
        const thread = await host.resume(p.threadId, threadRequest(p));
        const turns = p.excludeTurns ? [] : v2Turns(host.read(thread.id).turns, thread.settings.cwd, thread.id);
        return this.opened(thread, turns, false);
      }
      case 'thread/fork': {
        const p = P.parse(P.threadForkParams, method, params);
        const thread = await host.fork(p.threadId, threadRequest(p), { ephemeral: p.ephemeral === true });
        const turns = p.excludeTurns ? [] : v2Turns(host.read(thread.id).turns, thread.settings.cwd, thread.id);
        return this.opened(thread, turns);
      }
      case 'thread/list': {
        const p = P.parse(P.threadListParams, method, params) ?? {};
        if (p.archived) return { data: [], nextCursor: null, backwardsCursor: null };
        const cwd = Array.isArray(p.cwd) ? p.cwd[0] : (p.cwd ?? undefined);
        const kinds = p.sourceKinds && p.sourceKinds.length > 0 ? new Set(p.sourceKinds) : null;
        const providers = p.modelProviders && p.modelProviders.length > 0 ? new Set(p.modelProviders) : null;
        const all = host
          .list({ cwd })
          .filter((t) => !p.searchTerm || `${t.name ?? ''}\n${t.preview}`.toLowerCase().includes(p.searchTerm.toLowerCase()))
          .filter((t) => (kinds === null || kinds.has(v2Thread(t).source)) && (providers === null || providers.has(t.modelProvider)));
        const start = p.cursor ? Number.parseInt(p.cursor, 10) || 0 : 0;
        const limit = p.limit ?? 25;
        const page = all.slice(start, start + limit);
        return { data: page.map((t) => v2Thread(t)), nextCursor: start + limit < all.length ? String(start + limit) : null, backwardsCursor: start > 0 ? String(Math.max(0, start - limit)) : null };
      }
      case 'thread/loaded/list':
        return { data: host.loadedThreads().map((t) => t.id), nextCursor: null };
      case 'thread/read': {
        const p = P.parse(P.threadReadParams, method, params);
        const { info, turns } = host.read(p.threadId);
        return { thread: v2Thread(info, p.includeTurns ? v2Turns(turns, info.cwd, info.id) : []) };
      }
      case 'thread/archive': {
        const p = P.parse(P.threadIdParams, method, params);
        await host.archive(p.threadId);
        this.subscriptions.get(p.threadId.toLowerCase())?.close();
        this.subscriptions.delete(p.threadId.toLowerCase());
        return new Reply({}, () => this.server.broadcast('thread/archived', { threadId: p.threadId }));
      }
      case 'thread/unarchive': {
        const p = P.parse(P.threadIdParams, method, params);
        const info = host.unarchive(p.threadId);
        return new Reply({ thread: v2Thread(info) }, () => this.server.broadcast('thread/unarchived', { threadId: info.id }));
      }
      case 'thread/name/set': {
        const p = P.parse(P.threadSetNameParams, method, params);
        if (p.name.trim() === '') throw new RpcError(INVALID_PARAMS, 'thread/name/set: the name is empty');
        const name = host.rename(p.threadId, p.name);
        return new Reply({}, () => this.server.broadcast('thread/name/updated', { threadId: p.threadId, threadName: name }));
      }
      case 'thread/unsubscribe': {
        const p = P.parse(P.threadIdParams, method, params);
        const s = this.subscriptions.get(p.threadId.toLowerCase());
        if (!s) return { status: 'notSubscribed' };
        s.close();
        this.subscriptions.delete(p.threadId.toLowerCase());
        if (!this.server.followed(p.threadId)) await host.unload(p.threadId);
        return { status: 'unsubscribed' };
      }
      case 'turn/start':
        return this.turnStart(params);
      case 'review/start':
        return this.reviewStart(params);
      case 'thread/compact/start': {
        const p = P.parse(P.threadIdParams, method, params);
        const thread = this.loaded(p.threadId, method);
        const sub = this.follow(thread);
        sub.hold();
        try {
          const { turnId } = thread.startCompaction();
          this.turns.set(thread.id, turnId);
        } catch (err) {
          sub.release();
          throw err;
        }
        return new Reply({}, () => sub.release());
      }
      case 'turn/steer': {
        const p = P.parse(P.turnSteerParams, method, params);
        const thread = this.loaded(p.threadId, method);
        if (thread.turnId === null) throw invalid('turn/steer: no turn is running in this thread; start one with turn/start');
        if (!thread.steer(this.input(p.input, thread), p.expectedTurnId)) {
          throw invalid(`turn/steer: expected turn ${p.expectedTurnId}, but the running turn is ${thread.turnId}`);
        }
        return { turnId: p.expectedTurnId };
      }
      case 'turn/interrupt': {
        const p = P.parse(P.turnInterruptParams, method, params);
        const thread = this.loaded(p.threadId, method);
        await thread.interrupt(p.turnId);
        return {};
      }
      case 'model/list':
        return this.modelList(params);
      case 'config/read':
        return this.configRead(params);
      // What Codex's terminal UI (`codex --remote`) asks while it opens, answered with what opencodex has:
      // no ChatGPT account (API keys come from opencodex's own providers), no hooks, skills, plugins or
      // managed requirements.
      case 'account/read':
        return { account: null, requiresOpenaiAuth: false };
      case 'configRequirements/read':
        return { requirements: null };
      case 'hooks/list':
      case 'skills/list':
        return { data: [] };
      case 'plugin/installed':
        return { marketplaces: [], marketplaceLoadErrors: [] };
      default:
        throw new RpcError(METHOD_NOT_FOUND, `method not supported by opencodex app-server: ${method}`);
    }
  }

  private initialize(params: unknown): unknown {
    if (this.initialized) throw invalid('Already initialized');
    const p = P.parse(P.initializeParams, 'initialize', params);
    this.clientName = p.clientInfo.name;
    this.server.o.onClient?.(p.clientInfo.name);
    this.initialized = true;
    const os = platform();
    return {
      codexHome: this.server.host.home,
      platformFamily: os === 'win32' ? 'windows' : 'unix',
      platformOs: os === 'darwin' ? 'macos' : os === 'win32' ? 'windows' : os,
      userAgent: `opencodex/${VERSION} (${os}; ${p.clientInfo.name} ${p.clientInfo.version})`,
    };
  }

  /** A thread's response (thread/start, resume, fork): its settings and the thread; `thread/started` follows. */
  private opened(thread: LiveThread, turns: ReturnType<typeof v2Turns>, announce = true): Reply {
    this.follow(thread);
    const response = { ...threadSettings(thread), thread: v2Thread(thread.info, turns, threadEffort(thread)) };
    return new Reply(response, () => {
      if (announce) this.rpc.notify('thread/started', { thread: v2Thread(thread.info, [], threadEffort(thread)) });
    });
  }

  private loaded(id: string, method: string): LiveThread {
    const thread = this.server.host.loaded(id);
    if (!thread) throw invalid(`${method}: thread not loaded: ${id} (start it with thread/start or load it with thread/resume)`);
    return thread;
  }

  /** A request's user input as the agent takes it: text joined, images attached. */
  private input(items: readonly P.UserInputParam[], thread: LiveThread): UserInput {
    const texts: string[] = [];
    const images: NonNullable<UserInput['images']> = [];
    for (const item of items) {
      if (item.type === 'text') texts.push(item.text);
      else if (item.type === 'image') images.push({ type: 'input_image', image_url: item.url });
      else if (item.type === 'localImage') images.push(loadImage(item.path, thread.settings.cwd));
      else texts.push(`$${item.name}`);
    }
    return images.length > 0 ? { text: texts.join('\n'), images } : { text: texts.join('\n') };
  }

  private turnStart(params: unknown): Reply {
    const p = P.parse(P.turnStartParams, 'turn/start', params);
    const thread = this.loaded(p.threadId, 'turn/start');
    if (thread.turnId !== null) throw invalid(`turn/start: thread ${thread.id} is already running turn ${thread.turnId}; steer it (turn/steer) or interrupt it first`);
    if (p.model || p.effort) thread.setModel({ model: p.model ?? undefined, effort: p.effort ?? undefined });
    // The client's per-turn permissions (Codex's `/permissions`) hold from this turn on.
    const sandbox = p.sandboxPolicy ? fromV2Sandbox(p.sandboxPolicy, thread.settings.cwd) : null;
    const policy = p.approvalPolicy ?? undefined;
    if (sandbox || policy) thread.setPermissions({ approvalPolicy: policy as ApprovalPolicySetting | undefined, sandbox: sandbox ?? undefined });
    const input = this.input(p.input, thread);
    if (input.text.trim() === '' && !input.images) throw new RpcError(INVALID_PARAMS, 'turn/start: the input is empty');
    const sub = this.follow(thread);
    // The response comes first, then turn/started and the rest.
    sub.hold();
    let started: { turnId: string; done: Promise<unknown> };
    try {
      started = thread.startTurn(input, { asker: sub.asker, outputSchema: (p.outputSchema ?? undefined) as JsonObject | undefined });
    } catch (err) {
      sub.release();
      throw err;
    }
    this.track(thread.id, started);
    return new Reply({ turn: this.inProgress(started.turnId) }, () => sub.release());
  }

  /** A code review of the thread's repository as a turn of the thread (Codex's inline delivery). */
  private reviewStart(params: unknown): Reply {
    const p = P.parse(P.reviewStartParams, 'review/start', params);
    const thread = this.loaded(p.threadId, 'review/start');
    if (thread.turnId !== null) throw invalid(`review/start: thread ${thread.id} is already running turn ${thread.turnId}; wait for it or interrupt it first`);
    const target: ReviewTarget =
      p.target.type === 'commit' ? { type: 'commit', sha: p.target.sha, ...(p.target.title ? { title: p.target.title } : {}) } : p.target.type === 'custom' ? { type: 'custom', instructions: p.target.instructions } : p.target;
    if (target.type === 'custom' && target.instructions.trim() === '') throw new RpcError(INVALID_PARAMS, 'review/start: the custom review instructions are empty');
    const sub = this.follow(thread);
    sub.hold();
    let started: { turnId: string; done: Promise<unknown> };
    try {
      started = thread.startReview(target, { asker: sub.asker });
    } catch (err) {
      sub.release();
      throw err;
    }
    this.track(thread.id, started);
    return new Reply({ turn: this.inProgress(started.turnId), reviewThreadId: thread.id }, () => sub.release());
  }

  /** A turn this connection started (interrupted if it goes away). */
  private track(threadId: string, started: { turnId: string; done: Promise<unknown> }): void {
    this.turns.set(threadId, started.turnId);
    void started.done.then(() => {
      if (this.turns.get(threadId) === started.turnId) this.turns.delete(threadId);
    });
  }

  private inProgress(turnId: string): Record<string, unknown> {
    return { id: turnId, rootTurnId: turnId, items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: Math.floor(Date.now() / 1000), completedAt: null, durationMs: null };
  }

  private async modelList(params: unknown): Promise<unknown> {
    const p = P.parse(P.modelListParams, 'model/list', params) ?? {};
    const s = await this.server.o.settings();
    const models = s.catalog.models.filter((m) => p.includeHidden || !m.hidden || m.slug === s.model);
    const start = p.cursor ? Number.parseInt(p.cursor, 10) || 0 : 0;
    const limit = p.limit ?? models.length;
    const page = models.slice(start, start + limit);
    return {
      data: page.map((m) => {
        const efforts = m.reasoning_efforts === 'unknown' ? [] : m.reasoning_efforts;
        const effort = m.default_reasoning_effort === 'unknown' || m.default_reasoning_effort === null ? (efforts[0] ?? 'medium') : m.default_reasoning_effort;
        return {
          id: m.slug,
          model: m.slug,
          upgrade: m.upgrade,
          upgradeInfo: null,
          availabilityNux: null,
          displayName: m.display_name,
          description: m.description,
          hidden: m.hidden,
          supportedReasoningEfforts: efforts.map((e) => ({ reasoningEffort: e, description: `${e} reasoning` })),
          defaultReasoningEffort: effort,
          inputModalities: m.input_modalities === 'unknown' ? ['text'] : m.input_modalities,
          supportsPersonality: false,
          additionalSpeedTiers: [],
          serviceTiers: [],
          defaultServiceTier: null,
          isDefault: m.slug === s.model,
        };
      }),
      nextCursor: start + limit < models.length ? String(start + limit) : null,
    };
  }

  /** The effective configuration's keys Codex's Config type names (secrets are never among them). */
  private async configRead(params: unknown): Promise<unknown> {
    P.parse(P.configReadParams, 'config/read', params);
    const s = await this.server.o.settings();
    const c = s.loaded.config;
    const config: Record<string, unknown> = {
      model: s.model,
      model_provider: s.providerId,
      approval_policy: c.approval_policy === undefined ? null : typeof c.approval_policy === 'string' && c.approval_policy === 'on-failure' ? 'on-request' : c.approval_policy,
      sandbox_mode: c.sandbox_mode ?? null,
      model_reasoning_effort: c.model_reasoning_effort ?? null,
      model_reasoning_summary: c.model_reasoning_summary ?? null,
      model_verbosity: c.model_verbosity ?? null,
      model_context_window: c.model_context_window ?? null,
      model_auto_compact_token_limit: c.model_auto_compact_token_limit ?? null,
      service_tier: c.service_tier ?? null,
      developer_instructions: c.developer_instructions ?? null,
      instructions: null,
      web_search: c.web_search ?? null,
    };
    return { config, origins: {}, layers: null };
  }
}

