import { describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../src/providers/index.js';
import { replayEntries } from '../../src/ui/replay.js';
import { createStyle } from '../../src/ui/style.js';

const s = createStyle(false);
const call = (id: string, name: string, args: unknown): ResponseItem => ({ type: 'function_call', call_id: id, name, arguments: JSON.stringify(args) });
const out = (id: string, output: string): ResponseItem => ({ type: 'function_call_output', call_id: id, output });

describe('a resumed thread on screen', () => {
  it('shows each command with its outcome: exit code, or why it did not run', () => {
    const history: ResponseItem[] = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'do things' }] },
      call('c1', 'shell_command', { command: 'echo hi' }),
      out('c1', 'Exit code: 0\nWall time: 0.1 seconds\nOutput:\nhi\n'),
      call('c2', 'shell', { command: ['bash', '-lc', 'false'] }),
      out('c2', JSON.stringify({ output: '', metadata: { exit_code: 1, duration_seconds: 0 } })),
      call('c3', 'shell_command', { command: 'touch x' }),
      out('c3', 'exec command rejected by user'),
      call('c4', 'apply_patch', { input: '*** Begin Patch\n*** Add File: a.txt\n+a\n*** End Patch' }),
      out('c4', 'Success. Updated the following files:\nA a.txt\n'),
      call('c5', 'apply_patch', { input: '*** Begin Patch\n*** Update File: b.txt\n@@\n-x\n+y\n*** End Patch' }),
      out('c5', 'apply_patch verification failed: Failed to find expected lines in b.txt:\nx'),
      call('c6', 'shell_command', { command: 'sleep 100' }),
    ];
    const lines = replayEntries(history, s).join('\n');
    expect(lines).toContain('✓ echo hi exit 0');
    expect(lines).toContain('✗ false exit 1');
    expect(lines).toContain('✗ touch x not run · exec command rejected by user');
    expect(lines).toContain('✓ Edited a.txt');
    expect(lines).toContain('✗ Edit of b.txt not applied · apply_patch verification failed: Failed to find expected lines in b.txt:');
    expect(lines).toContain('• Ran sleep 100');
  });
});
