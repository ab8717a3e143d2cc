/** Hosted web search over real HTTP: the tool and replayed items in the request, web_search_call items in the stream. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildChatBody, buildResponsesBody, resolveDialect, type ResponseItem, type ToolSpec } from '../../src/providers/index.js';
import { startScriptedServer, turn, type ScriptedServer } from '../support/scripted-server.js';
import { collect, fastClient, last, lintResponsesBody, makeProvider, only, request } from './helpers.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
});

const shell: ToolSpec = {
  type: 'function',
  name: 'shell',
  description: 'Run a command',
  parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'], additionalProperties: false },
};
const search: ToolSpec = { type: 'web_search', external_web_access: false, search_content_types: ['text', 'image'] };
const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const history: ResponseItem[] = [
  user('weather?'),
  { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'weather sf', sources: [{ type: 'url', url: 'https://example.com' }] } },
  { type: 'web_search_call', id: 'ws_2', status: 'completed', action: { type: 'other' } },
  { type: 'web_search_call', id: 'ws_3', status: 'completed' },
  { type: 'web_search_call', id: 'ws_4', status: 'completed', action: { type: 'open_page', url: 'https://example.com/a' } },
  { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Sunny.' }] },
  user('thanks'),
];

describe('web search in Responses requests', () => {
  it('sends the hosted tool after the function tools and replays searches without ids, leaving out actions the API rejects', async () => {
    server.reply(turn({ text: 'ok' }));
    const provider = makeProvider(server.url, { supports_web_search: true });
    await collect(fastClient(provider).stream(request({ input: history, tools: [shell, search] })));
    const body = server.requests[0]?.body ?? {};
    expect(body.tools).toEqual([
      { type: 'function', name: 'shell', description: 'Run a command', strict: false, parameters: (shell as { parameters: unknown }).parameters },
      { type: 'web_search', external_web_access: false, search_content_types: ['text', 'image'] },
    ]);
    const searches = (body.input as Array<Record<string, unknown>>).filter((i) => i.type === 'web_search_call');
    expect(searches).toEqual([
      { type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'weather sf', sources: [{ type: 'url', url: 'https://example.com' }] } },
      { type: 'web_search_call', status: 'completed', action: { type: 'open_page', url: 'https://example.com/a' } },
    ]);
    expect(lintResponsesBody({ ...body, tools: [(body.tools as unknown[])[0], { type: 'web_search', external_web_access: false }] })).toEqual([]);
  });

  it('sends neither the tool nor search items to a provider without supports_web_search', async () => {
    server.reply(turn({ text: 'ok' }));
    await collect(fastClient(makeProvider(server.url)).stream(request({ input: history, tools: [shell, search] })));
    const body = server.requests[0]?.body ?? {};
    expect((body.tools as Array<{ type: string }>).map((t) => t.type)).toEqual(['function']);
    expect((body.input as Array<{ type: string }>).some((i) => i.type === 'web_search_call')).toBe(false);
  });

  it('never sends web search over Chat Completions, even when the provider has it', async () => {
    server.reply(turn({ text: 'ok' }));
    const provider = makeProvider(server.url, { wire_api: 'chat', supports_web_search: true });
    await collect(fastClient(provider).stream(request({ input: history, tools: [shell, search] })));
    const body = server.requests[0]?.body ?? {};
    expect((body.tools as Array<{ type: string; function: { name: string } }>).map((t) => t.function.name)).toEqual(['shell']);
    expect(body.messages).toEqual([
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: 'Sunny.' },
      { role: 'user', content: 'thanks' },
    ]);
    // Only a hosted tool: no `tools` key at all.
    const onlySearch = buildChatBody(request({ tools: [search] }), resolveDialect(provider));
    expect(onlySearch.tools).toBeUndefined();
    expect(onlySearch.tool_choice).toBeUndefined();
  });

  it('builds the body without the provider option as before (web search allowed)', () => {
    const body = buildResponsesBody(request({ tools: [{ type: 'web_search', external_web_access: true }] }));
    expect(body.tools).toEqual([{ type: 'web_search', external_web_access: true }]);
    expect(body.include).toBeUndefined();
  });
});

describe('web_search_call items in the Responses stream', () => {
  it('reports a search when it starts and when it is done, ignores its progress events, and keeps it for replay', async () => {
    server.reply(turn({ webSearches: [{ id: 'ws_abc', action: { type: 'search', query: 'vitest docs' } }], text: 'Found it.' }));
    const events = await collect(fastClient(makeProvider(server.url, { supports_web_search: true })).stream(request()));
    expect(events.map((e) => e.type).filter((t) => t !== 'text_delta')).toEqual(['started', 'web_search_started', 'item_done', 'item_done', 'completed']);
    expect(only(events, 'web_search_started')).toEqual([{ type: 'web_search_started', itemId: 'ws_abc', item: { type: 'web_search_call', id: 'ws_abc', status: 'in_progress' } }]);
    const done = last(events);
    if (done.type !== 'completed') throw new Error('not completed');
    expect(done.stopReason).toBe('stop');
    expect(done.items[0]).toEqual({ type: 'web_search_call', id: 'ws_abc', status: 'completed', action: { type: 'search', query: 'vitest docs' } });
    expect(done.items[1]?.type).toBe('message');
  });

  it('knows a search without an id by its output index, from start to done', async () => {
    server.reply(turn({ webSearches: [{ id: null, action: { type: 'find_in_page', url: 'https://x.test', pattern: 'foo' } }], text: 'ok' }));
    const events = await collect(fastClient(makeProvider(server.url, { supports_web_search: true })).stream(request()));
    expect(only(events, 'web_search_started')[0]?.itemId).toBe('out_0');
    const doneItems = only(events, 'item_done').map((e) => e.item);
    expect(doneItems[0]).toEqual({ type: 'web_search_call', id: 'out_0', status: 'completed', action: { type: 'find_in_page', url: 'https://x.test', pattern: 'foo' } });
  });
});
