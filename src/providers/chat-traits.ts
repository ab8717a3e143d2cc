/**
 * What a Chat Completions server's stream shows about its dialect (wire.md §4.5), read from the raw `data:`
 * payloads of one response: whether tool-call arguments arrive whole or in fragments, whether calls carry
 * ids, which field carries reasoning, and where (if anywhere) the usage comes. `opencodex doctor` turns
 * this into the provider settings that fit the server.
 */
import type { ChatDialect } from './dialect.js';
import { isRecord } from './wire.js';

export interface ChatTraits {
  /** Tool calls seen in the stream. */
  toolCalls: number;
  /** Argument fragments per call: 1 = whole in one chunk; null when no call came. */
  argumentFragments: number | null;
  /** Whether every call carried an `id` (null: no call). */
  toolCallIds: boolean | null;
  /** The field reasoning text came in, if any came. */
  reasoningField: 'reasoning_content' | 'reasoning' | null;
  /** `separate`: a chunk of its own (OpenAI's `include_usage`); `finish`: on the finish_reason chunk; null: none. */
  usage: 'separate' | 'finish' | null;
  /** The stream ended with `data: [DONE]`. */
  done: boolean;
}

/** Reads the traits from a stream's event payloads, in order. */
export function chatTraits(payloads: readonly string[]): ChatTraits {
  const fragments = new Map<string, number>();
  const withId = new Set<string>();
  let reasoningField: ChatTraits['reasoningField'] = null;
  let usage: ChatTraits['usage'] = null;
  let done = false;
  for (const data of payloads) {
    if (data.trim() === '[DONE]') {
      done = true;
      continue;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      continue;
    }
    if (!isRecord(chunk)) continue;
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice: unknown = choices[0];
    if (isRecord(chunk.usage)) usage = choices.length === 0 ? 'separate' : 'finish';
    if (!isRecord(choice) || !isRecord(choice.delta)) continue;
    const delta = choice.delta;
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') reasoningField = 'reasoning_content';
    else if (typeof delta.reasoning === 'string' && delta.reasoning !== '') reasoningField ??= 'reasoning';
    if (!Array.isArray(delta.tool_calls)) continue;
    delta.tool_calls.forEach((tc: unknown, position: number) => {
      if (!isRecord(tc)) return;
      const key = typeof tc.index === 'number' ? `i${tc.index}` : typeof tc.id === 'string' ? `id${tc.id}` : `p${position}`;
      if (typeof tc.id === 'string' && tc.id !== '') withId.add(key);
      const fn = isRecord(tc.function) ? tc.function : {};
      const args = fn.arguments;
      const hasArgs = (typeof args === 'string' && args !== '') || isRecord(args);
      fragments.set(key, (fragments.get(key) ?? 0) + (hasArgs ? 1 : 0));
    });
  }
  const counts = [...fragments.values()];
  return {
    toolCalls: counts.length,
    argumentFragments: counts.length === 0 ? null : Math.max(...counts),
    toolCallIds: counts.length === 0 ? null : withId.size === counts.length,
    reasoningField,
    usage,
    done,
  };
}

/** A provider setting that fits what the server does better than the one in effect, and why. */
export interface ChatSettingAdvice {
  key: string;
  value: string | boolean;
  why: string;
}

/** The settings to change for a server with these traits, given the dialect in effect (empty: it fits). */
export function chatSettingAdvice(traits: ChatTraits, dialect: ChatDialect): ChatSettingAdvice[] {
  const advice: ChatSettingAdvice[] = [];
  const field = traits.reasoningField;
  if (field !== null && dialect.reasoningEcho !== 'none' && dialect.reasoningEcho !== field) {
    advice.push({ key: 'chat_reasoning_echo', value: field, why: `the server streams reasoning as \`${field}\`, so it reads it back from that field` });
  }
  return advice;
}

/** A 400 naming a request parameter the server does not take: the setting that stops opencodex sending it. */
export function adviceForRejected(message: string): ChatSettingAdvice | null {
  const m = message.toLowerCase();
  if (m.includes('stream_options') || m.includes('include_usage')) return { key: 'chat_stream_usage', value: false, why: 'the server rejects stream_options' };
  if (m.includes('parallel_tool_calls')) return { key: 'chat_parallel_tool_calls', value: false, why: 'the server rejects parallel_tool_calls' };
  if (m.includes('tool_choice')) return { key: 'chat_tool_choice', value: false, why: 'the server rejects tool_choice' };
  if (m.includes('max_completion_tokens')) return { key: 'chat_max_tokens_field', value: 'max_tokens', why: 'the server rejects max_completion_tokens' };
  if (m.includes('reasoning_effort')) return { key: 'chat_reasoning_effort', value: 'none', why: 'the server rejects reasoning_effort' };
  if (m.includes("'developer'") || m.includes('"developer"') || m.includes('developer role') || m.includes('role developer')) {
    return { key: 'chat_instructions_role', value: 'system', why: 'the server does not know the developer role' };
  }
  return null;
}
