import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/index.js';
import { HumanRenderer, JsonlRenderer, tokensUsed } from '../../src/exec/index.js';

function sink() {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  return { s, text: () => text };
}

const usage = { input_tokens: 2100, cached_input_tokens: 1000, cache_write_input_tokens: 0, output_tokens: 25, reasoning_output_tokens: 8 };
const turn: AgentEvent[] = [
  { type: 'thread.started', thread_id: 't-1' },
  { type: 'turn.started' },
  { type: 'reasoning.delta', delta: 'thinking' },
  { type: 'item.completed', item: { id: 'item_0', type: 'reasoning', text: '**Checking**' } },
  { type: 'item.started', item: { id: 'item_1', type: 'command_execution', command: "/bin/bash -lc 'echo hello'", cwd: '/w', aggregated_output: '', exit_code: null, status: 'in_progress' } },
  { type: 'command_output.delta', item_id: 'item_1', delta: 'hello\n' },
  { type: 'item.completed', item: { id: 'item_1', type: 'command_execution', command: "/bin/bash -lc 'echo hello'", cwd: '/w', aggregated_output: 'hello\n', exit_code: 0, status: 'completed' } },
  { type: 'error', message: 'Reconnecting... 1/5 (stream closed)' },
  { type: 'item.started', item: { id: 'item_2', type: 'file_change', changes: [{ path: '/w/a.txt', kind: 'add' }], status: 'in_progress' } },
  { type: 'patch.diff', item_id: 'item_2', diffs: [{ path: '/w/a.txt', kind: 'add', diff: '--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1,1 @@\n+hi\n' }] },
  { type: 'item.completed', item: { id: 'item_2', type: 'file_change', changes: [{ path: '/w/a.txt', kind: 'add' }], status: 'completed' } },
  { type: 'agent_message.delta', delta: 'do' },
  { type: 'item.completed', item: { id: 'item_3', type: 'agent_message', text: 'done' } },
  { type: 'usage.updated', last: usage, total: usage },
  { type: 'turn.completed', usage },
];

describe('exec --json', () => {
  it('prints one JSON object per line, without UI-only deltas, patch diffs and usage updates', () => {
    const out = sink();
    const r = new JsonlRenderer(out.s);
    for (const e of turn) r.handle(e);
    const lines = out.text().trimEnd().split('\n').map((l) => JSON.parse(l) as AgentEvent);
    expect(lines.map((l) => l.type)).toEqual([
      'thread.started', 'turn.started', 'item.completed', 'item.started', 'item.completed', 'error', 'item.started', 'item.completed', 'item.completed', 'turn.completed',
    ]);
    expect(lines[4]).toEqual(turn[6]);
    expect(out.text()).not.toContain('patch.diff');
    expect(out.text()).not.toContain('usage.updated');
    expect(lines[9]).toEqual({ type: 'turn.completed', usage });
  });
});

describe('exec human output', () => {
  function render(options: { interactiveTerminal?: boolean; hideReasoning?: boolean } = {}) {
    const out = sink();
    const err = sink();
    let t = 1000;
    const r = new HumanRenderer({ stdout: out.s, stderr: err.s, color: false, hideReasoning: options.hideReasoning ?? false, interactiveTerminal: options.interactiveTerminal ?? false, stdoutIsTerminal: options.interactiveTerminal ?? false, cwd: '/w', now: () => (t += 5) });
    r.banner({ version: '0.1.0', workdir: '/w', model: 'gpt-5.4', provider: 'openai', approval: 'never', sandbox: 'read-only', reasoningEffort: 'none', reasoningSummaries: 'none', sessionId: 't-1' }, 'say hi');
    for (const e of turn) r.handle(e);
    r.flushFinal();
    return { stdout: out.text(), stderr: err.text() };
  }

  it('puts only the final message on stdout and the progress on stderr', () => {
    const { stdout, stderr } = render();
    expect(stdout).toBe('done\n');
    expect(stderr).toBe(
      [
        'opencodex v0.1.0', '--------', 'workdir: /w', 'model: gpt-5.4', 'provider: openai', 'approval: never', 'sandbox: read-only',
        'reasoning effort: none', 'reasoning summaries: none', 'session id: t-1', '--------', 'user', 'say hi',
        '**Checking**',
        'exec', "/bin/bash -lc 'echo hello' in /w", ' succeeded in 5ms:', 'hello',
        'ERROR: Reconnecting... 1/5 (stream closed)',
        'apply patch', 'patch: completed', '/w/a.txt', '--- /dev/null', '+++ b/a.txt', '@@ -0,0 +1,1 @@', '+hi',
        'opencodex', 'done',
        'tokens used', '1,125', '',
      ].join('\n'),
    );
    expect(tokensUsed(usage)).toBe(1125);
  });

  it('a command still running when the turn ended (unified exec) says so instead of an exit status', () => {
    const err = sink();
    let t = 0;
    const r = new HumanRenderer({ stdout: sink().s, stderr: err.s, color: false, hideReasoning: false, interactiveTerminal: false, stdoutIsTerminal: false, cwd: '/w', now: () => (t += 7) });
    const item = { id: 'item_1', type: 'command_execution' as const, command: "bash -lc 'npm run dev'", cwd: '/w', aggregated_output: '', exit_code: null, status: 'in_progress' as const };
    r.handle({ type: 'item.started', item });
    r.handle({ type: 'item.completed', item: { ...item, aggregated_output: 'listening on 3000\n' } });
    expect(err.text()).toBe(`exec\nbash -lc 'npm run dev' in /w\n still running after 7ms when the turn ended:\nlistening on 3000\n`);
  });

  it('does not repeat the message on stdout when both streams are terminals, and can hide reasoning', () => {
    const { stdout, stderr } = render({ interactiveTerminal: true, hideReasoning: true });
    expect(stdout).toBe('');
    expect(stderr).not.toContain('**Checking**');
  });
});
