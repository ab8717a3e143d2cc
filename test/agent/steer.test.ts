/** Steering: input added while a turn runs is sent with the turn's next request, and keeps a finished response from ending it. */
import { describe, expect, it } from 'vitest';
import { runTurn, type AgentEvent, type TurnState, type ToolHandler } from '../../src/agent/index.js';
import type { ProviderEvent, ResponseItem, TurnRequest } from '../../src/providers/index.js';

const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const answer = (text: string): ResponseItem => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const call = (id: string): ResponseItem => ({ type: 'function_call', call_id: id, name: 'noop', arguments: '{}' });
const completed = (items: ResponseItem[]): ProviderEvent => ({ type: 'completed', responseId: null, items, usage: null, stopReason: items.some((i) => i.type === 'function_call') ? 'tool_calls' : 'stop' });

const userTexts = (input: readonly ResponseItem[]): string[] =>
  input.filter((i): i is Extract<ResponseItem, { type: 'message' }> => i.type === 'message' && i.role === 'user').map((i) => i.content.map((p) => ('text' in p ? p.text : '')).join(''));

function setup(responses: ResponseItem[][], steered: ResponseItem[][]) {
  const requests: ResponseItem[][] = [];
  const events: AgentEvent[] = [];
  const noop: ToolHandler = {
    name: 'noop',
    spec: { type: 'function', name: 'noop', description: 'does nothing', strict: false, parameters: { type: 'object', properties: {} } },
    parallelSafe: true,
    run: async () => ({ output: 'ok', success: true }),
  };
  const state: TurnState = { history: [user('start')], usage: { input_tokens: 0, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0 } };
  const run = () =>
    runTurn(state, {
      request: { model: { requested: 'm' } as never, instructions: '', threadId: 't' },
      model: (req: TurnRequest) => {
        requests.push([...req.input]);
        const items = responses.shift() ?? [answer('extra')];
        return (async function* () {
          yield completed(items);
        })();
      },
      tools: [noop],
      parallelToolCalls: false,
      signal: new AbortController().signal,
      emit: (e) => events.push(e),
      nextItemId: (() => {
        let n = 0;
        return () => `item_${n++}`;
      })(),
      takeSteered: () => steered.shift() ?? [],
    });
  return { run, requests, events, state };
}

describe('steering a running turn', () => {
  it('sends steered input after the tool outputs of the current response', async () => {
    const t = setup([[call('c1')], [answer('done')]], [[], [user('also this')]]);
    // The first take (after the tool call) is empty; the second (with the final answer) brings input, so
    // the turn goes on with one more request.
    const outcome = await t.run();
    expect(outcome.status).toBe('completed');
    expect(t.requests).toHaveLength(3);
    expect(userTexts(t.requests[2] as ResponseItem[])).toEqual(['start', 'also this']);
  });

  it('keeps a response without tool calls from ending the turn while steered input waits', async () => {
    const t = setup([[answer('first')], [answer('second')]], [[user('more')]]);
    const outcome = await t.run();
    expect(outcome).toEqual({ status: 'completed', lastMessage: 'second' });
    expect(t.requests).toHaveLength(2);
    expect(userTexts(t.requests[1] as ResponseItem[])).toEqual(['start', 'more']);
    expect(t.events.filter((e) => e.type === 'turn.completed')).toHaveLength(1);
  });

  it('without steered input, a turn ends at the first response without tool calls', async () => {
    const t = setup([[answer('only')]], []);
    expect(await t.run()).toEqual({ status: 'completed', lastMessage: 'only' });
    expect(t.requests).toHaveLength(1);
  });
});
