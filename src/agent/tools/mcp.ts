/**
 * MCP tools as function tools (codex-compat.md §4.2): the server's description and input schema under
 * the tool's qualified name. A call emits an `mcp_tool_call` item (started, then completed with the
 * result or the error, §6.2), asks for approval when the MCP layer says the call needs it, and gives
 * the model the result's text (images as images when the model takes them; structured content as JSON
 * when there is no text). A result the tool marks `isError` is a failed call.
 */
import type { FunctionTool, InputImage, InputText, ToolOutput } from '../../providers/index.js';
import { callNeedsApproval, type McpCallOutcome, type McpCallResult, type McpConnections, type McpTool } from '../../mcp/index.js';
import { basePolicy, type ApprovalSession } from '../../sandbox/index.js';
import type { McpToolCallItem } from '../events.js';
import { parseArguments, type ToolCall, type ToolContext, type ToolHandler, type ToolResult } from '../tool-types.js';

const IMAGE_OMITTED = '[an image was returned here; this model does not take images]';

/** What the model gets back from a call that reached the tool. */
export function mcpResultOutput(result: McpCallResult, acceptsImages: boolean): ToolOutput {
  const parts: Array<InputText | InputImage> = [];
  const texts: string[] = [];
  let images = 0;
  for (const block of result.content) {
    const b = block as Record<string, unknown>;
    if (b.type === 'text' && typeof b.text === 'string') {
      texts.push(b.text);
      parts.push({ type: 'input_text', text: b.text });
    } else if (b.type === 'image' && typeof b.data === 'string') {
      if (acceptsImages) {
        images++;
        parts.push({ type: 'input_image', image_url: `data:${typeof b.mimeType === 'string' ? b.mimeType : 'image/png'};base64,${b.data}` });
      } else {
        texts.push(IMAGE_OMITTED);
        parts.push({ type: 'input_text', text: IMAGE_OMITTED });
      }
    } else {
      const text = otherBlockText(b);
      texts.push(text);
      parts.push({ type: 'input_text', text });
    }
  }
  if (texts.length === 0 && images === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return images > 0 ? parts : texts.join('\n');
}

/** Resources, links and audio, as text the model can use. */
function otherBlockText(b: Record<string, unknown>): string {
  if (b.type === 'resource' && b.resource !== null && typeof b.resource === 'object') {
    const r = b.resource as Record<string, unknown>;
    if (typeof r.text === 'string') return r.text;
    return `[binary resource ${String(r.uri ?? '')}${typeof r.mimeType === 'string' ? ` (${r.mimeType})` : ''}]`;
  }
  if (b.type === 'resource_link') return `[resource ${typeof b.name === 'string' ? `${b.name}: ` : ''}${String(b.uri ?? '')}]`;
  if (b.type === 'audio') return '[audio content, which this client does not pass on]';
  return JSON.stringify(b);
}

/** The completed item of a call. */
export function completedItem(started: McpToolCallItem, outcome: McpCallOutcome): McpToolCallItem {
  if (!outcome.ok) return { ...started, status: 'failed', error: { message: outcome.message } };
  const r = outcome.result;
  return {
    ...started,
    status: r.isError ? 'failed' : 'completed',
    result: { content: r.content, structured_content: r.structuredContent ?? null },
  };
}

export interface McpToolOptions {
  connections: McpConnections;
  approvals: ApprovalSession;
  /** The model takes images as input. */
  acceptsImages: boolean;
}

export class McpToolHandler implements ToolHandler {
  readonly name: string;
  readonly spec: FunctionTool;
  readonly parallelSafe: boolean;

  constructor(
    private readonly tool: McpTool,
    private readonly o: McpToolOptions,
  ) {
    this.name = tool.qualifiedName;
    this.parallelSafe = tool.parallel;
    this.spec = { type: 'function', name: tool.qualifiedName, description: tool.description, strict: false, parameters: tool.inputSchema };
  }

  /** Whether this call may run; when not, the message for the model. */
  private async authorize(args: unknown): Promise<{ run: true } | { run: false; message: string }> {
    const { approvals } = this.o;
    const fullAccess = basePolicy(approvals.policy) === 'never' && approvals.sandbox.type === 'danger-full-access';
    if (fullAccess || !callNeedsApproval(this.tool.approvalMode, this.tool.annotations)) return { run: true };
    const reason =
      this.tool.approvalMode === 'prompt'
        ? 'approval_mode is prompt'
        : this.tool.annotations?.destructiveHint === true
          ? 'the server says the tool may destroy data'
          : 'the server does not say the tool is read-only';
    return approvals.authorizeMcpTool({
      server: this.tool.server,
      tool: this.tool.tool,
      arguments: args,
      reason,
      rememberable: this.tool.approvalMode === 'auto',
    });
  }

  async run(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
    let args: Record<string, unknown> | undefined;
    if (call.input.trim() !== '') {
      const parsed = parseArguments(call);
      if (!parsed.ok) return { output: parsed.message, success: false };
      args = parsed.value;
    }
    const started: McpToolCallItem = {
      id: ctx.nextItemId(),
      type: 'mcp_tool_call',
      server: this.tool.server,
      tool: this.tool.tool,
      arguments: args ?? null,
      result: null,
      error: null,
      status: 'in_progress',
    };
    ctx.emit({ type: 'item.started', item: started });
    const auth = await this.authorize(args ?? null);
    const outcome: McpCallOutcome = auth.run
      ? await this.o.connections.callTool(this.tool.server, this.tool.tool, args, ctx.signal)
      : { ok: false, message: auth.message };
    ctx.emit({ type: 'item.completed', item: completedItem(started, outcome) });
    if (!outcome.ok) return { output: outcome.message, success: false };
    return { output: mcpResultOutput(outcome.result, this.o.acceptsImages), success: !outcome.result.isError };
  }
}

/** One handler per listed tool. */
export function mcpToolHandlers(o: McpToolOptions): ToolHandler[] {
  return o.connections.tools.map((t) => new McpToolHandler(t, o));
}
