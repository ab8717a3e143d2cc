/** The Responses API request body (codex-compat.md §9.1, wire.md §2). */
import type { JsonObject, ResponseItem, ToolSpec } from './items.js';
import { effortFor, OUTPUT_SCHEMA_NAME, verbosityFor, type TurnRequest } from './request.js';

/** History items as sent: provider item ids are dropped (requests are stateless, `store:false`). */
export function responsesInput(items: readonly ResponseItem[]): JsonObject[] {
  return items.map((item): JsonObject => {
    switch (item.type) {
      case 'message': {
        const msg: JsonObject = { type: 'message', role: item.role, content: item.content.map((p) => ({ ...p })) };
        if (item.phase !== undefined) msg.phase = item.phase;
        return msg;
      }
      case 'reasoning': {
        const r: JsonObject = { type: 'reasoning', summary: item.summary.map((s) => ({ ...s })) };
        if (item.content !== undefined && item.content.length > 0) r.content = item.content.map((c) => ({ ...c }));
        if (item.encrypted_content !== undefined) r.encrypted_content = item.encrypted_content;
        return r;
      }
      case 'function_call':
        return { type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments };
      case 'custom_tool_call':
        return { type: 'custom_tool_call', call_id: item.call_id, name: item.name, input: item.input };
      case 'function_call_output':
      case 'custom_tool_call_output':
        return { type: item.type, call_id: item.call_id, output: typeof item.output === 'string' ? item.output : item.output.map((p) => ({ ...p })) };
    }
  });
}

export function responsesTools(tools: readonly ToolSpec[]): JsonObject[] {
  return tools.map((t): JsonObject => {
    if (t.type === 'function') {
      return { type: 'function', name: t.name, description: t.description, strict: t.strict ?? false, parameters: t.parameters };
    }
    const tool: JsonObject = { type: 'custom', name: t.name, description: t.description };
    if (t.format) tool.format = { ...t.format };
    return tool;
  });
}

export function buildResponsesBody(req: TurnRequest): JsonObject {
  const { facts } = req.model;
  const tools = req.tools ?? [];
  const body: JsonObject = { model: req.model.requested };
  if (req.instructions) body.instructions = req.instructions;
  body.input = responsesInput(req.input);
  body.tools = responsesTools(tools);
  body.tool_choice = req.toolChoice ?? 'auto';
  body.parallel_tool_calls = facts.parallelToolCalls;
  let reasoning: JsonObject | undefined;
  if (facts.supportsReasoningSummaries) {
    reasoning = {};
    const effort = effortFor(req);
    if (effort !== undefined) reasoning.effort = effort;
    const summary = req.reasoningSummary ?? facts.defaultReasoningSummary;
    if (summary !== 'none') reasoning.summary = summary;
    body.reasoning = reasoning;
  }
  body.store = false;
  body.stream = true;
  if (reasoning) body.include = ['reasoning.encrypted_content'];
  if (req.serviceTier) body.service_tier = req.serviceTier === 'fast' ? 'priority' : req.serviceTier;
  body.prompt_cache_key = req.threadId;
  const text: JsonObject = {};
  const verbosity = verbosityFor(req);
  if (verbosity !== undefined) text.verbosity = verbosity;
  if (req.outputSchema) text.format = { type: 'json_schema', name: OUTPUT_SCHEMA_NAME, strict: true, schema: req.outputSchema };
  if (Object.keys(text).length > 0) body.text = text;
  if (req.maxOutputTokens !== undefined) body.max_output_tokens = req.maxOutputTokens;
  return body;
}
