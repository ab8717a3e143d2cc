import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/agent/index.js';
import { detectPatchInvocation, IMPLICIT_INVOCATION_MESSAGE, PatchRunner, patchInterceptor } from '../../../src/agent/tools/apply-patch/index.js';
import { ApprovalSession, nonInteractiveApprover } from '../../../src/sandbox/index.js';

const PATCH = '*** Begin Patch\n*** Add File: f.txt\n+hi\n*** End Patch';

describe('detectPatchInvocation', () => {
  it.each(['apply_patch', 'applypatch'])('recognises argv [%s, PATCH]', (cmd) => {
    expect(detectPatchInvocation([cmd, PATCH])).toEqual({ kind: 'patch', patch: PATCH, workdir: null });
  });

  it.each([
    ['bash', '-lc'],
    ['/bin/bash', '-c'],
    ['zsh', '-lc'],
    ['sh', '-c'],
  ])('recognises %s %s "apply_patch <<\'EOF\' … EOF"', (shell, flag) => {
    expect(detectPatchInvocation([shell, flag, `apply_patch <<'EOF'\n${PATCH}\nEOF\n`])).toEqual({ kind: 'patch', patch: PATCH, workdir: null });
  });

  it('accepts unquoted and double-quoted delimiters, and any delimiter word', () => {
    expect(detectPatchInvocation(['bash', '-lc', `apply_patch <<EOF\n${PATCH}\nEOF`])).toMatchObject({ kind: 'patch', patch: PATCH });
    expect(detectPatchInvocation(['bash', '-lc', `applypatch <<"PATCH"\n${PATCH}\nPATCH`])).toMatchObject({ kind: 'patch', patch: PATCH });
  });

  it('takes the directory of a leading cd', () => {
    expect(detectPatchInvocation(['bash', '-lc', `cd sub/dir && apply_patch <<'EOF'\n${PATCH}\nEOF`])).toEqual({ kind: 'patch', patch: PATCH, workdir: 'sub/dir' });
    expect(detectPatchInvocation(['bash', '-lc', `cd 'my dir' && apply_patch <<'EOF'\n${PATCH}\nEOF`])).toMatchObject({ workdir: 'my dir' });
    expect(detectPatchInvocation(['bash', '-lc', `cd "other dir" && apply_patch <<'EOF'\n${PATCH}\nEOF`])).toMatchObject({ workdir: 'other dir' });
  });

  it.each([
    ['a command before it', `echo hi; apply_patch <<'EOF'\n${PATCH}\nEOF`],
    ['a command after it', `apply_patch <<'EOF'\n${PATCH}\nEOF\necho done`],
    ['a connector other than &&', `cd x || apply_patch <<'EOF'\n${PATCH}\nEOF`],
    ['cd with two arguments', `cd a b && apply_patch <<'EOF'\n${PATCH}\nEOF`],
    ['an argument to apply_patch', `apply_patch foo <<'EOF'\n${PATCH}\nEOF`],
    ['an unterminated heredoc', `apply_patch <<'EOF'\n${PATCH}\n`],
    ['another program', 'cat <<EOF\nhello\nEOF'],
  ])('ignores a script with %s', (_what, script) => {
    expect(detectPatchInvocation(['bash', '-lc', script])).toEqual({ kind: 'none' });
  });

  it('ignores other argv shapes', () => {
    expect(detectPatchInvocation(['ls', '-la'])).toEqual({ kind: 'none' });
    expect(detectPatchInvocation(['python', '-c', `apply_patch <<'EOF'\n${PATCH}\nEOF`])).toEqual({ kind: 'none' });
    expect(detectPatchInvocation(['bash', '-x', `apply_patch <<'EOF'\n${PATCH}\nEOF`])).toEqual({ kind: 'none' });
  });

  it('flags a bare patch given as the command', () => {
    expect(detectPatchInvocation([PATCH])).toEqual({ kind: 'implicit' });
    expect(detectPatchInvocation(['bash', '-lc', PATCH])).toEqual({ kind: 'implicit' });
  });
});

describe('patchInterceptor', () => {
  function setup() {
    const root = mkdtempSync(join(tmpdir(), 'ocx-intercept-'));
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub/g.txt'), 'old\n');
    const runner = new PatchRunner(new ApprovalSession({ policy: 'never', sandbox: { type: 'danger-full-access' }, root: '/', approver: nonInteractiveApprover() }));
    const events: AgentEvent[] = [];
    let n = 0;
    const ctx = { signal: new AbortController().signal, emit: (e: AgentEvent) => events.push(e), nextItemId: () => `item_${n++}` };
    const call = { callId: 'c', name: 'shell_command', kind: 'function' as const, input: '{}' };
    const intercept = patchInterceptor(runner, (r) => `exit ${r.exitCode}\n${r.output}`);
    return { root, events, ctx, call, intercept };
  }

  it('applies a heredoc patch relative to the workdir and its cd, with a file_change item', async () => {
    const { root, events, ctx, call, intercept } = setup();
    const script = "cd sub && apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: g.txt\n@@\n-old\n+new\n*** End Patch\nEOF\n";
    const result = await intercept(['bash', '-lc', script], root, call, ctx);
    expect(result).toEqual({ output: 'exit 0\nSuccess. Updated the following files:\nM g.txt\n', success: true });
    expect(readFileSync(join(root, 'sub/g.txt'), 'utf8')).toBe('new\n');
    expect(events.filter((e) => e.type !== 'patch.diff').map((e) => e.type)).toEqual(['item.started', 'item.completed']);
    expect(events[0]).toMatchObject({ item: { type: 'file_change', changes: [{ path: join(root, 'sub/g.txt'), kind: 'update' }] } });
  });

  it('returns null for ordinary commands and an error for a bare patch', async () => {
    const { root, ctx, call, intercept } = setup();
    expect(await intercept(['bash', '-lc', 'echo hi'], root, call, ctx)).toBeNull();
    expect(await intercept([PATCH], root, call, ctx)).toEqual({ output: IMPLICIT_INVOCATION_MESSAGE, success: false });
  });

  it('answers a heredoc patch that does not apply with the verification error', async () => {
    const { root, events, ctx, call, intercept } = setup();
    const script = "apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: missing.txt\n@@\n-a\n+b\n*** End Patch\nEOF";
    const result = await intercept(['bash', '-lc', script], root, call, ctx);
    expect(result?.success).toBe(false);
    expect(result?.output).toMatch(/^apply_patch verification failed: Failed to read file to update .*missing\.txt/);
    expect(events).toEqual([]);
  });
});
