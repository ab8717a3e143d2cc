/**
 * MCP servers as a tool source (codex-compat.md §2.8, §4.2): start the configured servers, list their
 * tools under model-facing names, call them, decide when a call needs approval, close them. The SDK is
 * loaded only when a session has enabled servers.
 */
export {
  McpConnections,
  startMcpServers,
  enabledServers,
  startupTimeoutMs,
  toolTimeoutMs,
  toolAllowed,
  DEFAULT_STARTUP_TIMEOUT_MS,
  DEFAULT_TOOL_TIMEOUT_MS,
  type McpStartOptions,
} from './manager.js';
export type { ServerConnection, ListedTool } from './client.js';
export { qualifyToolNames, sanitizeToolName, MAX_TOOL_NAME_BYTES } from './names.js';
export { normalizeInputSchema } from './schema.js';
export { stdioServerEnv, httpServerHeaders, MCP_DEFAULT_ENV_VARS } from './env.js';
export { toolApprovalMode, callNeedsApproval, hintsNeedApproval } from './approval.js';
export type {
  McpApprovalMode,
  McpCallOutcome,
  McpCallResult,
  McpContentBlock,
  McpJsonObject,
  McpJsonValue,
  McpTool,
  McpToolAnnotations,
} from './types.js';
