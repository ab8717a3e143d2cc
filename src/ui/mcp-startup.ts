/**
 * Starting the MCP servers while the screen is already open: a live "Starting MCP servers… (a, b)" line,
 * prompts typed meanwhile queued, then a notice with the tools they offer (or a warning per server that
 * failed) and the queued prompts sent. A `required` server that fails rejects: the caller ends the session.
 */
import type { McpConnections } from '../mcp/index.js';
import type { UiController } from './controller.js';

export interface McpStart {
  /** The enabled servers, by name. */
  names: readonly string[];
  /** Starts them (and gives up when the user leaves before they are ready). */
  start: () => Promise<McpConnections>;
}

/**
 * Starts the servers in the background of the session. Resolves with the connections (none when the user
 * left first: whatever had started is closed); rejects when a required server failed.
 */
export async function startMcpInUi(c: UiController, o: McpStart): Promise<McpConnections | null> {
  c.setMcpStarting(o.names);
  let mcp: McpConnections;
  try {
    mcp = await o.start();
  } catch (err) {
    c.setMcpStarting(null);
    if (c.exiting) return null;
    throw err;
  }
  c.setMcpStarting(null);
  if (c.exiting) {
    await mcp.close();
    return null;
  }
  c.useMcp(mcp);
  const running = mcp.serverNames;
  if (running.length > 0) {
    const n = mcp.tools.length;
    c.notice(`MCP servers ready: ${running.join(', ')} (${n} tool${n === 1 ? '' : 's'})`);
  }
  for (const w of mcp.warnings) c.notice(w.replace(/^(warning|note): /, ''));
  c.runQueued();
  return mcp;
}

/** The live line while the servers start. */
export function mcpStartingLine(names: readonly string[], queued: number): string {
  return `Starting MCP servers… (${names.join(', ')})${queued > 0 ? ` · ${queued} queued` : ''}`;
}
