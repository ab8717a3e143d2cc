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
});
