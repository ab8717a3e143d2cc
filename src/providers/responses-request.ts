/** The Responses API request body (codex-compat.md §9.1, wire.md §2). */
import { replayableSearch, type JsonObject, type ResponseItem, type ToolSpec } from './items.js';
import { effortFor, OUTPUT_SCHEMA_NAME, verbosityFor, type TurnRequest } from './request.js';

/** What the provider takes besides function and custom tools (a named provider setting). */
export interface ResponsesOptions {
  /** The provider accepts the hosted `web_search` tool and `web_search_call` items (default true). */
  webSearch?: boolean;
  /**
   * The provider takes `namespace` tools and function calls naming their namespace (default false): tools
   * with a `namespace` are grouped into one namespace tool each; otherwise they are plain functions.
   */
  namespaces?: boolean;
}

/**
 * History items as sent: provider item ids are dropped (requests are stateless, `store:false`).
 * `web_search_call` items are sent only to providers with web search, and only when their action is one
 * the API takes back (an `other` action is rejected with a 400, so such an item is left out).
 */
export function responsesInput(items: readonly ResponseItem[], options: ResponsesOptions = {}): JsonObject[] {
  const webSearch = options.webSearch !== false;
  const namespaces = options.namespaces === true;
  return items.flatMap((item): JsonObject[] => {
    const sent = responsesItem(item, webSearch, namespaces);
    return sent === undefined ? [] : [sent];
  });
}

function responsesItem(item: ResponseItem, webSearch: boolean, namespaces: boolean): JsonObject | undefined {
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
    case 'function_call': {
      const call: JsonObject = { type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments };
      if (namespaces && item.namespace !== undefined) call.namespace = item.namespace;
      return call;
    }
    case 'custom_tool_call':
      return { type: 'custom_tool_call', call_id: item.call_id, name: item.name, input: item.input };
    case 'function_call_output':
    case 'custom_tool_call_output':
      return { type: item.type, call_id: item.call_id, output: typeof item.output === 'string' ? item.output : item.output.map((p) => ({ ...p })) };
    case 'web_search_call': {
      if (!webSearch || !replayableSearch(item) || item.action === undefined) return undefined;
      const call: JsonObject = { type: 'web_search_call' };
      if (item.status !== undefined) call.status = item.status;
      call.action = item.action;
      return call;
    }
  }
}

function responsesTool(t: ToolSpec): JsonObject {
  if (t.type === 'web_search') {
    const tool: JsonObject = { type: 'web_search', external_web_access: t.external_web_access };
    if (t.search_content_types) tool.search_content_types = [...t.search_content_types];
    return tool;
  }
  if (t.type === 'function') {
    return { type: 'function', name: t.name, description: t.description, strict: t.strict ?? false, parameters: t.parameters };
  }
  const tool: JsonObject = { type: 'custom', name: t.name, description: t.description };
  if (t.format) tool.format = { ...t.format };
  return tool;
}

/**
 * The tools of a request. With `namespaces`, function tools naming a namespace are sent as one
 * `{"type":"namespace","name","description","tools":[…]}` per namespace, where its first tool stands, their
 * functions sorted by name (as Codex sends `multi_agent_v1`); without, each is a plain function.
 */
export function responsesTools(tools: readonly ToolSpec[], options: ResponsesOptions = {}): JsonObject[] {
  const offered = options.webSearch === false ? tools.filter((t) => t.type !== 'web_search') : tools;
  if (options.namespaces !== true) return offered.map(responsesTool);
  const out: JsonObject[] = [];
  const groups = new Map<string, JsonObject[]>();
  for (const t of offered) {
    const ns = t.type === 'function' ? t.namespace : undefined;
    if (ns === undefined) {
      out.push(responsesTool(t));
      continue;
    }
    let members = groups.get(ns.name);
    if (members === undefined) {
      members = [];
      groups.set(ns.name, members);
      out.push({ type: 'namespace', name: ns.name, description: ns.description, tools: members });
    }
    members.push(responsesTool(t));
  }
  for (const members of groups.values()) members.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return out;
}

export function buildResponsesBody(req: TurnRequest, options: ResponsesOptions = {}): JsonObject {
  const { facts } = req.model;
  const tools = req.tools ?? [];
  const body: JsonObject = { model: req.model.requested };
  if (req.instructions) body.instructions = req.instructions;
  body.input = responsesInput(req.input, options);
  body.tools = responsesTools(tools, options);
  body.tool_choice = req.toolChoice ?? 'auto';
  body.parallel_tool_calls = facts.parallelToolCalls;
  // `reasoning` carries the effort whenever there is one to send (Codex 0.171's entries list efforts but
  // do not state summary support), and a summary only when the model takes summaries.
  let reasoning: JsonObject | undefined;
  const effort = effortFor(req);
  if (facts.supportsReasoningSummaries || effort !== undefined) {
    reasoning = {};
    if (effort !== undefined) reasoning.effort = effort;
    const summary = facts.supportsReasoningSummaries ? (req.reasoningSummary ?? facts.defaultReasoningSummary) : 'none';
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
