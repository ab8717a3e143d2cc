/**
 * The names MCP tools get in the model's tool list (codex-compat.md §4.2): `mcp__<server>__<tool>`,
 * reduced to the characters the APIs accept (`[a-zA-Z0-9_-]`), at most 64 bytes. A name that is too
 * long, or that two tools would share once reduced, ends with the SHA-1 (hex) of the unreduced name.
 */
import { hashHex } from '../shared/index.js';

export const MCP_TOOL_PREFIX = 'mcp__';
export const MCP_NAME_DELIMITER = '__';
export const MAX_TOOL_NAME_BYTES = 64;

/** Replaces every character outside `[a-zA-Z0-9_-]` with `_`. */
export function sanitizeToolName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_');
}

function sha1(text: string): string {
  return hashHex('sha1', text);
}

/** The first `room` characters of a name and the hash of what it stands for. */
function withHash(name: string, raw: string): string {
  const hash = sha1(raw);
  return name.slice(0, MAX_TOOL_NAME_BYTES - hash.length) + hash;
}

export interface NamedTool {
  server: string;
  tool: string;
}

/**
 * Qualified names for tools in the order given (servers sorted, then each server's tools as listed).
 * A tool whose unreduced qualified name repeats an earlier one is left out (`null`).
 */
export function qualifyToolNames(tools: readonly NamedTool[]): Array<string | null> {
  const used = new Set<string>();
  const seenRaw = new Set<string>();
  return tools.map(({ server, tool }) => {
    const raw = `${MCP_TOOL_PREFIX}${server}${MCP_NAME_DELIMITER}${tool}`;
    if (seenRaw.has(raw)) return null;
    seenRaw.add(raw);
    let name = sanitizeToolName(raw);
    if (name.length > MAX_TOOL_NAME_BYTES) name = withHash(name, raw);
    if (used.has(name)) name = withHash(name, raw);
    used.add(name);
    return name;
  });
}
