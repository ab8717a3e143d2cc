/** What the MCP layer hands to the agent: tools as the model will see them, and call results. */

export type McpJsonValue = string | number | boolean | null | McpJsonValue[] | { [key: string]: McpJsonValue };
export type McpJsonObject = { [key: string]: McpJsonValue };

/** How a server's tool call is approved (`default_tools_approval_mode`, `[tools.<t>] approval_mode`). */
export type McpApprovalMode = 'auto' | 'prompt' | 'approve';

/** The server's hints about a tool (MCP `ToolAnnotations`); absent ones are unknown. */
export interface McpToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface McpTool {
  /** The function name the model calls (`mcp__<server>__<tool>`, reduced; see names.ts). */
  qualifiedName: string;
  server: string;
  /** The tool's own name on its server. */
  tool: string;
  description: string;
  /** JSON Schema of the arguments, always an object schema with `properties`. */
  inputSchema: McpJsonObject;
  annotations?: McpToolAnnotations;
  approvalMode: McpApprovalMode;
  /** The server allows calls to its tools to run at the same time as other calls. */
  parallel: boolean;
}

/** One content block of a result (text, image, audio, resource, resource_link), as the server sent it. */
export interface McpContentBlock {
  type: string;
  [key: string]: unknown;
}

export interface McpCallResult {
  content: McpContentBlock[];
  structuredContent?: unknown;
  /** The tool reported a failure (`isError`). */
  isError: boolean;
}

/** A call either reached the tool (whatever the tool said) or did not (timeout, lost connection, …). */
export type McpCallOutcome = { ok: true; result: McpCallResult } | { ok: false; message: string };
