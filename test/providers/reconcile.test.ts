/** The matching rules of reconcileOutput beyond what gateways.test.ts drives over HTTP. */
import { describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../src/providers/index.js';
import { reconcileOutput } from '../../src/providers/reconcile.js';

const msg = (text: string, id?: string): ResponseItem => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }], ...(id ? { id } : {}) });
const fc = (callId: string, args = '{}'): Extract<ResponseItem, { type: 'function_call' }> => ({ type: 'function_call', call_id: callId, name: 'shell', arguments: args });

describe('reconcileOutput', () => {
  it('uses the streamed items when the final list is empty, and the final list when nothing was streamed', () => {
    expect(reconcileOutput([msg('a')], [])).toEqual({ items: [msg('a')], fromFinal: [] });
    expect(reconcileOutput([], [msg('a')])).toEqual({ items: [msg('a')], fromFinal: [msg('a')] });
  });

  it('matches web searches without ids by their action, reasoning by its encrypted content', () => {
    const search: ResponseItem = { type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'x' } };
    const streamedReasoning: ResponseItem = { type: 'reasoning', id: 'rs_a', summary: [], encrypted_content: 'ENC' };
    const finalReasoning: ResponseItem = { type: 'reasoning', id: 'rs_b', summary: [], encrypted_content: 'ENC' };
    const { items, fromFinal } = reconcileOutput([streamedReasoning, { ...search, id: 'out_1' }, msg('hi')], [finalReasoning, search, msg('hi', 'm')]);
    expect(items).toEqual([streamedReasoning, { ...search, id: 'out_1' }, msg('hi')]);
    expect(fromFinal).toEqual([]);
  });

  it('pairs a final web search without id or action with the streamed one by place', () => {
    const streamed: ResponseItem = { type: 'web_search_call', id: 'out_0', status: 'completed' };
    expect(reconcileOutput([streamed, msg('found')], [{ type: 'web_search_call', status: 'completed' }, msg('found')]).items).toEqual([streamed, msg('found')]);
  });

  it('keeps a streamed message with text over an empty final one', () => {
    expect(reconcileOutput([msg('said it', 'a')], [msg('', 'b')]).items).toEqual([msg('said it', 'a')]);
  });

  it('pairs empty placeholders with final items in order', () => {
    const { items } = reconcileOutput([msg('', 'x'), msg('', 'y')], [msg('first', 'p'), msg('second', 'q')]);
    expect(items).toEqual([msg('first', 'p'), msg('second', 'q')]);
  });

  it('an item id shared by both sides wins over content: the final call with the same id replaces an empty streamed one', () => {
    const streamed: ResponseItem = { ...fc('call_old'), id: 'fc_1' };
    const final: ResponseItem = { ...fc('call_new', '{"cmd":"ls"}'), id: 'fc_1' };
    expect(reconcileOutput([streamed], [final]).items).toEqual([final]);
  });

  it('drops an empty assistant message only beside a tool call', () => {
    expect(reconcileOutput([msg('  ')], []).items).toEqual([msg('  ')]);
    expect(reconcileOutput([msg(''), fc('c')], []).items).toEqual([fc('c')]);
  });
});
