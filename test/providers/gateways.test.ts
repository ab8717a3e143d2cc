/**
 * Gateways that stream less than they finally send, over real HTTP against the scripted server: LiteLLM's
 * Responses→Chat bridge (an empty streamed message, the tool call only in `response.completed`'s
 * `output`), final lists with new ids, Chat chunks carrying a whole `message`, and untyped
 * `data: {"error": …}` frames. The stream shapes are written after the LiteLLM 1.81 measurement in issue
 * #17; no real gateway is contacted.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderEvent, ResponseItem } from '../../src/providers/index.js';
import { raw, startScriptedServer, turn, type ScriptedServer } from '../support/scripted-server.js';
import { collect, fastClient, last, makeProvider, only, request } from './helpers.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
});

type Json = Record<string, unknown>;
const ev = (o: Json): string => `event: ${String(o.type)}\ndata: ${JSON.stringify(o)}\n\n`;
const data = (o: Json): string => `data: ${JSON.stringify(o)}\n\n`;
const usage = { input_tokens: 7, output_tokens: 3, total_tokens: 10 };

const call = { type: 'function_call', id: 'call_lite', call_id: 'call_lite', name: 'shell', arguments: '{"cmd":"ls"}', status: 'completed' };
const emptyMessage = (id: string): Json => ({ type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: '', annotations: [] }] });
const textMessage = (id: string, text: string): Json => ({ type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });

/** A Responses stream: `streamed` items as added/done pairs (messages with their text deltas), then `response.completed` with `output`. */
function responsesStream(streamed: Json[], output: Json[] | undefined): string[] {
  const chunks = [ev({ type: 'response.created', response: { id: 'resp_gw', status: 'in_progress', output: [] } })];
  streamed.forEach((item, output_index) => {
    const added = item.type === 'message' ? { ...item, status: 'in_progress', content: [] } : item.type === 'function_call' ? { ...item, arguments: '' } : item;
    chunks.push(ev({ type: 'response.output_item.added', output_index, item: added }));
    if (item.type === 'message') {
      const text = String(((item.content as Json[])[0] as Json).text);
      if (text !== '') chunks.push(ev({ type: 'response.output_text.delta', item_id: item.id, output_index, content_index: 0, delta: text }));
      chunks.push(ev({ type: 'response.output_text.done', item_id: item.id, output_index, content_index: 0, text }));
    }
    chunks.push(ev({ type: 'response.output_item.done', output_index, item }));
  });
  chunks.push(ev({ type: 'response.completed', response: { id: 'resp_gw', status: 'completed', ...(output ? { output } : {}), usage } }));
  return chunks;
}

function completed(events: ProviderEvent[]): Extract<ProviderEvent, { type: 'completed' }> {
  const done = last(events);
  if (done.type !== 'completed') throw new Error(`expected completed, got ${done.type}${done.type === 'failed' ? `: ${done.error.message}` : ''}`);
  return done;
}

function failed(events: ProviderEvent[]) {
  const done = last(events);
  if (done.type !== 'failed') throw new Error(`expected failed, got ${done.type}`);
  return done.error;
}

const responses = () => fastClient(makeProvider(server.url));
const fc = (callId: string, args: string, id?: string): ResponseItem => ({ type: 'function_call', call_id: callId, name: 'shell', arguments: args, ...(id ? { id } : {}) });
const msg = (text: string, id?: string): ResponseItem => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }], ...(id ? { id } : {}) });

describe('Responses: the final output reconciled with the streamed items', () => {
  it('LiteLLM bridge: an empty streamed message, the call only in the final output: the call is used, the empty message dropped', async () => {
    server.reply(raw(responsesStream([emptyMessage('msg_lite')], [emptyMessage('msg_lite'), call])));
    const events = await collect(responses().stream(request()));
    const done = completed(events);
    expect(done.items).toEqual([fc('call_lite', '{"cmd":"ls"}', 'call_lite')]);
    expect(done.stopReason).toBe('tool_calls');
    // The call got its own item_done, as a streamed one would.
    expect(only(events, 'item_done').map((e) => e.item.type)).toEqual(['message', 'function_call']);
    expect(server.requests).toHaveLength(1);
  });

  it('LiteLLM bridge without the message in the final output', async () => {
    server.reply(raw(responsesStream([emptyMessage('msg_lite')], [call])));
    expect(completed(await collect(responses().stream(request()))).items).toEqual([fc('call_lite', '{"cmd":"ls"}', 'call_lite')]);
  });

  it('an empty streamed message is replaced by the final one with text, even under another id; nothing is duplicated', async () => {
    server.reply(raw(responsesStream([emptyMessage('msg_stream')], [textMessage('msg_final', 'Let me look.'), call])));
    const events = await collect(responses().stream(request()));
    expect(completed(events).items).toEqual([msg('Let me look.', 'msg_final'), fc('call_lite', '{"cmd":"ls"}', 'call_lite')]);
  });

  it('a final list that repeats the streamed items under new ids adds nothing (matched by text and call_id)', async () => {
    const streamedCall = { ...call, id: 'fc_1' };
    server.reply(raw(responsesStream([textMessage('msg_1', 'Checking.'), streamedCall], [textMessage('msg_X', 'Checking.'), { ...call, id: 'fc_X' }])));
    const done = completed(await collect(responses().stream(request())));
    expect(done.items).toEqual([msg('Checking.', 'msg_1'), fc('call_lite', '{"cmd":"ls"}', 'fc_1')]);
  });

  it('a streamed call with empty arguments takes the final arguments (same call_id)', async () => {
    server.reply(raw(responsesStream([{ ...call, arguments: '' }], [call])));
    expect(completed(await collect(responses().stream(request()))).items).toEqual([fc('call_lite', '{"cmd":"ls"}', 'call_lite')]);
  });

  it('items only streamed keep their place; items only final go where the final list has them', async () => {
    const reasoning = { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }] };
    const second = { ...call, id: 'fc_2', call_id: 'call_2' };
    // Streamed: reasoning, message. Final: message, call, second call (no reasoning).
    server.reply(raw(responsesStream([reasoning, textMessage('msg_1', 'Two calls.')], [textMessage('msg_1', 'Two calls.'), call, second])));
    const done = completed(await collect(responses().stream(request())));
    expect(done.items.map((i) => (i.type === 'function_call' ? i.call_id : i.type))).toEqual(['reasoning', 'message', 'call_lite', 'call_2']);
  });

  it('an OpenAI-shaped stream (final output = streamed items) is unchanged', async () => {
    server.reply(turn({ reasoningSummary: ['hm'], text: 'Hi.', toolCalls: [{ name: 'shell', arguments: { cmd: 'ls' } }] }));
    const events = await collect(responses().stream(request()));
    const done = completed(events);
    expect(done.items.map((i) => i.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(only(events, 'item_done')).toHaveLength(3);
  });
});

describe('Chat: a whole `message` in a chunk completes what the deltas lacked', () => {
  const chat = () => fastClient(makeProvider(server.url, { wire_api: 'chat' }));
  const chunk = (choice: Json, extra: Json = {}): string => data({ id: 'chatcmpl-gw', object: 'chat.completion.chunk', choices: [{ index: 0, ...choice }], ...extra });
  const toolCall = { id: 'call_M', type: 'function', function: { name: 'shell', arguments: '{"cmd":"pwd"}' } };

  it('tool calls only in a final non-delta message (beside an empty delta) are used', async () => {
    server.reply(raw([chunk({ delta: { role: 'assistant', content: '' } }), chunk({ delta: {}, message: { role: 'assistant', content: null, tool_calls: [toolCall] }, finish_reason: 'tool_calls' }), 'data: [DONE]\n\n']));
    const events = await collect(chat().stream(request()));
    expect(completed(events).items).toEqual([fc('call_M', '{"cmd":"pwd"}')]);
    expect(only(events, 'tool_call_started').map((e) => e.callId)).toEqual(['call_M']);
  });

  it('a final chunk with only a whole message repeating the streamed text and calls adds nothing', async () => {
    server.reply(
      raw([
        chunk({ delta: { role: 'assistant', content: 'Look' } }),
        chunk({ delta: { content: 'ing.' } }),
        chunk({ delta: { tool_calls: [{ index: 0, id: 'call_M', type: 'function', function: { name: 'shell', arguments: '{"cmd":' } }] } }),
        chunk({ delta: { tool_calls: [{ index: 0, function: { arguments: '"pwd"}' } }] } }),
        chunk({ message: { role: 'assistant', content: 'Looking.', tool_calls: [toolCall] }, finish_reason: 'tool_calls' }),
        'data: [DONE]\n\n',
      ]),
    );
    const events = await collect(chat().stream(request()));
    expect(completed(events).items).toEqual([msg('Looking.'), fc('call_M', '{"cmd":"pwd"}')]);
    expect(only(events, 'text_delta').map((e) => e.delta).join('')).toBe('Looking.');
  });

  it('a streamed call without arguments takes them from the whole message; an id-less call matches by position', async () => {
    server.reply(
      raw([
        chunk({ delta: { tool_calls: [{ index: 0, id: 'call_M', type: 'function', function: { name: 'shell', arguments: '' } }] } }),
        chunk({ message: { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'shell', arguments: '{"cmd":"pwd"}' } }] }, finish_reason: 'tool_calls' }),
        'data: [DONE]\n\n',
      ]),
    );
    expect(completed(await collect(chat().stream(request()))).items).toEqual([fc('call_M', '{"cmd":"pwd"}')]);
  });

  it('a server streaming `message` chunks instead of deltas: pieces and repeats alike give the text once', async () => {
    server.reply(raw([chunk({ message: { role: 'assistant', content: 'Hel' } }), chunk({ message: { content: 'lo, ' } }), chunk({ message: { content: 'Hello, world' } }), chunk({ message: {}, finish_reason: 'stop' }), 'data: [DONE]\n\n']));
    const events = await collect(chat().stream(request()));
    expect(completed(events).items).toEqual([msg('Hello, world')]);
    expect(only(events, 'text_delta').map((e) => e.delta)).toEqual(['Hel', 'lo, ', 'world']);
  });

  it('a server answering with one whole-message chunk (text and reasoning) works', async () => {
    server.reply(raw([chunk({ message: { role: 'assistant', content: 'All done.', reasoning_content: 'easy' }, finish_reason: 'stop' }), 'data: [DONE]\n\n']));
    const done = completed(await collect(chat().stream(request())));
    expect(done.items).toEqual([{ type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'easy' }] }, msg('All done.')]);
  });
});

describe('untyped `data: {"error": …}` frames mid-stream', () => {
  const created = ev({ type: 'response.created', response: { id: 'r', status: 'in_progress', output: [] } });
  // LiteLLM's in-stream error: ProxyException.to_dict() with the HTTP status as a string `code`.
  const liteError = (code: string, type: string, message: string): string => data({ error: { message, type, param: null, code } });

  it('a client error (code "400") is final: one request, the server message once, no "stream closed"', async () => {
    server.reply(raw([created, liteError('400', 'invalid_request_error', 'litellm.BadRequestError: tools[0] is invalid')]));
    const events = await collect(responses().stream(request()));
    const err = failed(events);
    expect([err.kind, err.retryable]).toEqual(['bad_request', false]);
    expect(err.message).toBe('Scripted rejected the request (400 Bad Request): litellm.BadRequestError: tools[0] is invalid');
    expect(only(events, 'retrying')).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('a server error (code "500") is retried, and the answer after it is used', async () => {
    server.reply(raw([created, liteError('500', 'internal_server_error', 'litellm.InternalServerError: upstream died')]), turn({ text: 'recovered' }));
    const events = await collect(responses().stream(request()));
    expect(completed(events).items).toEqual([msg('recovered', 'msg_0')]);
    const retries = only(events, 'retrying');
    expect(retries.map((r) => r.reason)).toEqual(['Scripted reported an error in the stream (500 Internal Server Error): litellm.InternalServerError: upstream died']);
  });

  it.each([
    ['a 429 status as a number', { error: { message: 'slow down', code: 429 } }, 'rate_limit', true],
    ['a top-level status_code', { error: { message: 'gateway timeout' }, status_code: 504 }, 'server', true],
    ['a 401 status', { error: { message: 'bad key', code: '401' } }, 'auth', false],
    ['an error string', { error: 'something broke' }, 'server', true],
    ['vLLM object:error with a numeric 400 code', { object: 'error', message: 'bad schema', type: 'BadRequestError', code: 400 }, 'bad_request', false],
  ] as const)('Responses: %s', async (_label, frame, kind, retryable) => {
    server.reply(raw([created, data(frame)]), turn({ text: 'ok' }));
    // No stream retries: a retryable error is given up on at once, saying so.
    const events = await collect(fastClient(makeProvider(server.url, { stream_max_retries: 0 })).stream(request()));
    const err = failed(events);
    expect([err.kind, err.message.endsWith('(gave up after 1 request)')]).toEqual([kind, retryable]);
    expect(err.message).not.toContain('stream closed');
  });

  it('Chat: a LiteLLM error chunk with code "400" is final, with code "503" retried', async () => {
    const chat = () => fastClient(makeProvider(server.url, { wire_api: 'chat' }));
    const hi = data({ id: 'c', choices: [{ index: 0, delta: { content: 'Hi' } }] });
    server.reply(raw([hi, liteError('400', 'None', 'litellm.BadRequestError: bad')]));
    const err = failed(await collect(chat().stream(request())));
    expect([err.kind, err.retryable]).toEqual(['bad_request', false]);
    expect(server.requests).toHaveLength(1);
    server.reply(raw([hi, liteError('503', 'None', 'litellm.ServiceUnavailableError: busy')]), turn({ text: 'ok' }));
    const events = await collect(chat().stream(request()));
    expect(completed(events).items).toHaveLength(1);
    expect(only(events, 'retrying')).toHaveLength(1);
  });
});
