/**
 * One connection to one MCP server, through the SDK (imported here, on first use only, so sessions
 * without MCP servers never load it; zod is imported by name, statically: a dynamic `import('zod')` would
 * put all of zod, with its 360 kB of locales, into the chunk every command loads): start it (spawn a stdio child or reach an HTTP URL), initialize,
 * list its tools, call them, close it.
 */
import * as z from 'zod';
import type { McpServerConfig } from '../config/index.js';
import { VERSION } from '../shared/index.js';
import { httpServerHeaders, stdioServerEnv } from './env.js';
import type { McpCallOutcome, McpContentBlock, McpToolAnnotations } from './types.js';

/** A tool as its server lists it. */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: unknown;
  annotations?: McpToolAnnotations;
}

export interface ServerConnection {
  listTools(signal: AbortSignal): Promise<ListedTool[]>;
  callTool(tool: string, args: Record<string, unknown> | undefined, o: { timeoutMs: number; signal: AbortSignal }): Promise<McpCallOutcome>;
  close(): Promise<void>;
}

const STDERR_KEEP = 4096;
const CLOSE_GRACE_MS = 300;

/** Resolves to `value` after `ms`, without keeping the process alive. */
const delay = <T>(ms: number, value: T): Promise<T> => new Promise((r) => setTimeout(() => r(value), ms).unref());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The SDK's error code for a request that got no answer in time. */
const REQUEST_TIMEOUT = -32001;

function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, ' ').trim() || 'unknown error';
}

function annotationsOf(value: unknown): McpToolAnnotations | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const out: McpToolAnnotations = {};
  if (typeof v.title === 'string') out.title = v.title;
  for (const k of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) if (typeof v[k] === 'boolean') out[k] = v[k];
  return out;
}

/**
 * Connects and initializes; rejects with a one-line reason (the last line the server wrote to stderr is
 * added when it has one). `signal` abandons the attempt (the startup timeout).
 */
export async function connectServer(name: string, config: McpServerConfig, o: { env: NodeJS.ProcessEnv; signal: AbortSignal }): Promise<ServerConnection> {
  const [{ Client }, { StdioClientTransport }, { StreamableHTTPClientTransport }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
  ]);
  // tools/list read leniently: one tool with an unusual schema must not cost the server all its tools
  // (schemas are normalized later).
  const toolsPage = z.looseObject({
    tools: z.array(
      z.looseObject({ name: z.string(), title: z.string().optional(), description: z.string().optional(), inputSchema: z.unknown().optional(), annotations: z.unknown().optional() }),
    ),
    nextCursor: z.string().optional(),
  });
  let stderrTail = '';
  /** The stdio child, remembered at spawn (the SDK forgets it as soon as it starts closing). */
  let childPid: number | null = null;
  let transport: InstanceType<typeof StdioClientTransport> | InstanceType<typeof StreamableHTTPClientTransport>;
  if (config.command !== undefined) {
    class Stdio extends StdioClientTransport {
      override async start(): Promise<void> {
        await super.start();
        childPid = this.pid;
      }
    }
    const stdio = new Stdio({
      command: config.command,
      args: config.args ?? [],
      env: stdioServerEnv(config, o.env),
      ...(config.cwd ? { cwd: config.cwd } : {}),
      stderr: 'pipe',
    });
    stdio.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    transport = stdio;
  } else {
    const h = httpServerHeaders(name, config, o.env);
    if ('error' in h) throw new Error(h.error);
    let url: URL;
    try {
      url = new URL(config.url as string);
    } catch {
      throw new Error(`url ${config.url} is not a valid URL`);
    }
    transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: h.headers } });
  }
  const client = new Client({ name: 'opencodex', version: VERSION }, { capabilities: {} });
  const withStderr = (err: unknown): Error => {
    const last = stderrTail.trim().split('\n').at(-1)?.trim();
    return new Error(last ? `${errorText(err)} (server said: ${last})` : errorText(err));
  };
  // The SDK ends a child's stdin and waits up to 2 s before it signals; a server that is stuck or busy
  // with a call would hold the session's exit that long, so it gets SIGTERM after a short grace.
  const shutdown = async (): Promise<void> => {
    const child = childPid;
    const closing = client.close().catch(() => undefined);
    const deadline = Date.now() + CLOSE_GRACE_MS;
    await Promise.race([closing, delay(CLOSE_GRACE_MS, undefined)]);
    while (child !== null && alive(child) && Date.now() < deadline) await delay(20, undefined);
    if (child !== null && alive(child)) {
      try {
        process.kill(child, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };

  try {
    await client.connect(transport, { signal: o.signal });
  } catch (err) {
    await shutdown();
    throw withStderr(err);
  }

  return {
    async listTools(signal) {
      const tools: ListedTool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client
          .request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, toolsPage, { signal })
          .catch((err: unknown) => {
            throw withStderr(err);
          });
        for (const t of page.tools) {
          const annotations = annotationsOf(t.annotations);
          tools.push({
            name: t.name,
            ...(t.title !== undefined ? { title: t.title } : {}),
            ...(t.description !== undefined ? { description: t.description } : {}),
            inputSchema: t.inputSchema,
            ...(annotations ? { annotations } : {}),
          });
        }
        cursor = page.nextCursor;
      } while (cursor);
      return tools;
    },

    async callTool(tool, args, c) {
      try {
        const r = await client.callTool({ name: tool, ...(args ? { arguments: args } : {}) }, undefined, { timeout: c.timeoutMs, signal: c.signal });
        const content = Array.isArray(r.content) ? (r.content as McpContentBlock[]) : [];
        return {
          ok: true,
          result: { content, ...(r.structuredContent !== undefined ? { structuredContent: r.structuredContent } : {}), isError: r.isError === true },
        };
      } catch (err) {
        if ((err as { code?: unknown }).code === REQUEST_TIMEOUT) return { ok: false, message: `tool call timed out after ${c.timeoutMs / 1000} s` };
        return { ok: false, message: `tool call error: ${errorText(err)}` };
      }
    },

    close: shutdown,
  };
}
