/**
 * `opencodex acp`: an Agent Client Protocol agent (v1) on the shared thread host, with the official SDK's
 * agent side. A session is a thread (its id is the rollout's id): `session/new` starts one, `session/load`
 * continues any recorded one (replaying its history as updates first), `session/prompt` runs a turn and
 * answers with its stop reason, `session/cancel` interrupts it.
 */
import { resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import {
  agent,
  ndJsonStream,
  PROTOCOL_VERSION,
  RequestError,
  type AgentContext,
  type AvailableCommand,
  type ContentBlock,
  type McpServer,
  type SessionMode,
  type SessionModeState,
  type SessionUpdate,
  type ToolCallContent,
} from '@agentclientprotocol/sdk';
import type { ApprovalPolicySetting } from '../config/index.js';
import type { SandboxPolicy } from '../sandbox/index.js';
import type { ClientFiles, UserInput } from '../agent/index.js';
import { UnknownThreadError, type HistoryTurn, type LiveThread, type ThreadHost } from '../host/index.js';
import { isUserError, VERSION } from '../shared/index.js';
import { collabHistoryUpdate } from './collab.js';
import { SessionStream } from './updates.js';

type InputImage = NonNullable<UserInput['images']>[number];

/** A prompt's content blocks as the agent takes them: text joined, files inlined, images attached. */
export function promptInput(blocks: readonly ContentBlock[]): UserInput {
  const texts: string[] = [];
  const images: InputImage[] = [];
  for (const b of blocks) {
    if (b.type === 'text') texts.push(b.text);
    else if (b.type === 'image') images.push({ type: 'input_image', image_url: b.uri && /^https?:/.test(b.uri) ? b.uri : `data:${b.mimeType};base64,${b.data}` });
    else if (b.type === 'resource_link') texts.push(`@${b.uri.replace(/^file:\/\//, '')}`);
    else if (b.type === 'resource') {
      const r = b.resource;
      const path = r.uri.replace(/^file:\/\//, '');
      if ('text' in r) texts.push(`<file path="${path}">\n${r.text}\n</file>`);
      else texts.push(`@${path}`);
    }
  }
  return images.length > 0 ? { text: texts.join('\n'), images } : { text: texts.join('\n') };
}

const out = (t: string): ToolCallContent => ({ type: 'content', content: { type: 'text', text: `\`\`\`\n${t}${t.endsWith('\n') ? '' : '\n'}\`\`\`` } });

/** A recorded history as the updates that show it again (for `session/load`); paths are resolved against `cwd`. */
export function historyUpdates(turns: readonly HistoryTurn[], cwd: string): SessionUpdate[] {
  const updates: SessionUpdate[] = [];
  const helpers = new Map<string, string>();
  for (const turn of turns) {
    for (const item of turn.items) {
      const content = { type: 'text' as const, text: '' };
      switch (item.kind) {
        case 'user':
          updates.push({ sessionUpdate: 'user_message_chunk', content: { ...content, text: item.text } });
          break;
        case 'agent':
          updates.push({ sessionUpdate: 'agent_message_chunk', content: { ...content, text: item.text } });
          break;
        case 'reasoning':
          updates.push({ sessionUpdate: 'agent_thought_chunk', content: { ...content, text: item.text } });
          break;
        case 'command':
          updates.push({
            sessionUpdate: 'tool_call',
            toolCallId: item.id,
            title: item.command,
            kind: 'execute',
            status: item.exitCode === null || item.exitCode === 0 ? 'completed' : 'failed',
            content: item.output ? [out(item.output)] : [],
          });
          break;
        case 'patch': {
          const changes = item.changes.map((c) => ({ ...c, path: resolve(cwd, c.path) }));
          updates.push({
            sessionUpdate: 'tool_call',
            toolCallId: item.id,
            title: changes.length === 1 ? `Edit ${changes[0]?.path ?? ''}` : `Edit ${changes.length} files`,
            kind: 'edit',
            status: item.output !== null && /^Success|"exit_code":0|Exit code: 0/.test(item.output) ? 'completed' : 'failed',
            locations: changes.map((c) => ({ path: c.path })),
            // What the patch said: an added file's text as a diff from nothing, an update's hunks as text.
            content: changes.flatMap((c): ToolCallContent[] =>
              c.kind === 'add'
                ? [{ type: 'diff', path: c.path, oldText: null, newText: c.text }]
                : c.kind === 'update'
                  ? [{ type: 'content', content: { type: 'text', text: `${c.path}\n\`\`\`diff\n${c.text}\`\`\`` } }]
                  : [],
            ),
          });
          break;
        }
        case 'tool':
          updates.push(collabHistoryUpdate(item, helpers) ?? { sessionUpdate: 'tool_call', toolCallId: item.id, title: item.name, kind: 'other', status: 'completed', content: item.output ? [out(item.output)] : [] });
          break;
      }
    }
  }
  return updates;
}

/** The MCP servers a client passes with a session, as `mcp_servers.NAME` config (stdio and HTTP; SSE has no counterpart). */
export function clientMcpConfig(servers: readonly McpServer[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const server of servers) {
    const key = `mcp_servers.${server.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    if ('command' in server) {
      config[key] = { command: server.command, args: server.args, env: Object.fromEntries(server.env.map((e) => [e.name, e.value])) };
    } else if (server.type === 'http') {
      config[key] = { url: server.url, http_headers: Object.fromEntries(server.headers.map((h) => [h.name, h.value])) };
    }
  }
  return config;
}

/**
 * Session modes: permission presets a client can switch between (Zed's mode picker). `default` is what the
 * configuration chose for the session; the others set the sandbox and the approval policy.
 */
const MODES: Array<SessionMode & { sandbox?: SandboxPolicy; policy?: ApprovalPolicySetting }> = [
  { id: 'default', name: 'Default', description: 'The sandbox and approval policy the configuration sets' },
  { id: 'read-only', name: 'Read only', description: 'Reads files; asks before writing or using the network', sandbox: { type: 'read-only' }, policy: 'on-request' },
  {
    id: 'auto',
    name: 'Auto',
    description: 'Edits and runs commands in the workspace; asks before leaving it or using the network',
    sandbox: { type: 'workspace-write', writable_roots: [], network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false },
    policy: 'on-request',
  },
  { id: 'full-access', name: 'Full access', description: 'Runs anything without asking, outside any sandbox', sandbox: { type: 'danger-full-access' }, policy: 'never' },
];

/** Slash commands the client offers in its prompt box. */
const COMMANDS: AvailableCommand[] = [{ name: 'compact', description: 'Summarize the conversation so far, to free context for what comes next', input: null }];

const modeState = (current: string): SessionModeState => ({ currentModeId: current, availableModes: MODES.map(({ id, name, description }) => ({ id, name, description: description ?? null })) });

/** The ACP agent on `host`; `connect` serves one client over a stream pair. */
export function acpAgent(host: ThreadHost) {
  const sessions = new Map<string, SessionStream>();
  /** Whether the client offered its file system (read and write): patches then go through its buffers. */
  let clientFs = false;
  /** Each session's permissions as the configuration set them (the `default` mode). */
  const defaults = new Map<string, { sandbox: SandboxPolicy; policy: ApprovalPolicySetting }>();

  const session = (id: string): SessionStream => {
    const s = sessions.get(id.toLowerCase());
    if (!s) throw RequestError.sessionNotFound(id);
    return s;
  };
  const follow = (client: AgentContext, thread: LiveThread): SessionStream => {
    let s = sessions.get(thread.id);
    if (!s) {
      s = new SessionStream(client, thread);
      sessions.set(thread.id, s);
      defaults.set(thread.id, { sandbox: thread.agent.sandbox, policy: thread.agent.approvals.policy });
    }
    return s;
  };
  /** User errors (bad directory, unknown model) are the client's to show: invalid params with the cause. */
  const guard = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof RequestError) throw err;
      if (err instanceof UnknownThreadError) throw RequestError.sessionNotFound(err.threadId);
      if (isUserError(err)) throw new RequestError(-32602, `${what}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`);
      throw RequestError.internalError(undefined, `${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const app = agent({ name: 'opencodex' })
    .onRequest('initialize', ({ params }) => {
      clientFs = params.clientCapabilities?.fs?.readTextFile === true && params.clientCapabilities.fs.writeTextFile === true;
      return {
      protocolVersion: PROTOCOL_VERSION,
      agentCapabilities: { loadSession: true, promptCapabilities: { image: true, embeddedContext: true, audio: false }, mcpCapabilities: { http: true, sse: false }, sessionCapabilities: { list: {} } },
      agentInfo: { name: 'opencodex', title: 'opencodex', version: VERSION },
      authMethods: [],
      };
    })
    // No sign-in: opencodex uses its own providers and keys. A client that authenticates anyway is let through.
    .onRequest('authenticate', () => ({}))
    .onRequest('session/new', ({ params, client }) =>
      guard('session/new', async () => {
        const thread = await host.start({ cwd: params.cwd, config: clientMcpConfig(params.mcpServers) });
        const s = follow(client, thread);
        // After the response, which tells the client the session's id.
        setImmediate(() => s.send({ sessionUpdate: 'available_commands_update', availableCommands: COMMANDS }));
        return { sessionId: thread.id, modes: modeState('default') };
      }),
    )
    .onRequest('session/load', ({ params, client }) =>
      guard('session/load', async () => {
        const thread = await host.resume(params.sessionId, { cwd: params.cwd, config: clientMcpConfig(params.mcpServers) });
        const s = follow(client, thread);
        for (const update of historyUpdates(host.read(thread.id).turns, thread.settings.cwd)) s.send(update);
        s.send({ sessionUpdate: 'available_commands_update', availableCommands: COMMANDS });
        await s.flushed();
        return { modes: modeState('default') };
      }),
    )
    .onRequest('session/prompt', ({ params, client }) =>
      guard('session/prompt', async () => {
        const s = session(params.sessionId);
        const input = promptInput(params.prompt);
        if (input.text.trim() === '' && !input.images) throw RequestError.invalidParams(undefined, 'the prompt is empty');
        if (s.thread.turnId !== null) throw RequestError.invalidRequest(undefined, 'a prompt is already running in this session; cancel it first');
        if (input.text.trim() === '/compact' && !input.images) {
          const outcome = await s.thread.startCompaction().done;
          await s.flushed();
          if (outcome.status === 'failed') throw RequestError.internalError({ message: outcome.message }, outcome.message);
          return { stopReason: outcome.status === 'interrupted' ? 'cancelled' : 'end_turn' };
        }
        const sessionId = s.thread.id;
        const files: ClientFiles | undefined = clientFs
          ? {
              read: async (path) => (await client.request('fs/read_text_file', { sessionId, path })).content,
              write: async (path, content) => {
                await client.request('fs/write_text_file', { sessionId, path, content });
              },
            }
          : undefined;
        const { done } = s.thread.startTurn(input, { asker: s.asker, files });
        const outcome = await done;
        await s.flushed();
        if (outcome.status === 'failed') throw RequestError.internalError({ message: outcome.message }, outcome.message);
        return { stopReason: outcome.status === 'interrupted' ? 'cancelled' : 'end_turn' };
      }),
    )
    // Recorded sessions (the terminal's too), most recent first, 50 a page.
    .onRequest('session/list', ({ params }) =>
      guard('session/list', async () => {
        const all = host.list({ cwd: params.cwd ?? undefined });
        const start = params.cursor ? Number.parseInt(params.cursor, 10) || 0 : 0;
        const page = all.slice(start, start + 50);
        return {
          sessions: page.map((t) => ({ sessionId: t.id, cwd: t.cwd, title: t.name ?? (t.preview === '' ? null : t.preview.split('\n')[0]?.slice(0, 80)), updatedAt: new Date(t.updatedAt * 1000).toISOString() })),
          nextCursor: start + 50 < all.length ? String(start + 50) : null,
        };
      }),
    )
    .onRequest('session/set_mode', ({ params }) =>
      guard('session/set_mode', async () => {
        const s = session(params.sessionId);
        const mode = MODES.find((m) => m.id === params.modeId);
        if (!mode) throw RequestError.invalidParams(undefined, `no mode ${params.modeId}; the modes are ${MODES.map((m) => m.id).join(', ')}`);
        const base = defaults.get(s.thread.id);
        const sandbox = mode.sandbox ?? base?.sandbox;
        const approvalPolicy = mode.policy ?? base?.policy;
        if (s.thread.turnId !== null) throw RequestError.invalidRequest(undefined, 'the mode changes between prompts; cancel the running one first');
        s.thread.setPermissions({ sandbox, approvalPolicy });
        return {};
      }),
    )
    .onNotification('session/cancel', async ({ params }) => {
      await sessions.get(params.sessionId.toLowerCase())?.thread.interrupt();
    });

  return {
    /** Serves one client on stdin/stdout (newline-delimited JSON); resolves when it disconnects. */
    async serveStdio(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
      const stream = ndJsonStream(Writable.toWeb(output as Writable) as WritableStream<Uint8Array>, Readable.toWeb(input as Readable) as ReadableStream<Uint8Array>);
      const conn = app.connect(stream);
      await conn.closed;
      for (const s of sessions.values()) s.close();
      sessions.clear();
      await host.closeAll();
    },
  };
}
