/** The interactive transcript and approval question for MCP tool calls. */
import { describe, expect, it } from 'vitest';
import type { McpToolCallItem } from '../../src/agent/index.js';
import { createStyle } from '../../src/ui/style.js';
import { Transcript } from '../../src/ui/transcript.js';
import { formatMcpCall, mcpArgsSummary } from '../../src/ui/format.js';

const s = createStyle(false);
const started: McpToolCallItem = { id: 'item_0', type: 'mcp_tool_call', server: 'docs', tool: 'search', arguments: { query: 'streams', limit: 3 }, result: null, error: null, status: 'in_progress' };

describe('UI: MCP tool calls', () => {
  it('shows a running call live, then prints it with its status and the first line of its result', () => {
    const t = new Transcript({ style: s, hideReasoning: false, cwd: '/w' });
    t.handle({ type: 'turn.started' });
    t.handle({ type: 'item.started', item: started });
    expect(t.live.mcpCalls.map((m) => formatMcpCall(m.item, s))).toEqual(['• Calling docs/search(query: "streams", limit: 3)']);
    t.handle({
      type: 'item.completed',
      item: { ...started, status: 'completed', result: { content: [{ type: 'text', text: 'Node streams\nmore' }], structured_content: null } },
    });
    expect(t.live.mcpCalls).toEqual([]);
    expect(t.history.at(-1)?.text).toBe('✓ Called docs/search(query: "streams", limit: 3)\n  │ Node streams');
  });

  it('prints a failed call with its error, and a call cut off by the end of the turn as failed', () => {
    const t = new Transcript({ style: s, hideReasoning: false, cwd: '/w' });
    t.handle({ type: 'item.started', item: started });
    t.handle({ type: 'item.completed', item: { ...started, status: 'failed', error: { message: 'user rejected MCP tool call' } } });
    expect(t.history.at(-1)?.text).toBe('✗ Called docs/search(query: "streams", limit: 3) failed\n  │ user rejected MCP tool call');
    t.handle({ type: 'item.started', item: { ...started, id: 'item_1' } });
    t.finishTurn(true);
    expect(t.history.map((h) => h.text)).toContain('✗ Called docs/search(query: "streams", limit: 3) failed');
  });

  it('summarizes arguments on one line, cut to length', () => {
    expect(mcpArgsSummary(null)).toBe('');
    expect(mcpArgsSummary({ text: 'a\nb' })).toBe('text: "a\\nb"');
    expect(mcpArgsSummary({ long: 'x'.repeat(100) }, 20)).toBe(`long: "${'x'.repeat(12)}…`);
  });
});
