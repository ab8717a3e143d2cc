/** The contract between the turn loop and the tools it dispatches. */
import type { ToolOutput, ToolSpec } from '../providers/index.js';
import type { AgentEvent } from './events.js';

export interface ToolCall {
  callId: string;
  name: string;
  /** `function`: `input` is the JSON arguments string; `custom`: the freeform input. */
  kind: 'function' | 'custom';
  input: string;
}

export interface ToolContext {
  signal: AbortSignal;
  /** Front-end events for the items this call creates (commands, patches, plans). */
  emit: (event: AgentEvent) => void;
  /** A fresh `item_N` id. */
  nextItemId: () => string;
  /** The running turn's id (as its rollout records it), when the session has one. */
  turnId?: string;
  /** The front end's own file access, when it offers one (an editor's buffers): patches read and write through it. */
  files?: ClientFiles | undefined;
}

/**
 * Text files as a front end sees them (an ACP client's `fs/*`: open buffers with unsaved changes). `read`
 * answers null for a file that does not exist there.
 */
export interface ClientFiles {
  read(path: string): Promise<string | null>;
  write(path: string, text: string): Promise<void>;
}

export interface ToolResult {
  output: ToolOutput;
  /** False when the call failed (the output then explains why, for the model). */
  success: boolean;
}

export interface ToolHandler {
  name: string;
  spec: ToolSpec;
  /** Safe to run at the same time as other parallel-safe calls. */
  parallelSafe: boolean;
  run(call: ToolCall, ctx: ToolContext): Promise<ToolResult>;
}

/** A tool call's arguments as an object, or a message for the model when they are not valid JSON. */
export function parseArguments(call: ToolCall): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  const raw = call.input.trim() === '' ? '{}' : call.input;
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, message: `failed to parse function arguments: expected a JSON object for ${call.name}` };
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch (err) {
    return { ok: false, message: `failed to parse function arguments: ${(err as Error).message}` };
  }
}
