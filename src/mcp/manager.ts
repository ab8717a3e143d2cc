/**
 * The session's MCP servers: the enabled ones started together at session start (each within its
 * `startup_timeout_sec`, default 10 s), their tools listed and named, calls routed to the right server
 * with its `tool_timeout_sec` (default 60 s), and every server closed when the session ends.
 */
import type { Config, McpServerConfig } from '../config/index.js';
import { UserError } from '../shared/index.js';
import { toolApprovalMode } from './approval.js';
import type { ListedTool, ServerConnection } from './client.js';
import { qualifyToolNames } from './names.js';
import { normalizeInputSchema } from './schema.js';
import type { McpCallOutcome, McpTool } from './types.js';

export const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

export interface McpStartOptions {
  env?: NodeJS.ProcessEnv;
  /** Connects one server (tests may pass their own); default: the SDK client. */
  connect?: (name: string, config: McpServerConfig, o: { env: NodeJS.ProcessEnv; signal: AbortSignal }) => Promise<ServerConnection>;
  /** Gives up on the servers still starting (the user left); those that started are closed. */
  signal?: AbortSignal;
  /** Where the servers are configured, for the fix a failure names (default `config.toml`). */
  origin?: string;
}

/** The servers config.toml enables, sorted by name. */
export function enabledServers(config: Config): Array<[string, McpServerConfig]> {
  return Object.entries(config.mcp_servers ?? {})
    .filter(([, s]) => s.enabled !== false)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function startupTimeoutMs(s: McpServerConfig): number {
  if (s.startup_timeout_sec !== undefined) return s.startup_timeout_sec * 1000;
  return s.startup_timeout_ms ?? DEFAULT_STARTUP_TIMEOUT_MS;
}

export function toolTimeoutMs(s: McpServerConfig): number {
  return s.tool_timeout_sec !== undefined ? s.tool_timeout_sec * 1000 : DEFAULT_TOOL_TIMEOUT_MS;
}

/** `enabled_tools` keeps only the tools it names; `disabled_tools` then removes its own. */
export function toolAllowed(s: McpServerConfig, tool: string): boolean {
  if (s.enabled_tools && !s.enabled_tools.includes(tool)) return false;
  return !(s.disabled_tools ?? []).includes(tool);
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

interface Started {
  name: string;
  config: McpServerConfig;
  conn: ServerConnection;
  tools: ListedTool[];
}

export class McpConnections {
  /** Warnings for servers that did not start (one line each). */
  readonly warnings: string[];
  readonly tools: readonly McpTool[];
  private readonly servers: Map<string, Started>;
  /** The servers `close()` ends: all of them, or (a layered view) only its own. */
  private readonly owned: ReadonlySet<string>;
  private closed = false;

  constructor(started: Started[], warnings: string[], owned?: ReadonlySet<string>) {
    this.servers = new Map(started.map((s) => [s.name, s]));
    this.owned = owned ?? new Set(this.servers.keys());
    this.warnings = warnings;
    const flat = started.flatMap((s) => s.tools.map((t) => ({ s, t })));
    const names = qualifyToolNames(flat.map(({ s, t }) => ({ server: s.name, tool: t.name })));
    const tools: McpTool[] = [];
    flat.forEach(({ s, t }, i) => {
      const qualifiedName = names[i];
      if (!qualifiedName) return;
      tools.push({
        qualifiedName,
        server: s.name,
        tool: t.name,
        description: t.description ?? t.title ?? t.annotations?.title ?? '',
        inputSchema: normalizeInputSchema(t.inputSchema),
        ...(t.annotations ? { annotations: t.annotations } : {}),
        approvalMode: toolApprovalMode(s.config, t.name),
        parallel: s.config.supports_parallel_tool_calls === true,
      });
    });
    this.tools = tools;
  }

  /** No servers configured: nothing to start or close. */
  static none(): McpConnections {
    return new McpConnections([], []);
  }

  /**
   * These servers with `own` on top, for one helper whose agent type has servers of its own: a server of
   * `own` replaces one of the same name here, and the tools are named anew over the whole set. Closing the
   * result closes only `own`'s servers; these stay with the session.
   */
  layered(own: McpConnections): McpConnections {
    const merged = new Map(this.servers);
    for (const [name, s] of own.servers) merged.set(name, s);
    const started = [...merged.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return new McpConnections(started, [...own.warnings], new Set(own.servers.keys()));
  }

  /** Names of the servers that are running. */
  get serverNames(): string[] {
    return [...this.servers.keys()];
  }

  async callTool(server: string, tool: string, args: Record<string, unknown> | undefined, signal: AbortSignal): Promise<McpCallOutcome> {
    const s = this.servers.get(server);
    if (!s || this.closed) return { ok: false, message: `MCP server \`${server}\` is not running` };
    const timeoutMs = toolTimeoutMs(s.config);
    const outcome = await s.conn.callTool(tool, args, { timeoutMs, signal });
    if (!outcome.ok && /^tool call timed out/.test(outcome.message)) {
      return { ok: false, message: `${outcome.message} (tool_timeout_sec of [mcp_servers.${server}])` };
    }
    return outcome;
  }

  /** Closes every server (stdio children are ended). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.servers.values()].filter((s) => this.owned.has(s.name)).map((s) => s.conn.close()));
  }
}

async function startOne(
  name: string,
  config: McpServerConfig,
  env: NodeJS.ProcessEnv,
  connect: NonNullable<McpStartOptions['connect']>,
  cancel: AbortSignal | undefined,
): Promise<Started> {
  const timeoutMs = startupTimeoutMs(config);
  const abort = new AbortController();
  let conn: ServerConnection | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onCancel: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`it did not answer within ${seconds(timeoutMs)} (startup_timeout_sec)`));
    }, timeoutMs);
    onCancel = () => {
      abort.abort();
      reject(new Error('start-up was cancelled'));
    };
    if (cancel?.aborted) onCancel();
    else cancel?.addEventListener('abort', onCancel, { once: true });
  });
  const work = (async () => {
    conn = await connect(name, config, { env, signal: abort.signal });
    const tools = await conn.listTools(abort.signal);
    return tools.filter((t) => toolAllowed(config, t.name));
  })();
  try {
    const tools = await Promise.race([work, timeout]);
    return { name, config, conn: conn as ServerConnection, tools };
  } catch (err) {
    // A connection made after the deadline is closed as soon as it exists.
    void work.then(() => conn?.close(), () => undefined);
    if (conn) await conn.close();
    throw err;
  } finally {
    clearTimeout(timer);
    if (onCancel) cancel?.removeEventListener('abort', onCancel);
  }
}

/**
 * Starts the enabled servers together. A server that fails is a warning, unless it is `required`: then
 * the others are closed and a UserError names it.
 */
export async function startMcpServers(config: Config, o: McpStartOptions = {}): Promise<McpConnections> {
  const servers = enabledServers(config);
  if (servers.length === 0) return McpConnections.none();
  const env = o.env ?? process.env;
  const connect = o.connect ?? (async (...a) => (await import('./client.js')).connectServer(...a));
  const results = await Promise.allSettled(servers.map(([name, s]) => startOne(name, s, env, connect, o.signal)));
  const started: Started[] = [];
  const warnings: string[] = [];
  let required: { name: string; reason: string } | undefined;
  results.forEach((r, i) => {
    const [name, s] = servers[i] as [string, McpServerConfig];
    if (r.status === 'fulfilled') {
      started.push(r.value);
      return;
    }
    const reason = r.reason instanceof Error ? r.reason.message : String(r.reason);
    if (s.required === true) required ??= { name, reason };
    else warnings.push(`MCP server \`${name}\` failed to start: ${reason}`);
  });
  if (o.signal?.aborted) {
    await Promise.all(started.map((s) => s.conn.close()));
    throw new UserError('starting the MCP servers was cancelled');
  }
  if (required) {
    await Promise.all(started.map((s) => s.conn.close()));
    throw new UserError(`required MCP server \`${required.name}\` failed to start: ${required.reason}`, {
      hint: `fix [mcp_servers.${required.name}] in ${o.origin ?? 'config.toml'}, or set required = false there`,
    });
  }
  return new McpConnections(started, warnings);
}
