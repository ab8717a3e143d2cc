/**
 * Namespace tools over real HTTP: function tools naming a namespace go out as one Responses `namespace`
 * tool where the provider takes them (`supports_tool_namespaces`), as plain functions elsewhere and over
 * Chat Completions; a call's `namespace` is read from the stream and replayed only where it is understood.
 * Also the scripted server's routes, which the subagent tests build on.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveProvider } from '../../src/config/index.js';
import type { JsonObject, ResponseItem, ToolSpec } from '../../src/providers/index.js';
import { startScriptedServer, turn, userTexts, type ScriptedServer } from '../support/scripted-server.js';
import { collect, fastClient, makeProvider, only, request } from './helpers.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
});

const params: JsonObject = { type: 'object', properties: { target: { type: 'string' } }, required: ['target'], additionalProperties: false };
const ns = { name: 'multi_agent_v1', description: 'Helpers you can start and manage.' };
const tools: ToolSpec[] = [
  { type: 'function', name: 'shell', description: 'Run a command', parameters: { type: 'object', properties: {} } },
  { type: 'function', name: 'wait_agent', description: 'Wait', parameters: params, namespace: ns },
  { type: 'function', name: 'close_agent', description: 'Close', parameters: params, namespace: ns },
];
const history: ResponseItem[] = [
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
  { type: 'function_call', call_id: 'c1', name: 'close_agent', arguments: '{"target":"a"}', namespace: 'multi_agent_v1' },
  { type: 'function_call_output', call_id: 'c1', output: '{}' },
];

describe('namespace tools', () => {
  it('groups a namespace\'s functions (sorted by name) into one namespace tool and replays the call\'s namespace', async () => {
    server.reply(turn({ text: 'ok' }));
    await collect(fastClient(makeProvider(server.url, { supports_tool_namespaces: true })).stream(request({ input: history, tools })));
    const body = server.requests[0]?.body ?? {};
    expect(body.tools).toEqual([
      { type: 'function', name: 'shell', description: 'Run a command', strict: false, parameters: { type: 'object', properties: {} } },
      {
        type: 'namespace',
        name: 'multi_agent_v1',
        description: 'Helpers you can start and manage.',
        tools: [
          { type: 'function', name: 'close_agent', description: 'Close', strict: false, parameters: params },
          { type: 'function', name: 'wait_agent', description: 'Wait', strict: false, parameters: params },
        ],
      },
    ]);
    expect((body.input as unknown[])[1]).toEqual({ type: 'function_call', call_id: 'c1', name: 'close_agent', arguments: '{"target":"a"}', namespace: 'multi_agent_v1' });
  });

  it('sends plain functions, and calls without a namespace, to a Responses provider without namespaces', async () => {
    server.reply(turn({ text: 'ok' }));
    await collect(fastClient(makeProvider(server.url)).stream(request({ input: history, tools })));
    const body = server.requests[0]?.body ?? {};
    expect((body.tools as Array<{ type: string; name: string }>).map((t) => `${t.type}:${t.name}`)).toEqual(['function:shell', 'function:wait_agent', 'function:close_agent']);
    expect((body.input as unknown[])[1]).toEqual({ type: 'function_call', call_id: 'c1', name: 'close_agent', arguments: '{"target":"a"}' });
  });

  it('sends plain functions over Chat Completions', async () => {
    server.reply(turn({ text: 'ok' }));
    await collect(fastClient(makeProvider(server.url, { wire_api: 'chat', supports_tool_namespaces: true })).stream(request({ input: history, tools })));
    const body = server.requests[0]?.body ?? {};
    expect((body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).toEqual(['shell', 'wait_agent', 'close_agent']);
    expect(JSON.stringify(body)).not.toContain('namespace');
  });

  it('reads the namespace of a streamed function call', async () => {
    server.reply(turn({ toolCalls: [{ name: 'wait_agent', arguments: { target: 'x' }, callId: 'c9', namespace: 'multi_agent_v1' }] }));
    const events = await collect(fastClient(makeProvider(server.url, { supports_tool_namespaces: true })).stream(request({ tools })));
    const done = only(events, 'completed')[0];
    expect(done?.items).toEqual([{ type: 'function_call', id: 'fc_0', call_id: 'c9', name: 'wait_agent', arguments: '{"target":"x"}', namespace: 'multi_agent_v1' }]);
  });

  it('is on for the built-in openai provider only', () => {
    const loaded = { config: { model_providers: { gw: { base_url: 'http://x/v1' } } } } as unknown as Parameters<typeof resolveProvider>[0];
    expect(resolveProvider(loaded, {}, 'openai').supports_tool_namespaces).toBe(true);
    expect(resolveProvider(loaded, {}, 'gw').supports_tool_namespaces).toBe(false);
  });
});

describe('scripted server routes', () => {
  it('serves each route its own replies, in its own order, by what a user message says', async () => {
    server.reply(turn({ text: 'main 1' }), turn({ text: 'main 2' }));
    server.route('CHILD', turn({ text: 'child 1' }), turn({ text: 'child 2' }));
    const client = fastClient(makeProvider(server.url));
    const say = (text: string): ResponseItem[] => [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }];
    const answer = async (text: string): Promise<string> => {
      const events = await collect(client.stream(request({ input: say(text) })));
      return only(events, 'text_delta').map((e) => e.delta).join('');
    };
    expect(await answer('a CHILD task')).toBe('child 1');
    expect(await answer('hello')).toBe('main 1');
    // Text outside user messages (a tool call's arguments) does not pick the route.
    const mention: ResponseItem[] = [
      ...say('hello'),
      { type: 'function_call', call_id: 'c', name: 'spawn_agent', arguments: '{"message":"CHILD"}' },
      { type: 'function_call_output', call_id: 'c', output: 'ok' },
    ];
    const events = await collect(client.stream(request({ input: mention })));
    expect(only(events, 'text_delta').map((e) => e.delta).join('')).toBe('main 2');
    expect(await answer('CHILD again')).toBe('child 2');
    expect(server.pending()).toBe(0);
    expect(userTexts(server.requests[0] as (typeof server.requests)[number])).toEqual(['a CHILD task']);
  });
});
