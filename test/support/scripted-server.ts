/**
 * A scripted OpenAI-compatible server for tests: listens on 127.0.0.1 (random port), serves
 * `POST /v1/responses` and `POST /v1/chat/completions` from a queue of scripted replies, records every
 * request, and injects faults (error statuses, disconnects, early EOF, stalls, trickles of bytes that are
 * not events, requests never answered, raw dialect bytes).
 *
 *   const server = await startScriptedServer();
 *   server.reply(turn({ text: 'hi' }), failWith(500), turn({ toolCalls: [{ name: 'shell', arguments: { cmd: 'ls' } }] }));
 *   // point a provider at server.url ("http://127.0.0.1:PORT/v1"), run, then inspect server.requests
 *   await server.close();
 *
 * Each reply is rendered for whichever endpoint the request hit, so one script drives both wire APIs.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ScriptedToolCall {
  name: string;
  /** Function call arguments: a JSON string, or an object to encode. */
  arguments?: string | Record<string, unknown>;
  /** `custom`: a freeform tool call (Responses `custom_tool_call`; over Chat, a function call with `{"input": …}`). */
  kind?: 'function' | 'custom';
  /** Freeform input of a custom tool call. */
  input?: string;
  callId?: string;
  /** The namespace tool the function belongs to (Responses `namespace` on the call item; Chat has none). */
  namespace?: string;
}

/** How a Chat Completions stream deviates from OpenAI's (wire.md §4.5, §6). */
export interface ChatVariant {
  /** Field carrying reasoning text (default `reasoning_content`). */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** Each call arrives whole in one fragment (Ollama, Groq). */
  wholeArguments?: boolean;
  /** Fragments carry no `type`. */
  omitType?: boolean;
  /** No call carries an `id` (the client must make one up). */
  omitIds?: boolean;
  /** Tool-call indices start here (proxies continuing a count), default 0. */
  indexBase?: number;
  /** Every call uses index 0 and only the ids tell them apart. */
  sameIndex?: boolean;
  /** Fragments carry no `index`. */
  omitIndex?: boolean;
  /** `arguments` sent as a JSON object instead of a string. */
  objectArguments?: boolean;
  /** Usage on the finish_reason chunk instead of a separate chunk. */
  usageOnFinishChunk?: boolean;
  noUsage?: boolean;
  /** End without `data: [DONE]`. */
  noDone?: boolean;
  /** Interleave `: keep-alive` comment lines (OpenRouter). */
  comments?: boolean;
  /** Use CRLF line ends. */
  crlf?: boolean;
}

/** A hosted web search the server ran (Responses `web_search_call`; nothing is sent over Chat). */
export interface ScriptedWebSearch {
  /** The item id (default `ws_<output index>`); `null` sends none. */
  id?: string | null;
  /** The final item's action, e.g. `{ type: 'search', query: 'x' }`; left out of the item when undefined. */
  action?: Record<string, unknown>;
  /** The final status (default `completed`). */
  status?: string;
}

export interface ScriptedTurn {
  text?: string;
  /** Hosted web searches, streamed after the reasoning and before the message (wire.md §3). */
  webSearches?: ScriptedWebSearch[];
  /** Reasoning summary paragraphs (Responses `summary_text`; over Chat they are sent as reasoning text). */
  reasoningSummary?: string[];
  /** Raw reasoning text (Responses `reasoning_text`; Chat `reasoning_content` / `reasoning`). */
  reasoningText?: string;
  encryptedReasoning?: string;
  toolCalls?: ScriptedToolCall[];
  usage?: { input?: number; cached?: number; cacheWrite?: number; output?: number; reasoning?: number };
  /** Characters per delta (default 4). */
  deltaSize?: number;
  responseId?: string;
  chat?: ChatVariant;
}

export type Reply =
  | { type: 'turn'; turn: ScriptedTurn }
  /** A non-2xx reply with a JSON (or text) body. */
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Sends `afterEvents` events of the turn, then destroys the socket. */
  | { type: 'disconnect'; turn: ScriptedTurn; afterEvents: number }
  /** Sends `afterEvents` events of the turn, then ends the body cleanly (no terminal event). */
  | { type: 'truncate'; turn: ScriptedTurn; afterEvents: number }
  /** Sends `afterEvents` events of the turn, then goes silent, keeping the connection open. */
  | { type: 'stall'; turn: ScriptedTurn; afterEvents: number }
  /**
   * Sends the SSE headers (after `headersAfterMs`, if set) and `afterEvents` events of the turn, then writes
   * `chunk` every `everyMs` until the client goes away: keep-alive comments, or bytes that never make an event.
   */
  | { type: 'trickle'; turn: ScriptedTurn; afterEvents: number; chunk: string; everyMs: number; headersAfterMs?: number }
  /** Takes the request and never answers: no status, no headers, the connection left open. */
  | { type: 'hang' }
  /** Exact bytes: a status, headers and body chunks written `delayMs` apart. */
  | { type: 'raw'; status?: number; headers?: Record<string, string>; chunks: string[]; delayMs?: number }
  /** Decided when the request arrives, from the request (e.g. a tool call that needs an id from the last tool output). */
  | { type: 'dynamic'; make: (request: RecordedRequest) => Reply };

export type Wire = 'responses' | 'chat';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/v1/responses". */
  path: string;
  wire: Wire | undefined;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined if it was not JSON). */
  body: Record<string, unknown> | undefined;
  rawBody: string;
  /** performance.now() when the request arrived, for measuring retry gaps. */
  at: number;
}

/**
 * Which requests a route serves: a predicate, or a text that one of the request's user messages contains
 * (Responses `input` or Chat `messages`; text in tool calls, tool outputs and instructions does not count).
 */
export type RouteMatch = string | ((request: RecordedRequest) => boolean);

export interface ScriptedServer {
  /** Base URL to configure as a provider's base_url: "http://127.0.0.1:PORT/v1". */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Queues replies; each request no route takes takes the next one. */
  reply(...replies: Reply[]): void;
  /**
   * Queues replies for the requests `match` picks (routes are tried in the order they were made; a request
   * none picks takes the main queue). Several conversations can then be scripted at once, each in its own
   * order, whatever order their requests arrive in: a parent agent and its children, for instance.
   */
  route(match: RouteMatch, ...replies: Reply[]): void;
  /** Replies still queued (in the main queue and every route). */
  pending(): number;
  /** Drops queued replies and recorded requests (between tests). */
  reset(): void;
  /**
   * What GET /v1/models answers: these ids in OpenAI's list shape, or a 404 with `null` (a server
   * without the endpoint). Default (and after reset): `DEFAULT_SERVED_MODELS`.
   */
  serveModels(ids: readonly string[] | null): void;
  /**
   * Serves `GET <path>` (the path without the query, e.g. "/v1/catalog.json") with a fixed reply (a JSON
   * body unless it is a string); `null` removes the route. Routes are dropped by reset().
   */
  serveGet(path: string, reply: StaticReply | null): void;
  /** Gaps in ms between consecutive recorded requests. */
  gaps(): number[];
  close(): Promise<void>;
}

export const DEFAULT_SERVED_MODELS: readonly string[] = ['scripted-model'];

/** A fixed reply to a GET route (see serveGet). */
export interface StaticReply {
  status?: number;
  /** A string is sent as is; anything else as JSON. */
  body: unknown;
  headers?: Record<string, string>;
  /** Take the request and never answer (for timeouts). */
  hang?: boolean;
}

export const turn = (t: ScriptedTurn): Reply => ({ type: 'turn', turn: t });
export const failWith = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({
  type: 'status',
  status,
  body: body ?? { error: { message: `scripted ${status}`, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } },
  ...(headers ? { headers } : {}),
});
export const disconnectAfter = (afterEvents: number, t: ScriptedTurn = { text: 'partial answer that never ends' }): Reply => ({ type: 'disconnect', turn: t, afterEvents });
export const truncateAfter = (afterEvents: number, t: ScriptedTurn = { text: 'partial answer that never ends' }): Reply => ({ type: 'truncate', turn: t, afterEvents });
export const stallAfter = (afterEvents: number, t: ScriptedTurn = { text: 'partial answer that never ends' }): Reply => ({ type: 'stall', turn: t, afterEvents });
/** Only `chunk` (by default a `: keep-alive` comment) every `everyMs`, after `afterEvents` events of a turn. */
export const trickle = (
  everyMs: number,
  options: { chunk?: string; afterEvents?: number; headersAfterMs?: number; turn?: ScriptedTurn } = {},
): Reply => ({
  type: 'trickle',
  turn: options.turn ?? { text: 'partial answer that never ends' },
  afterEvents: options.afterEvents ?? 0,
  chunk: options.chunk ?? ': keep-alive\n\n',
  everyMs,
  ...(options.headersAfterMs === undefined ? {} : { headersAfterMs: options.headersAfterMs }),
});
export const hang = (): Reply => ({ type: 'hang' });
export const dynamic = (make: (request: RecordedRequest) => Reply): Reply => ({ type: 'dynamic', make });
export const raw = (chunks: string[], options: { status?: number; headers?: Record<string, string>; delayMs?: number } = {}): Reply => ({ type: 'raw', chunks, ...options });

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

const argsText = (c: ScriptedToolCall): string =>
  typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {});

/** The SSE events of a scripted turn as the Responses API streams them (wire.md §3.3–3.4). */
export function responsesEvents(t: ScriptedTurn): string[] {
  const events: string[] = [];
  let seq = 0;
  const emit = (type: string, fields: Record<string, unknown>): void => {
    events.push(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...fields })}\n\n`);
  };
  const size = t.deltaSize ?? 4;
  const id = t.responseId ?? 'resp_scripted';
  const output: Record<string, unknown>[] = [];
  emit('response.created', { response: { id, object: 'response', status: 'in_progress', model: 'scripted-model', output: [], usage: null } });
  emit('response.in_progress', { response: { id, object: 'response', status: 'in_progress', output: [], usage: null } });
  let index = 0;
  if (t.reasoningSummary || t.reasoningText || t.encryptedReasoning) {
    const itemId = `rs_${index}`;
    const output_index = index;
    emit('response.output_item.added', { output_index, item: { id: itemId, type: 'reasoning', summary: [] } });
    (t.reasoningSummary ?? []).forEach((para, summary_index) => {
      emit('response.reasoning_summary_part.added', { item_id: itemId, output_index, summary_index, part: { type: 'summary_text', text: '' } });
      for (const delta of pieces(para, size)) emit('response.reasoning_summary_text.delta', { item_id: itemId, output_index, summary_index, delta });
      emit('response.reasoning_summary_text.done', { item_id: itemId, output_index, summary_index, text: para });
      emit('response.reasoning_summary_part.done', { item_id: itemId, output_index, summary_index, part: { type: 'summary_text', text: para } });
    });
    if (t.reasoningText) {
      for (const delta of pieces(t.reasoningText, size)) emit('response.reasoning_text.delta', { item_id: itemId, output_index, content_index: 0, delta });
      emit('response.reasoning_text.done', { item_id: itemId, output_index, content_index: 0, text: t.reasoningText });
    }
    const item: Record<string, unknown> = {
      id: itemId,
      type: 'reasoning',
      summary: (t.reasoningSummary ?? []).map((text) => ({ type: 'summary_text', text })),
    };
    if (t.reasoningText) item.content = [{ type: 'reasoning_text', text: t.reasoningText }];
    if (t.encryptedReasoning) item.encrypted_content = t.encryptedReasoning;
    emit('response.output_item.done', { output_index, item });
    output.push(item);
    index++;
  }
  for (const w of t.webSearches ?? []) {
    const output_index = index++;
    const itemId = w.id === undefined ? `ws_${output_index}` : w.id;
    const withId = (o: Record<string, unknown>): Record<string, unknown> => (itemId === null ? o : { id: itemId, ...o });
    emit('response.output_item.added', { output_index, item: withId({ type: 'web_search_call', status: 'in_progress' }) });
    for (const step of ['in_progress', 'searching', 'completed']) emit(`response.web_search_call.${step}`, { output_index, item_id: itemId ?? '' });
    const item = withId({ type: 'web_search_call', status: w.status ?? 'completed', ...(w.action ? { action: w.action } : {}) });
    emit('response.output_item.done', { output_index, item });
    output.push(item);
  }
  if (t.text !== undefined) {
    const itemId = `msg_${index}`;
    const output_index = index;
    emit('response.output_item.added', { output_index, item: { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
    emit('response.content_part.added', { item_id: itemId, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    for (const delta of pieces(t.text, size)) emit('response.output_text.delta', { item_id: itemId, output_index, content_index: 0, delta, logprobs: [] });
    emit('response.output_text.done', { item_id: itemId, output_index, content_index: 0, text: t.text, logprobs: [] });
    const part = { type: 'output_text', text: t.text, annotations: [], logprobs: [] };
    emit('response.content_part.done', { item_id: itemId, output_index, content_index: 0, part });
    const item = { id: itemId, type: 'message', role: 'assistant', status: 'completed', content: [part] };
    emit('response.output_item.done', { output_index, item });
    output.push(item);
    index++;
  }
  (t.toolCalls ?? []).forEach((c, n) => {
    const output_index = index++;
    const callId = c.callId ?? `call_${n}`;
    if (c.kind === 'custom') {
      const itemId = `ctc_${output_index}`;
      const input = c.input ?? '';
      emit('response.output_item.added', { output_index, item: { id: itemId, type: 'custom_tool_call', status: 'in_progress', call_id: callId, name: c.name, input: '' } });
      for (const delta of pieces(input, size * 4)) emit('response.custom_tool_call_input.delta', { item_id: itemId, output_index, delta });
      emit('response.custom_tool_call_input.done', { item_id: itemId, output_index, input });
      const item = { id: itemId, type: 'custom_tool_call', status: 'completed', call_id: callId, name: c.name, input };
      emit('response.output_item.done', { output_index, item });
      output.push(item);
    } else {
      const itemId = `fc_${output_index}`;
      const args = argsText(c);
      const ns = c.namespace === undefined ? {} : { namespace: c.namespace };
      emit('response.output_item.added', { output_index, item: { id: itemId, type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name: c.name, ...ns } });
      for (const delta of pieces(args, size * 2)) emit('response.function_call_arguments.delta', { item_id: itemId, output_index, delta });
      emit('response.function_call_arguments.done', { item_id: itemId, output_index, arguments: args });
      const item = { id: itemId, type: 'function_call', status: 'completed', arguments: args, call_id: callId, name: c.name, ...ns };
      emit('response.output_item.done', { output_index, item });
      output.push(item);
    }
  });
  const u = t.usage ?? {};
  const usage = {
    input_tokens: u.input ?? 10,
    input_tokens_details: { cached_tokens: u.cached ?? 0, ...(u.cacheWrite !== undefined ? { cache_write_tokens: u.cacheWrite } : {}) },
    output_tokens: u.output ?? 5,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: (u.input ?? 10) + (u.output ?? 5),
  };
  emit('response.completed', { response: { id, object: 'response', status: 'completed', output, usage, error: null, incomplete_details: null } });
  return events;
}

/** The SSE events of a scripted turn as a Chat Completions stream, in the given dialect (wire.md §4). */
export function chatEvents(t: ScriptedTurn, v: ChatVariant = t.chat ?? {}): string[] {
  const events: string[] = [];
  const id = t.responseId ?? 'chatcmpl-scripted';
  const nl = v.crlf ? '\r\n' : '\n';
  const send = (payload: string): void => {
    if (v.comments) events.push(`: keep-alive${nl}${nl}`);
    events.push(`data: ${payload}${nl}${nl}`);
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): void => {
    send(JSON.stringify({ id, object: 'chat.completion.chunk', created: 1767000000, model: 'scripted-model', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra }));
  };
  const size = t.deltaSize ?? 4;
  chunk({ role: 'assistant', content: '' });
  const reasoning = [...(t.reasoningSummary ?? []), ...(t.reasoningText ? [t.reasoningText] : [])].join('');
  const field = v.reasoningField ?? 'reasoning_content';
  if (reasoning !== '') for (const piece of pieces(reasoning, size)) chunk({ [field]: piece });
  if (t.text !== undefined) for (const piece of pieces(t.text, size)) chunk({ content: piece });
  (t.toolCalls ?? []).forEach((c, n) => {
    const args = c.kind === 'custom' ? JSON.stringify({ input: c.input ?? '' }) : argsText(c);
    const index = v.sameIndex ? 0 : n + (v.indexBase ?? 0);
    const callId = c.callId ?? `call_${n}`;
    const header = (fnArgs: unknown): Record<string, unknown> => {
      const tc: Record<string, unknown> = {};
      if (!v.omitIndex) tc.index = index;
      if (!v.omitIds) tc.id = callId;
      if (!v.omitType) tc.type = 'function';
      tc.function = { name: c.name, arguments: fnArgs };
      return tc;
    };
    if (v.wholeArguments || v.objectArguments) {
      chunk({ tool_calls: [header(v.objectArguments ? JSON.parse(args) : args)] });
      return;
    }
    chunk({ tool_calls: [header('')] });
    for (const piece of pieces(args, size * 2)) {
      const tc: Record<string, unknown> = { function: { arguments: piece } };
      if (!v.omitIndex) tc.index = index;
      // Same-index servers repeat the id so fragments can be told apart.
      if (v.sameIndex && !v.omitIds) tc.id = callId;
      chunk({ tool_calls: [tc] });
    }
  });
  const u = t.usage ?? {};
  const usage = {
    prompt_tokens: u.input ?? 10,
    completion_tokens: u.output ?? 5,
    total_tokens: (u.input ?? 10) + (u.output ?? 5),
    prompt_tokens_details: { cached_tokens: u.cached ?? 0, ...(u.cacheWrite !== undefined ? { cache_write_tokens: u.cacheWrite } : {}) },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
  };
  const finish = (t.toolCalls ?? []).length > 0 ? 'tool_calls' : 'stop';
  chunk({}, finish, v.usageOnFinishChunk && !v.noUsage ? { usage } : {});
  if (!v.noUsage && !v.usageOnFinishChunk) {
    send(JSON.stringify({ id, object: 'chat.completion.chunk', created: 1767000000, model: 'scripted-model', choices: [], usage }));
  }
  if (!v.noDone) send('[DONE]');
  return events;
}

const wireOf = (path: string): Wire | undefined =>
  path.endsWith('/responses') ? 'responses' : path.endsWith('/chat/completions') ? 'chat' : undefined;

const eventsFor = (wire: Wire, t: ScriptedTurn): string[] => (wire === 'responses' ? responsesEvents(t) : chatEvents(t));

/** The text of every user message in a request (Responses `input`, Chat `messages`). */
export function userTexts(request: RecordedRequest): string[] {
  const body = request.body ?? {};
  const items = (Array.isArray(body.input) ? body.input : Array.isArray(body.messages) ? body.messages : []) as unknown[];
  const out: string[] = [];
  for (const raw of items) {
    const item = raw as { role?: unknown; content?: unknown };
    if (item.role !== 'user') continue;
    if (typeof item.content === 'string') out.push(item.content);
    else if (Array.isArray(item.content)) for (const p of item.content as Array<{ text?: unknown }>) if (typeof p.text === 'string') out.push(p.text);
  }
  return out;
}

/** The tool outputs a request sends back, by call id (Responses `*_call_output` items, Chat `tool` messages). */
export function toolOutputs(request: RecordedRequest | undefined): Record<string, string> {
  const body = request?.body ?? {};
  const out: Record<string, string> = {};
  for (const item of (Array.isArray(body.input) ? body.input : []) as Array<Record<string, unknown>>) {
    if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
      out[String(item.call_id)] = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
    }
  }
  for (const m of (Array.isArray(body.messages) ? body.messages : []) as Array<Record<string, unknown>>) {
    if (m.role === 'tool') out[String(m.tool_call_id)] = typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
  }
  return out;
}

const routeTest = (match: RouteMatch): ((r: RecordedRequest) => boolean) =>
  typeof match === 'string' ? (r) => userTexts(r).some((t) => t.includes(match)) : match;

export async function startScriptedServer(): Promise<ScriptedServer> {
  const queue: Reply[] = [];
  const routes: Array<{ match: RouteMatch; test: (r: RecordedRequest) => boolean; queue: Reply[] }> = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let served: readonly string[] | null = DEFAULT_SERVED_MODELS;
  const getRoutes = new Map<string, StaticReply>();

  const sseHead = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(rawBody);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        body = undefined;
      }
      const wire = wireOf(url.pathname);
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        wire,
        query: Object.fromEntries(url.searchParams.entries()),
        headers: req.headers,
        body,
        rawBody,
        at: performance.now(),
      });
      const route = req.method === 'GET' ? getRoutes.get(url.pathname) : undefined;
      if (route?.hang) return;
      if (route) {
        const text = typeof route.body === 'string' ? route.body : JSON.stringify(route.body);
        res.writeHead(route.status ?? 200, { 'content-type': typeof route.body === 'string' ? 'text/plain' : 'application/json', ...route.headers });
        res.end(text);
        return;
      }
      if (req.method === 'GET' && url.pathname.endsWith('/models') && served !== null) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: served.map((id) => ({ id, object: 'model', created: 1767000000, owned_by: 'scripted' })) }));
        return;
      }
      if (wire === undefined || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${url.pathname}`, type: 'not_found_error', param: null, code: null } }));
        return;
      }
      const recorded = requests[requests.length - 1] as RecordedRequest;
      const next = (routes.find((r) => r.test(recorded))?.queue ?? queue).shift();
      if (next === undefined) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'scripted server: no reply queued for this request', type: 'invalid_request_error', param: null, code: null } }));
        return;
      }
      serve(next.type === 'dynamic' ? next.make(recorded) : next, wire, res);
    });
  });

  const serve = (r: Reply, wire: Wire, res: ServerResponse): void => {
    switch (r.type) {
      case 'turn': {
        sseHead(res);
        for (const e of eventsFor(wire, r.turn)) res.write(e);
        res.end();
        return;
      }
      case 'status': {
        const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? {});
        res.writeHead(r.status, { 'content-type': typeof r.body === 'string' ? 'text/plain' : 'application/json', ...r.headers });
        res.end(text);
        return;
      }
      case 'disconnect':
      case 'truncate':
      case 'stall': {
        sseHead(res);
        const events = eventsFor(wire, r.turn).slice(0, r.afterEvents);
        for (const e of events) res.write(e);
        if (r.type === 'truncate') res.end();
        else if (r.type === 'disconnect') setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      case 'trickle': {
        const timers: NodeJS.Timeout[] = [];
        res.on('close', () => timers.forEach((t) => clearTimeout(t)));
        const start = (): void => {
          sseHead(res);
          for (const e of eventsFor(wire, r.turn).slice(0, r.afterEvents)) res.write(e);
          timers.push(setInterval(() => res.write(r.chunk), r.everyMs));
        };
        if (r.headersAfterMs === undefined) start();
        else timers.push(setTimeout(start, r.headersAfterMs));
        return;
      }
      case 'hang':
      case 'dynamic':
        return;
      case 'raw': {
        res.writeHead(r.status ?? 200, { 'content-type': 'text/event-stream', ...r.headers });
        res.flushHeaders();
        const write = (i: number): void => {
          if (i >= r.chunks.length) {
            res.end();
            return;
          }
          res.write(r.chunks[i]);
          if (r.delayMs) setTimeout(() => write(i + 1), r.delayMs);
          else write(i + 1);
        };
        write(0);
        return;
      }
    }
  };

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    reply: (...replies) => void queue.push(...replies),
    route: (match, ...replies) => {
      const existing = routes.find((r) => r.match === match);
      if (existing) existing.queue.push(...replies);
      else routes.push({ match, test: routeTest(match), queue: [...replies] });
    },
    pending: () => queue.length + routes.reduce((n, r) => n + r.queue.length, 0),
    serveModels: (ids) => {
      served = ids;
    },
    serveGet: (path, reply) => {
      if (reply === null) getRoutes.delete(path);
      else getRoutes.set(path, reply);
    },
    reset: () => {
      served = DEFAULT_SERVED_MODELS;
      getRoutes.clear();
      routes.length = 0;
      queue.length = 0;
      requests.length = 0;
    },
    gaps: () => requests.slice(1).map((r, i) => r.at - (requests[i]?.at ?? r.at)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
