/** How ACP prompt content becomes agent input, and a recorded history becomes updates. */
import { describe, expect, it } from 'vitest';
import { historyUpdates, promptInput } from '../../src/acp/index.js';

describe('ACP content', () => {
  it('text joins; embedded files are inlined with their path; links name the file; images are attached', () => {
    const input = promptInput([
      { type: 'text', text: 'explain' },
      { type: 'resource', resource: { uri: 'file:///w/a.ts', text: 'const a = 1;' } },
      { type: 'resource_link', uri: 'file:///w/b.ts', name: 'b.ts' },
      { type: 'image', data: 'AAAA', mimeType: 'image/png' },
    ]);
    expect(input.text).toBe('explain\n<file path="/w/a.ts">\nconst a = 1;\n</file>\n@/w/b.ts');
    expect(input.images).toEqual([{ type: 'input_image', image_url: 'data:image/png;base64,AAAA' }]);
  });

  it('a history replays as user, thought, tool and answer updates, failed commands as failed', () => {
    const updates = historyUpdates([
      {
        id: 't0',
        items: [
          { kind: 'user', id: 'h0', text: 'go' },
          { kind: 'reasoning', id: 'h1', text: 'thinking' },
          { kind: 'command', id: 'c1', command: 'false', cwd: null, output: 'Exit code: 1\n', exitCode: 1 },
          { kind: 'patch', id: 'p1', changes: [{ path: 'a', kind: 'update', text: '@@\n-x\n+y\n' }, { path: 'b', kind: 'add', text: 'new\n' }], output: 'Success. Updated the following files:\nM /w/a\n' },
          { kind: 'agent', id: 'h2', text: 'done' },
        ],
      },
    ], '/w');
    expect(updates.map((u) => u.sessionUpdate)).toEqual(['user_message_chunk', 'agent_thought_chunk', 'tool_call', 'tool_call', 'agent_message_chunk']);
    expect(updates[2]).toMatchObject({ kind: 'execute', status: 'failed', title: 'false' });
    expect(updates[3]).toMatchObject({
      kind: 'edit',
      status: 'completed',
      locations: [{ path: '/w/a' }, { path: '/w/b' }],
      content: [
        { type: 'content', content: { type: 'text', text: '/w/a\n```diff\n@@\n-x\n+y\n```' } },
        { type: 'diff', path: '/w/b', oldText: null, newText: 'new\n' },
      ],
    });
  });

  it('recorded subagent calls replay as tool calls naming the helpers, with their answers', () => {
    const updates = historyUpdates([
      {
        id: 't0',
        items: [
          { kind: 'user', id: 'h0', text: 'use a helper' },
          { kind: 'tool', id: 's1', name: 'spawn_agent', input: JSON.stringify({ message: 'count the widgets\nand report' }), output: JSON.stringify({ agent_id: 'a1', nickname: 'Ada' }) },
          { kind: 'tool', id: 'w1', name: 'wait_agent', input: JSON.stringify({ targets: ['a1'] }), output: JSON.stringify({ status: { a1: { completed: 'there are 7' } }, timed_out: false }) },
          { kind: 'tool', id: 'x1', name: 'close_agent', input: JSON.stringify({ target: 'a1' }), output: 'close_agent: no agent a1' },
        ],
      },
    ], '/w');
    expect(updates.slice(1)).toEqual([
      { sessionUpdate: 'tool_call', toolCallId: 's1', title: 'Spawned helper Ada: count the widgets', kind: 'other', status: 'completed', content: [] },
      { sessionUpdate: 'tool_call', toolCallId: 'w1', title: 'Waited for Ada', kind: 'think', status: 'completed', content: [{ type: 'content', content: { type: 'text', text: 'Ada: completed\n\nthere are 7' } }] },
      { sessionUpdate: 'tool_call', toolCallId: 'x1', title: 'Closed Ada', kind: 'other', status: 'failed', content: [{ type: 'content', content: { type: 'text', text: 'close_agent: no agent a1' } }] },
    ]);
  });
});
