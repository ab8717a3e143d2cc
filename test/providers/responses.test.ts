/** The Responses client over real HTTP against the scripted server: normalized events and request bodies. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { collectTurn, type ResponseItem } from '../../src/providers/index.js';
import { startScriptedServer, turn, type ScriptedServer } from '../support/scripted-server.js';
import { collect, fastClient, last, lintResponsesBody, makeProvider, only, REASONING_FACTS, request } from './helpers.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
});

const tools = [
  {
    type: 'function' as const,
    name: 'shell',
    description: 'Run a command',
    parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'], additionalProperties: false },
  },
  { type: 'custom' as const, name: 'apply_patch', description: 'Apply a patch', format: { type: 'grammar' as const, syntax: 'lark' as const, definition: 'start: "*** Begin Patch"' } },
];

describe('Responses streaming', () => {
  it('streams reasoning summary and text, then completes with replayable items and usage', async () => {
    server.reply(turn({ reasoningSummary: ['**Thinking**', 'more'], encryptedReasoning: 'gAAAA-final', text: 'Hi there.', usage: { input: 120, cached: 20, output: 40, reasoning: 28 } }));
    const events = await collect(fastClient(makeProvider(server.url)).stream(request()));
    expect(events[0]).toEqual({ type: 'started', responseId: 'resp_scripted', model: 'scripted-model' });
    const summary = only(events, 'reasoning_summary_delta');
    expect(summary.filter((e) => e.summaryIndex === 0).map((e) => e.delta).join('')).toBe('**Thinking**');
    expect(summary.filter((e) => e.summaryIndex === 1).map((e) => e.delta).join('')).toBe('more');
    expect(only(events, 'text_delta').map((e) => e.delta).join('')).toBe('Hi there.');
    const done = last(events);
    expect(done.type).toBe('completed');
    if (done.type !== 'completed') return;
    expect(done.stopReason).toBe('stop');
    expect(done.usage).toEqual({ inputTokens: 120, cachedInputTokens: 20, cacheWriteInputTokens: 0, outputTokens: 40, reasoningTokens: 28, totalTokens: 160 });
    expect(done.items).toEqual([
      { type: 'reasoning', id: 'rs_0', summary: [{ type: 'summary_text', text: '**Thinking**' }, { type: 'summary_text', text: 'more' }], encrypted_content: 'gAAAA-final' },
      { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Hi there.' }] },
    ]);
    expect(only(events, 'item_done').map((e) => e.item)).toEqual(done.items);
  });

  it('streams raw reasoning text', async () => {
    server.reply(turn({ reasoningText: 'let me think', text: 'ok' }));
    const events = await collect(fastClient(makeProvider(server.url)).stream(request()));
    expect(only(events, 'reasoning_delta').map((e) => e.delta).join('')).toBe('let me think');
    const done = last(events);
    expect(done.type === 'completed' && done.items[0]).toMatchObject({ type: 'reasoning', content: [{ type: 'reasoning_text', text: 'let me think' }] });
  });

  it('streams a function call, a custom tool call and parallel calls with their final arguments', async () => {
    server.reply(
      turn({
        toolCalls: [
          { name: 'shell', arguments: { cmd: 'ls -la' }, callId: 'call_A' },
          { name: 'shell', arguments: { cmd: 'pwd' }, callId: 'call_B' },
          { name: 'apply_patch', kind: 'custom', input: '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch', callId: 'call_C' },
        ],
      }),
    );
    const events = await collect(fastClient(makeProvider(server.url)).stream(request({ tools })));
    expect(only(events, 'tool_call_started').map((e) => [e.callId, e.name, e.kind])).toEqual([
      ['call_A', 'shell', 'function'],
      ['call_B', 'shell', 'function'],
      ['call_C', 'apply_patch', 'custom'],
    ]);
    const started = only(events, 'tool_call_started');
    const deltas = (itemId: string): string => only(events, 'tool_call_delta').filter((d) => d.itemId === itemId).map((d) => d.delta).join('');
    expect(deltas(started[0]?.itemId ?? '')).toBe('{"cmd":"ls -la"}');
    expect(deltas(started[2]?.itemId ?? '')).toContain('*** Add File: a.txt');
    const done = last(events);
    if (done.type !== 'completed') throw new Error(`expected completed, got ${done.type}`);
    expect(done.stopReason).toBe('tool_calls');
    expect(done.items).toEqual([
      { type: 'function_call', id: 'fc_0', call_id: 'call_A', name: 'shell', arguments: '{"cmd":"ls -la"}' },
      { type: 'function_call', id: 'fc_1', call_id: 'call_B', name: 'shell', arguments: '{"cmd":"pwd"}' },
      { type: 'custom_tool_call', id: 'ctc_2', call_id: 'call_C', name: 'apply_patch', input: '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch' },
    ]);
  });

  it('sends the Codex request shape for a reasoning model, which lints against the OpenAPI spec', async () => {
    server.reply(turn({ text: 'ok' }));
    const history: ResponseItem[] = [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'permissions' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' }] },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 's' }], encrypted_content: 'enc' },
      { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
      { type: 'function_call', id: 'fc_1', call_id: 'call_A', name: 'shell', arguments: '{"cmd":"ls"}' },
      { type: 'function_call_output', call_id: 'call_A', output: 'a.ts\n' },
      { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_B', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
      { type: 'custom_tool_call_output', call_id: 'call_B', output: 'Success.' },
    ];
    const result = await collectTurn(
      fastClient(makeProvider(server.url)).stream(
        request({
          model: { requested: 'gpt-5.5', facts: REASONING_FACTS },
          instructions: 'You are a coding agent.',
          input: history,
          tools,
          reasoningEffort: 'high',
          outputSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false },
          threadId: 'thread-xyz',
        }),
      ),
    );
    expect(result.items).toHaveLength(1);
    const body = server.requests[0]?.body;
    expect(body).toEqual({
      model: 'gpt-5.5',
      instructions: 'You are a coding agent.',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'permissions' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' }] },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 's' }], encrypted_content: 'enc' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
        { type: 'function_call', call_id: 'call_A', name: 'shell', arguments: '{"cmd":"ls"}' },
        { type: 'function_call_output', call_id: 'call_A', output: 'a.ts\n' },
        { type: 'custom_tool_call', call_id: 'call_B', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
        { type: 'custom_tool_call_output', call_id: 'call_B', output: 'Success.' },
      ],
      tools: [
        { type: 'function', name: 'shell', description: 'Run a command', strict: false, parameters: tools[0]?.type === 'function' ? tools[0].parameters : {} },
        { type: 'custom', name: 'apply_patch', description: 'Apply a patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch"' } },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      reasoning: { effort: 'high', summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'thread-xyz',
      text: {
        verbosity: 'low',
        format: { type: 'json_schema', name: 'codex_output_schema', strict: true, schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false } },
      },
    });
    expect(lintResponsesBody(body)).toEqual([]);
  });

  it('omits reasoning, include and text for a model the catalog knows nothing about, unless an effort is configured', async () => {
    server.reply(turn({ text: 'ok' }), turn({ text: 'ok' }));
    await collectTurn(fastClient(makeProvider(server.url)).stream(request({ verbosity: 'high' })));
    const body = server.requests[0]?.body ?? {};
    expect(Object.keys(body)).toEqual(['model', 'input', 'tools', 'tool_choice', 'parallel_tool_calls', 'store', 'stream', 'prompt_cache_key']);
    expect(body.parallel_tool_calls).toBe(false);
    expect(lintResponsesBody(body)).toEqual([]);
    // The user's effort is sent as set (the catalog does not say the model refuses it); no summary.
    await collectTurn(fastClient(makeProvider(server.url)).stream(request({ reasoningEffort: 'high', verbosity: 'high' })));
    const withEffort = server.requests[1]?.body ?? {};
    expect(withEffort.reasoning).toEqual({ effort: 'high' });
    expect(withEffort.include).toEqual(['reasoning.encrypted_content']);
    expect(withEffort).not.toHaveProperty('text');
    expect(lintResponsesBody(withEffort)).toEqual([]);
  });

  it('sends the nearest listed effort at or below an unlisted one (never a dearer one), and no summary for "none"', async () => {
    server.reply(turn({ text: 'ok' }), turn({ text: 'ok' }), turn({ text: 'ok' }));
    const model = { requested: 'm', facts: REASONING_FACTS };
    for (const reasoningEffort of ['xhigh', 'ultra', 'none'] as const) {
      await collectTurn(fastClient(makeProvider(server.url)).stream(request({ model, reasoningEffort, reasoningSummary: 'none' })));
    }
    expect(server.requests.map((r) => r.body?.reasoning)).toEqual([{ effort: 'high' }, { effort: 'high' }, { effort: 'low' }]);
  });

  it('sends the effort of a model whose entry lists efforts but does not state summary support (Codex 0.171 entries)', async () => {
    server.reply(turn({ text: 'ok' }), turn({ text: 'ok' }));
    const sol = lookupModel(SHIPPED_CATALOG, 'gpt-6.2-sol');
    await collectTurn(fastClient(makeProvider(server.url)).stream(request({ model: sol })));
    await collectTurn(fastClient(makeProvider(server.url)).stream(request({ model: sol, reasoningEffort: 'ultra', reasoningSummary: 'detailed' })));
    expect(server.requests.map((r) => r.body?.reasoning)).toEqual([{ effort: 'low' }, { effort: 'ultra' }]);
  });

  it('the lint catches a malformed body (it is not a rubber stamp)', () => {
    expect(lintResponsesBody({ model: 'm', input: [{ type: 'function_call', name: 'x', arguments: '{}' }] })).not.toEqual([]);
    expect(lintResponsesBody({ model: 'm', input: 'hi', reasoning: { effort: 'ultra' } })).not.toEqual([]);
  });

  it('sends query params, static and env headers, the thread id and the bearer key; no key for keyless providers', async () => {
    server.reply(turn({ text: 'ok' }), turn({ text: 'ok' }));
    const provider = makeProvider(server.url, {
      env_key: 'SCRIPTED_KEY',
      query_params: { 'api-version': '2025-04-01-preview' },
      http_headers: { 'x-static': 'yes' },
      env_http_headers: { 'x-from-env': 'SCRIPTED_HEADER', 'x-unset': 'SCRIPTED_UNSET' },
    });
    await collectTurn(fastClient(provider, { SCRIPTED_KEY: 'sk-test-123456', SCRIPTED_HEADER: 'env-value' }).stream(request({ threadId: 'th-9' })));
    const r = server.requests[0];
    expect(r?.path).toBe('/v1/responses');
    expect(r?.query).toEqual({ 'api-version': '2025-04-01-preview' });
    expect(r?.headers.authorization).toBe('Bearer sk-test-123456');
    expect(r?.headers['x-static']).toBe('yes');
    expect(r?.headers['x-from-env']).toBe('env-value');
    expect(r?.headers['x-unset']).toBeUndefined();
    expect(r?.headers['session-id']).toBe('th-9');
    expect(r?.headers['thread-id']).toBe('th-9');
    expect(r?.headers['x-client-request-id']).toBe('th-9');
    expect(r?.headers.accept).toBe('text/event-stream');
    expect(r?.headers['user-agent']).toMatch(/^opencodex\//);

    await collectTurn(fastClient(makeProvider(server.url, { local: true })).stream(request()));
    expect(server.requests[1]?.headers.authorization).toBeUndefined();
  });

  it('reports a missing env_key before sending anything, naming the variable', async () => {
    const events = await collect(fastClient(makeProvider(server.url, { env_key: 'MISSING_KEY_VAR', env_key_instructions: 'get one at example.com' })).stream(request()));
    const ev = last(events);
    expect(ev.type).toBe('failed');
    if (ev.type !== 'failed') return;
    expect(ev.error.kind).toBe('auth');
    expect(ev.error.message).toContain('MISSING_KEY_VAR');
    expect(ev.error.hint).toBe('get one at example.com');
    expect(server.requests).toHaveLength(0);
  });

  it('tolerates Ollama-style streams: summary deltas without part events, done-only text, no [DONE], comments', async () => {
    const ev = (o: Record<string, unknown>): string => `event: ${String(o.type)}\ndata: ${JSON.stringify(o)}\n\n`;
    server.reply({
      type: 'raw',
      chunks: [
        ': ping\n\n',
        ev({ type: 'response.created', response: { id: 'resp_o', status: 'in_progress', output: [] } }),
        ev({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_o', output_index: 0, summary_index: 0, delta: 'plain thinking' }),
        ev({ type: 'response.output_item.done', output_index: 0, item: { id: 'rs_o', type: 'reasoning', summary: [{ type: 'summary_text', text: 'plain thinking' }], encrypted_content: 'plain thinking' } }),
        ev({ type: 'response.output_text.done', item_id: 'msg_o', output_index: 1, content_index: 0, text: 'whole text' }),
        ev({ type: 'response.web_search_call.searching', item_id: 'ws', output_index: 2 }),
        ev({ type: 'response.something_new', foo: 1 }),
        ev({ type: 'response.output_item.done', output_index: 1, item: { id: 'msg_o', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'whole text' }] } }),
        ev({ type: 'response.completed', response: { id: 'resp_o', status: 'completed', usage: { input_tokens: 3, output_tokens: 2 } } }),
      ],
    });
    const events = await collect(fastClient(makeProvider(server.url)).stream(request()));
    expect(only(events, 'reasoning_summary_delta').map((e) => e.delta)).toEqual(['plain thinking']);
    expect(only(events, 'text_delta').map((e) => e.delta)).toEqual(['whole text']);
    const done = last(events);
    expect(done.type === 'completed' && done.usage).toEqual({ inputTokens: 3, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 2, reasoningTokens: 0, totalTokens: 5 });
  });
});
