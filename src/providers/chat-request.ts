/**
 * The Chat Completions request body (wire.md §4.1, codex-compat.md §9.7), built from the same history
 * and tools as a Responses request, shaped by the provider's dialect.
 */
import type { ChatDialect } from './dialect.js';
import type { CustomTool, JsonObject, JsonValue, ResponseItem, ToolOutput, ToolSpec } from './items.js';
import { effortFor, OUTPUT_SCHEMA_NAME, verbosityFor, type TurnRequest } from './request.js';

/** The single string parameter a freeform (custom) tool gets when offered as a function. */
export const CUSTOM_TOOL_PARAM = 'input';

function customAsFunction(t: CustomTool): JsonObject {
  let about = 'The raw input for this tool, as free text.';
  if (t.format?.type === 'grammar') about = `The raw input for this tool. It must follow this ${t.format.syntax} grammar:\n${t.format.definition}`;
  return {
    type: 'function',
    function: {
      name: t.name,
      description: t.description,
      parameters: {
        type: 'object',
        properties: { [CUSTOM_TOOL_PARAM]: { type: 'string', description: about } },
        required: [CUSTOM_TOOL_PARAM],
        additionalProperties: false,
      },
    },
  };
}

/** Function and custom tools as Chat functions; hosted tools (web_search) have no Chat form and are left out. */
export function chatTools(tools: readonly ToolSpec[]): JsonObject[] {
  return tools.flatMap((t): JsonObject[] => {
    if (t.type === 'web_search') return [];
    if (t.type === 'custom') return [customAsFunction(t)];
    const fn: JsonObject = { name: t.name, description: t.description, parameters: t.parameters };
    if (t.strict !== undefined) fn.strict = t.strict;
    return [{ type: 'function', function: fn }];
  });
}

function outputText(output: ToolOutput): string {
  if (typeof output === 'string') return output;
  return output.map((p) => (p.type === 'input_text' ? p.text : '[image]')).join('\n');
}

function reasoningTextOf(item: Extract<ResponseItem, { type: 'reasoning' }>): string {
  const raw = (item.content ?? []).map((c) => c.text).join('');
  return raw !== '' ? raw : item.summary.map((s) => s.text).join('\n\n');
}

type Msg = { [key: string]: JsonValue };

/** Converts the history to chat messages: tool calls grouped on one assistant message, results as `tool` messages. */
export function chatMessages(instructions: string | undefined, items: readonly ResponseItem[], dialect: ChatDialect): Msg[] {
  const messages: Msg[] = [];
  const systemRole = dialect.instructionsRole;
  if (instructions) messages.push({ role: systemRole, content: instructions });
  let pendingReasoning = '';
  /** The assistant message the next tool call joins, while no other message came in between. */
  let open: Msg | undefined;

  const attachReasoning = (msg: Msg): void => {
    if (pendingReasoning !== '' && dialect.reasoningEcho !== 'none') msg[dialect.reasoningEcho] = pendingReasoning;
    pendingReasoning = '';
  };

  for (const item of items) {
    switch (item.type) {
      case 'reasoning':
        pendingReasoning += reasoningTextOf(item);
        break;
      case 'message': {
        if (item.role === 'assistant') {
          const text = item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('');
          const prev = messages[messages.length - 1];
          // Codex drops an answer repeated verbatim right after itself.
          if (prev && prev.role === 'assistant' && prev.content === text && prev.tool_calls === undefined) break;
          const msg: Msg = { role: 'assistant', content: text };
          messages.push(msg);
          open = msg;
          break;
        }
        open = undefined;
        pendingReasoning = '';
        const role = item.role === 'user' ? 'user' : systemRole;
        const hasImage = item.content.some((p) => p.type === 'input_image');
        if (hasImage && item.role === 'user') {
          messages.push({
            role,
            content: item.content.map((p): JsonObject =>
              p.type === 'input_image' ? { type: 'image_url', image_url: { url: p.image_url, ...(p.detail ? { detail: p.detail } : {}) } } : { type: 'text', text: p.text },
            ),
          });
        } else {
          messages.push({ role, content: item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('\n') });
        }
        break;
      }
      case 'function_call':
      case 'custom_tool_call': {
        if (open === undefined) {
          open = { role: 'assistant', content: null };
          messages.push(open);
        }
        const calls = Array.isArray(open.tool_calls) ? open.tool_calls : [];
        const args = item.type === 'function_call' ? item.arguments : JSON.stringify({ [CUSTOM_TOOL_PARAM]: item.input });
        calls.push({ id: item.call_id, type: 'function', function: { name: item.name, arguments: args } });
        open.tool_calls = calls;
        attachReasoning(open);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output':
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: outputText(item.output) });
        open = undefined;
        break;
      case 'web_search_call':
        // A hosted search has no Chat Completions form (Codex drops it too).
        break;
    }
  }
  return messages;
}

export function buildChatBody(req: TurnRequest, dialect: ChatDialect): JsonObject {
  const tools = chatTools(req.tools ?? []);
  const body: JsonObject = {
    model: req.model.requested,
    messages: chatMessages(req.instructions, req.input, dialect),
    stream: true,
  };
  if (dialect.streamUsage) body.stream_options = { include_usage: true };
  if (tools.length > 0) {
    body.tools = tools;
    if (dialect.toolChoice) body.tool_choice = req.toolChoice ?? 'auto';
    if (dialect.parallelToolCalls) body.parallel_tool_calls = req.model.facts.parallelToolCalls;
  }
  const effort = effortFor(req);
  if (effort !== undefined) {
    if (dialect.reasoningEffort === 'reasoning_effort') body.reasoning_effort = effort;
    else if (dialect.reasoningEffort === 'reasoning') body.reasoning = { effort };
  }
  const verbosity = verbosityFor(req);
  if (verbosity !== undefined && dialect.name === 'openai') body.verbosity = verbosity;
  if (req.outputSchema) body.response_format = { type: 'json_schema', json_schema: { name: OUTPUT_SCHEMA_NAME, strict: true, schema: req.outputSchema } };
  if (req.maxOutputTokens !== undefined) body[dialect.maxTokensField] = req.maxOutputTokens;
  if (dialect.name === 'openai') {
    body.prompt_cache_key = req.threadId;
    if (req.serviceTier) body.service_tier = req.serviceTier === 'fast' ? 'priority' : req.serviceTier;
  }
  return body;
}
