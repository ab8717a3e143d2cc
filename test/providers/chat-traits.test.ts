/** Reading a Chat server's dialect from its stream, and the settings that fit it (what `opencodex doctor` reports). */
import { describe, expect, it } from 'vitest';
import { adviceForRejected, chatSettingAdvice, chatTraits, DIALECT_PRESETS, resolveDialect, type ChatDialect } from '../../src/providers/index.js';
import type { ProviderInfo } from '../../src/config/index.js';
import { chatEvents, type ChatVariant, type ScriptedTurn } from '../support/scripted-server.js';

/** The `data:` payloads of a scripted Chat stream. */
const payloads = (t: ScriptedTurn, v: ChatVariant = {}): string[] =>
  chatEvents(t, v)
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6).trim());

const call: ScriptedTurn = { reasoningText: 'let me think', toolCalls: [{ name: 'doctor_echo', arguments: { word: 'ok' } }] };
const dialect = (name: keyof typeof DIALECT_PRESETS): ChatDialect => ({ name, ...DIALECT_PRESETS[name] });

describe('chatTraits', () => {
  it('OpenAI style: streamed arguments with ids, reasoning_content, a separate usage chunk, [DONE]', () => {
    expect(chatTraits(payloads(call))).toEqual({ toolCalls: 1, argumentFragments: 2, toolCallIds: true, reasoningField: 'reasoning_content', usage: 'separate', done: true });
  });

  it('Ollama style: whole arguments without ids, `reasoning`, no usage', () => {
    expect(chatTraits(payloads(call, { wholeArguments: true, omitIds: true, reasoningField: 'reasoning', noUsage: true }))).toEqual({
      toolCalls: 1,
      argumentFragments: 1,
      toolCallIds: false,
      reasoningField: 'reasoning',
      usage: null,
      done: true,
    });
  });

  it('usage on the finish chunk, object arguments, same-index calls told apart by id, no [DONE]', () => {
    const two: ScriptedTurn = { toolCalls: [{ name: 'a', arguments: { x: 1 }, callId: 'c1' }, { name: 'b', arguments: { y: 2 }, callId: 'c2' }] };
    expect(chatTraits(payloads(two, { usageOnFinishChunk: true, objectArguments: true, noDone: true }))).toMatchObject({ toolCalls: 2, argumentFragments: 1, toolCallIds: true, usage: 'finish', done: false });
    expect(chatTraits(payloads({ text: 'just text' }))).toMatchObject({ toolCalls: 0, argumentFragments: null, toolCallIds: null, reasoningField: null });
  });
});

describe('chatSettingAdvice', () => {
  it('suggests the reasoning field the server uses when the dialect echoes another', () => {
    const ollamaLike = chatTraits(payloads(call, { reasoningField: 'reasoning' }));
    expect(chatSettingAdvice(ollamaLike, dialect('generic'))).toEqual([{ key: 'chat_reasoning_echo', value: 'reasoning', why: expect.stringContaining('`reasoning`') }]);
    expect(chatSettingAdvice(ollamaLike, dialect('ollama'))).toEqual([]);
    expect(chatSettingAdvice(ollamaLike, dialect('openai'))).toEqual([]);
    const provider = { id: 'x', wire_api: 'chat', builtin: false, chat_reasoning_echo: 'reasoning' } as ProviderInfo;
    expect(chatSettingAdvice(ollamaLike, resolveDialect(provider))).toEqual([]);
  });

  it('maps a rejected parameter to the setting that stops sending it', () => {
    expect(adviceForRejected('Unrecognized request argument supplied: stream_options')).toMatchObject({ key: 'chat_stream_usage', value: false });
    expect(adviceForRejected("tool_choice is not supported")).toMatchObject({ key: 'chat_tool_choice', value: false });
    expect(adviceForRejected('Extra inputs are not permitted: parallel_tool_calls')).toMatchObject({ key: 'chat_parallel_tool_calls', value: false });
    expect(adviceForRejected("Unexpected role 'developer'")).toMatchObject({ key: 'chat_instructions_role', value: 'system' });
    expect(adviceForRejected('model not found')).toBeNull();
  });
});
