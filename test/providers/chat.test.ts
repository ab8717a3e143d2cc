/** The Chat Completions client over real HTTP: dialect variants of the stream, and request bodies per dialect. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectTurn, resolveDialect, type ResponseItem, type ToolSpec } from '../../src/providers/index.js';
import { raw, startScriptedServer, turn, type ChatVariant, type ScriptedServer } from '../support/scripted-server.js';
import { collect, fastClient, last, makeProvider, only, REASONING_FACTS, request } from './helpers.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
});

const chat = (extra: Parameters<typeof makeProvider>[1] = {}) => makeProvider(server.url, { wire_api: 'chat', ...extra });

const tools: ToolSpec[] = [
  { type: 'function', name: 'shell', description: 'Run a command', parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] } },
  { type: 'custom', name: 'apply_patch', description: 'Apply a patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch' } },
];

const calls = [
  { name: 'shell', arguments: { cmd: 'ls -la' }, callId: 'call_A' },
  { name: 'shell', arguments: { cmd: 'cat "a b.txt"' }, callId: 'call_B' },
];

describe('Chat Completions streaming', () => {
  it('streams text and reports usage from the usage chunk', async () => {
    server.reply(turn({ text: 'Hello from chat.', usage: { input: 25, cached: 7, output: 9, reasoning: 3 } }));
    const events = await collect(fastClient(chat()).stream(request()));
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(only(events, 'text_delta').map((e) => e.delta).join('')).toBe('Hello from chat.');
    const done = last(events);
    if (done.type !== 'completed') throw new Error(done.type);
    expect(done.items).toEqual([{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello from chat.' }] }]);
    expect(done.usage).toEqual({ inputTokens: 25, cachedInputTokens: 7, cacheWriteInputTokens: 0, outputTokens: 9, reasoningTokens: 3, totalTokens: 34 });
    expect(done.stopReason).toBe('stop');
  });

  it.each<[string, ChatVariant]>([
    ['reasoning_content', { reasoningField: 'reasoning_content' }],
    ['reasoning (Ollama, vLLM, OpenRouter)', { reasoningField: 'reasoning' }],
  ])('reads reasoning from %s', async (_label, variant) => {
    server.reply(turn({ reasoningText: 'thinking hard', text: 'answer', chat: variant }));
    const events = await collect(fastClient(chat()).stream(request()));
    expect(only(events, 'reasoning_delta').map((e) => e.delta).join('')).toBe('thinking hard');
    const done = last(events);
    expect(done.type === 'completed' && done.items[0]).toEqual({ type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'thinking hard' }] });
  });

  const variants: Array<[string, ChatVariant]> = [
    ['incremental (OpenAI)', {}],
    ['whole arguments in one fragment (Ollama, Groq)', { wholeArguments: true }],
    ['no type on fragments (vLLM)', { omitType: true }],
    ['indices starting at 1 (proxies)', { indexBase: 1 }],
    ['every call at index 0 with distinct ids', { sameIndex: true }],
    ['no index field', { omitIndex: true, wholeArguments: true }],
    ['arguments as a JSON object', { objectArguments: true }],
    ['usage on the finish chunk, no [DONE]', { usageOnFinishChunk: true, noDone: true }],
    ['keep-alive comments and CRLF (OpenRouter)', { comments: true, crlf: true }],
  ];
  it.each(variants)('accumulates two parallel tool calls: %s', async (_label, variant) => {
    server.reply(turn({ text: 'Let me look.', toolCalls: calls, chat: variant }));
    const events = await collect(fastClient(chat()).stream(request({ tools })));
    const done = last(events);
    if (done.type !== 'completed') throw new Error(`${done.type}: ${done.type === 'failed' ? done.error.message : ''}`);
    expect(done.stopReason).toBe('tool_calls');
    expect(done.items).toEqual([
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me look.' }] },
      { type: 'function_call', call_id: 'call_A', name: 'shell', arguments: '{"cmd":"ls -la"}' },
      { type: 'function_call', call_id: 'call_B', name: 'shell', arguments: '{"cmd":"cat \\"a b.txt\\""}' },
    ]);
    expect(only(events, 'tool_call_started').map((e) => e.name)).toEqual(['shell', 'shell']);
    const started = only(events, 'tool_call_started');
    const args = only(events, 'tool_call_delta').filter((d) => d.itemId === started[1]?.itemId).map((d) => d.delta).join('');
    expect(args).toBe('{"cmd":"cat \\"a b.txt\\""}');
  });

  it('makes up distinct call ids when the server sends none, and "{}" for empty arguments', async () => {
    server.reply(turn({ toolCalls: [{ name: 'shell', arguments: '' }, { name: 'shell', arguments: '{"cmd":"x"}' }], chat: { omitIds: true } }));
    const result = await collectTurn(fastClient(chat()).stream(request({ tools })));
    const [a, b] = result.items;
    expect(a).toMatchObject({ type: 'function_call', name: 'shell', arguments: '{}' });
    expect(b).toMatchObject({ type: 'function_call', name: 'shell', arguments: '{"cmd":"x"}' });
    const ids = result.items.map((i) => (i.type === 'function_call' ? i.call_id : ''));
    expect(ids[0]).toMatch(/^call_[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(2);
  });

  it('offers a freeform tool as a one-string function and turns its call back into a custom tool call', async () => {
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch';
    server.reply(turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: patch, callId: 'call_P' }] }));
    const events = await collect(fastClient(chat()).stream(request({ tools })));
    const done = last(events);
    expect(done.type === 'completed' && done.items).toEqual([{ type: 'custom_tool_call', call_id: 'call_P', name: 'apply_patch', input: patch }]);
    expect(only(events, 'tool_call_started')[0]).toMatchObject({ name: 'apply_patch', kind: 'custom' });
    const sent = server.requests[0]?.body?.tools as unknown[];
    expect(sent[1]).toEqual({
      type: 'function',
      function: {
        name: 'apply_patch',
        description: 'Apply a patch',
        parameters: {
          type: 'object',
          properties: { input: { type: 'string', description: 'The raw input for this tool. It must follow this lark grammar:\nstart: begin_patch' } },
          required: ['input'],
          additionalProperties: false,
        },
      },
    });
    expect(sent[0]).toEqual({ type: 'function', function: { name: 'shell', description: 'Run a command', parameters: tools[0]?.type === 'function' ? tools[0].parameters : {} } });
  });

  it('fails (without retrying) when the output hits the token limit', async () => {
    server.reply(raw([`data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content: 'trunc' }, finish_reason: 'length' }] })}\n\n`, 'data: [DONE]\n\n']));
    const ev = last(await collect(fastClient(chat()).stream(request())));
    expect(ev.type === 'failed' && [ev.error.kind, ev.error.message]).toEqual(['incomplete', 'Incomplete response returned, reason: max_output_tokens']);
    expect(server.requests).toHaveLength(1);
  });
});

const history: ResponseItem[] = [
  { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'sandbox: read-only' }] },
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'what is this?' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA' }] },
  { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'I should list files.' }] },
  { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
  { type: 'function_call', call_id: 'call_A', name: 'shell', arguments: '{"cmd":"ls"}' },
  { type: 'custom_tool_call', call_id: 'call_P', name: 'apply_patch', input: 'PATCH' },
  { type: 'function_call_output', call_id: 'call_A', output: 'a.ts' },
  { type: 'custom_tool_call_output', call_id: 'call_P', output: [{ type: 'input_text', text: 'Success.' }] },
  { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Done.' }] },
  { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Done.' }] },
];

describe('Chat Completions requests', () => {
  it('builds messages from the history: grouped tool calls, tool results, images, echoed reasoning (generic dialect)', async () => {
    server.reply(turn({ text: 'ok' }));
    await collectTurn(fastClient(chat()).stream(request({ instructions: 'You are a coding agent.', input: history, tools })));
    const body = server.requests[0]?.body ?? {};
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are a coding agent.' },
      { role: 'system', content: 'sandbox: read-only' },
      { role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_A', type: 'function', function: { name: 'shell', arguments: '{"cmd":"ls"}' } },
          { id: 'call_P', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"PATCH"}' } },
        ],
        reasoning_content: 'I should list files.',
      },
      { role: 'tool', tool_call_id: 'call_A', content: 'a.ts' },
      { role: 'tool', tool_call_id: 'call_P', content: 'Success.' },
      { role: 'assistant', content: 'Done.' },
    ]);
    expect(body).toMatchObject({ model: 'test-model', stream: true, stream_options: { include_usage: true }, tool_choice: 'auto', parallel_tool_calls: false });
    expect(body).not.toHaveProperty('reasoning_effort');
  });

  it('openai dialect: developer role, max_completion_tokens, reasoning_effort, no reasoning echo, prompt_cache_key', async () => {
    server.reply(turn({ text: 'ok' }));
    const provider = chat({ dialect: 'openai' });
    await collectTurn(
      fastClient(provider).stream(request({ model: { requested: 'gpt-5.5', facts: REASONING_FACTS }, instructions: 'base', input: history, tools, maxOutputTokens: 999, reasoningEffort: 'high' })),
    );
    const body = server.requests[0]?.body ?? {};
    const messages = body.messages as Array<Record<string, unknown>>;
    expect(messages[0]).toEqual({ role: 'developer', content: 'base' });
    expect(messages.find((m) => m.tool_calls)).not.toHaveProperty('reasoning_content');
    expect(body).toMatchObject({ max_completion_tokens: 999, reasoning_effort: 'high', parallel_tool_calls: true, prompt_cache_key: 'thread-1', verbosity: 'low' });
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('ollama dialect: no tool_choice or parallel_tool_calls, max_tokens, reasoning echoed as `reasoning`', async () => {
    server.reply(turn({ text: 'ok' }));
    const provider = makeProvider(server.url, { id: 'ollama', builtin: true, local: true, wire_api: 'chat' });
    expect(resolveDialect(provider).name).toBe('ollama');
    await collectTurn(fastClient(provider).stream(request({ input: history, tools, maxOutputTokens: 100 })));
    const body = server.requests[0]?.body ?? {};
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
    expect(body.max_tokens).toBe(100);
    expect((body.messages as Array<Record<string, unknown>>).find((m) => m.tool_calls)).toMatchObject({ reasoning: 'I should list files.' });
  });

  it('sends the configured effort for a model outside the catalog, and the nearest listed one at or below an unlisted one', async () => {
    server.reply(turn({ text: 'ok' }), turn({ text: 'ok' }), turn({ text: 'ok' }));
    const provider = chat({ dialect: 'openai' });
    await collectTurn(fastClient(provider).stream(request({ reasoningEffort: 'max' })));
    await collectTurn(fastClient(provider).stream(request({ model: { requested: 'gpt-5.5', facts: REASONING_FACTS }, reasoningEffort: 'minimal' })));
    await collectTurn(fastClient(provider).stream(request({ model: { requested: 'gpt-5.5', facts: REASONING_FACTS }, reasoningEffort: 'ultra' })));
    expect(server.requests.map((r) => r.body?.reasoning_effort)).toEqual(['max', 'low', 'high']);
  });

  it('openrouter dialect sends the effort as reasoning.effort; chat_* keys override a preset', async () => {
    server.reply(turn({ text: 'ok' }), turn({ text: 'ok' }));
    const facts = { requested: 'm', facts: REASONING_FACTS };
    await collectTurn(fastClient(chat({ dialect: 'openrouter' })).stream(request({ model: facts, reasoningEffort: 'low' })));
    expect(server.requests[0]?.body).toMatchObject({ reasoning: { effort: 'low' } });
    expect(server.requests[0]?.body).not.toHaveProperty('reasoning_effort');
    const custom = chat({ dialect: 'vllm', chat_instructions_role: 'developer', chat_stream_usage: false, chat_reasoning_effort: 'none' });
    await collectTurn(fastClient(custom).stream(request({ model: facts, instructions: 'x', reasoningEffort: 'low' })));
    const body = server.requests[1]?.body ?? {};
    expect((body.messages as unknown[])[0]).toEqual({ role: 'developer', content: 'x' });
    expect(body).not.toHaveProperty('stream_options');
    expect(body).not.toHaveProperty('reasoning_effort');
    expect(body).not.toHaveProperty('reasoning');
  });

  it('presets exist for every named dialect and are never chosen from the URL', () => {
    const p = chat({ base_url: 'http://localhost:11434/v1' });
    expect(resolveDialect(p).name).toBe('generic');
    for (const name of ['openai', 'generic', 'ollama', 'lmstudio', 'vllm', 'llamacpp', 'openrouter'] as const) {
      expect(resolveDialect(chat({ dialect: name })).name).toBe(name);
    }
  });
});
