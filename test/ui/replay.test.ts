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
      call('c7', 'shell_command', { command: 'rm -rf build' }),
      out('c7', 'exec command rejected by user: keep the build'),
      call('c8', 'apply_patch', { input: '*** Begin Patch\n*** Delete File: c.txt\n*** End Patch' }),
      out('c8', 'patch rejected by user'),
      call('c4', 'apply_patch', { input: '*** Begin Patch\n*** Add File: a.txt\n+a\n*** End Patch' }),
      out('c4', 'Success. Updated the following files:\nA a.txt\n'),
      call('c5', 'apply_patch', { input: '*** Begin Patch\n*** Update File: b.txt\n@@\n-x\n+y\n*** End Patch' }),
      out('c5', 'apply_patch verification failed: Failed to find expected lines in b.txt:\nx'),
      call('c6', 'shell_command', { command: 'sleep 100' }),
    ];
    const lines = replayEntries(history, s).join('\n');
    expect(lines).toContain('✓ echo hi exit 0');
    expect(lines).toContain('✗ false exit 1');
    // A refusal reads as it did live: what was not done, and why.
    expect(lines).toContain('✗ Not run: touch x · you declined');
    expect(lines).toContain('✗ Not run: rm -rf build · you declined: keep the build');
    expect(lines).toContain('✗ Not applied: c.txt · you declined');
    expect(lines).toContain('✓ Edited a.txt');
    expect(lines).toContain('✗ Not applied: b.txt · apply_patch verification failed: Failed to find expected lines in b.txt:');
    expect(lines).toContain('• Ran sleep 100');
  });
});

describe('a resumed thread with unified exec calls (Codex 0.171 and unified_exec models)', () => {
  it('shows exec_command by its cmd and exit code, a running session as run, and write_stdin as what it did', () => {
    const history: ResponseItem[] = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
      call('u1', 'exec_command', { cmd: 'ls -la', yield_time_ms: 1000 }),
      out('u1', 'Chunk ID: a1b2c3\nWall time: 0.0123 seconds\nProcess exited with code 0\nOriginal token count: 3\nOutput:\nfile\n'),
      call('u2', 'exec_command', { cmd: 'npm run dev' }),
      out('u2', 'Chunk ID: d4e5f6\nWall time: 10.0012 seconds\nProcess running with session ID 4242\nOutput:\nlistening\n'),
      call('u3', 'write_stdin', { session_id: 4242, chars: '\u0003' }),
      out('u3', 'Wall time: 0.2500 seconds\nProcess exited with code 130\nOutput:\n'),
      call('u4', 'write_stdin', { session_id: 7 }),
    ];
    const lines = replayEntries(history, s).join('\n');
    expect(lines).toContain('✓ ls -la exit 0');
    expect(lines).toContain('• Ran npm run dev');
    expect(lines).toContain('• Wrote to session 4242');
    expect(lines).toContain('• Polled session 7');
    expect(lines).not.toContain('Called exec_command');
  });
});
