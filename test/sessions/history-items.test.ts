/** Reading recorded response items (ours and Codex's) into the items a request replays. */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/providers/index.js';
import { readHistoryItem, readHistoryItems, SkipCounter } from '../../src/sessions/history-items.js';

const read = (p: JsonObject, skips = new SkipCounter()) => readHistoryItem(p, skips);

describe('recorded items', () => {
  it('keeps what the wire takes and drops the rest: null content, statuses, Codex metadata', () => {
    expect(
      read({ type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 's' }], content: null, encrypted_content: 'enc', internal_chat_message_metadata_passthrough: { turn_id: 't' } }),
    ).toEqual({ item: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 's' }], encrypted_content: 'enc' } });
    expect(read({ type: 'reasoning', summary: null, content: [{ type: 'reasoning_text', text: 'raw' }], encrypted_content: null })).toEqual({
      item: { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'raw' }] },
    });
    expect(read({ type: 'function_call', status: 'completed', id: 'fc_1', name: 'f', arguments: '{"a":1}', call_id: 'c', namespace: 'ns' })).toEqual({
      // The namespace is kept: requests send it only to providers that take namespace tools.
      item: { type: 'function_call', id: 'fc_1', call_id: 'c', name: 'f', arguments: '{"a":1}', namespace: 'ns' },
    });
    expect(read({ type: 'message', role: 'assistant', status: 'completed', phase: 'final_answer', content: [{ type: 'output_text', text: 'hi', annotations: [], logprobs: [] }] })).toEqual({
      item: { type: 'message', role: 'assistant', phase: 'final_answer', content: [{ type: 'output_text', text: 'hi' }] },
    });
  });

  it('takes older and looser shapes: string content, object arguments, an output object, output text in tool output', () => {
    expect(read({ type: 'message', role: 'user', content: 'plain' })).toEqual({ item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'plain' }] } });
    expect(read({ type: 'function_call', name: 'f', call_id: 'c', arguments: { a: 1 } })).toEqual({ item: { type: 'function_call', call_id: 'c', name: 'f', arguments: '{"a":1}' } });
    expect(read({ type: 'function_call_output', call_id: 'c', output: { content: 'done', success: true } })).toEqual({ item: { type: 'function_call_output', call_id: 'c', output: 'done' } });
    expect(read({ type: 'custom_tool_call_output', call_id: 'c', output: [{ type: 'output_text', text: 'x' }, { type: 'input_image', image_url: 'data:,', detail: 'original' }] })).toEqual({
      item: { type: 'custom_tool_call_output', call_id: 'c', output: [{ type: 'input_text', text: 'x' }, { type: 'input_image', image_url: 'data:,' }] },
    });
  });

  it('says why an item is left out, quietly for Codex bookkeeping', () => {
    expect(read({ type: 'additional_tools', tools: [] })).toEqual({ skipped: 'additional_tools', quiet: true });
    expect(read({ type: 'ghost_snapshot' })).toEqual({ skipped: 'ghost_snapshot', quiet: true });
    expect(read({ type: 'compaction', encrypted_content: 'x' })).toEqual({ skipped: 'compaction', quiet: false });
    expect(read({ type: 'function_call', name: 'f' })).toEqual({ skipped: 'function_call without call_id or name', quiet: false });
    expect(read({ type: 'message', role: 'tool', content: [] })).toEqual({ skipped: 'message with role tool', quiet: false });
    expect(read({ noType: true })).toEqual({ skipped: 'untyped item', quiet: false });
  });

  it('counts what a list leaves out, parts included', () => {
    const skips = new SkipCounter();
    const items = readHistoryItems(
      [
        { type: 'additional_tools' },
        { type: 'local_shell_call' },
        { type: 'local_shell_call' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_file', file_id: 'f' }] },
        'not an item',
      ],
      skips,
    );
    expect(items).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a' }] }]);
    expect(skips.describe()).toBe('local_shell_call ×2, message part input_file ×1');
  });
});
