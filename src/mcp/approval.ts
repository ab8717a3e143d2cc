/**
 * When an MCP tool call needs the user's approval (as Codex decides it): a tool's `approval_mode`, else
 * the server's `default_tools_approval_mode`, else `auto`. `approve` never asks; `prompt` always asks;
 * `auto` asks only for tools whose hints say they may change things: a destructive tool, or one not
 * marked read-only whose destructive or open-world hints are not set to false. A tool without any hints
 * runs without asking under `auto`.
 */
import type { McpServerConfig } from '../config/index.js';
import type { McpApprovalMode, McpToolAnnotations } from './types.js';

export function toolApprovalMode(config: McpServerConfig, tool: string): McpApprovalMode {
  return (config.tools?.[tool]?.approval_mode ?? config.default_tools_approval_mode ?? 'auto') as McpApprovalMode;
}

/** The hints call for asking (Codex's rule for `auto`). */
export function hintsNeedApproval(a: McpToolAnnotations | undefined): boolean {
  if (a?.destructiveHint === true) return true;
  if (a?.readOnlyHint === true) return false;
  return (a?.destructiveHint ?? true) || (a?.openWorldHint ?? true);
}

export function callNeedsApproval(mode: McpApprovalMode, annotations: McpToolAnnotations | undefined): boolean {
  if (mode === 'approve') return false;
  if (mode === 'prompt') return true;
  if (annotations === undefined) return false;
  return hintsNeedApproval(annotations);
}
