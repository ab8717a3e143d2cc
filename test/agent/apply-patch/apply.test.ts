import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/agent/index.js';
import type { ToolContext } from '../../../src/agent/tool-types.js';
import { ApplyPatchTool, fileChanges, parsePatch, PatchRunner, planPatch, summary, unifiedDiff, writePlan } from '../../../src/agent/tools/apply-patch/index.js';
import { ApprovalSession, nonInteractiveApprover, sandboxPolicyFor, type ApprovalQuestion, type ApprovalReply, type SandboxPolicy } from '../../../src/sandbox/index.js';

function tree(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'ocx-patch-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const read = (root: string, rel: string): string => readFileSync(join(root, rel), 'utf8');
const patch = (...lines: string[]): string => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

function context(): { ctx: ToolContext; events: AgentEvent[] } {
  const events: AgentEvent[] = [];
  let n = 0;
  return { events, ctx: { signal: new AbortController().signal, emit: (e) => events.push(e), nextItemId: () => `item_${n++}` } };
}

function runner(policy: SandboxPolicy, root: string, approval: 'never' | 'on-request' = 'never'): PatchRunner {
  return new PatchRunner(new ApprovalSession({ policy: approval, sandbox: policy, root, approver: nonInteractiveApprover(), env: {} }));
}

describe('planPatch and writePlan', () => {
  it('adds (creating parent directories), updates, moves and deletes', () => {
    const root = tree({ 'mod.txt': 'a\nb\n', 'old/name.txt': 'x\n', 'gone.txt': 'bye\n' });
    const plan = planPatch(
      parsePatch(
        patch(
          '*** Add File: nested/deep/new.txt',
          '+hello',
          '*** Update File: mod.txt',
          '@@',
          '-b',
          '+B',
          '*** Update File: old/name.txt',
          '*** Move to: renamed/dir/name.txt',
          '@@',
          '-x',
          '+y',
          '*** Delete File: gone.txt',
        ),
      ).hunks,
      root,
    );
    expect(plan.changes.map((c) => [c.kind, c.path])).toEqual([
      ['add', join(root, 'nested/deep/new.txt')],
      ['update', join(root, 'mod.txt')],
      ['update', join(root, 'old/name.txt')],
      ['delete', join(root, 'gone.txt')],
    ]);
    expect(existsSync(join(root, 'nested'))).toBe(false);
    expect(writePlan(plan)).toEqual({ ok: true });
    expect(read(root, 'nested/deep/new.txt')).toBe('hello\n');
    expect(read(root, 'mod.txt')).toBe('a\nB\n');
    expect(read(root, 'renamed/dir/name.txt')).toBe('y\n');
    expect(existsSync(join(root, 'old/name.txt'))).toBe(false);
    expect(existsSync(join(root, 'gone.txt'))).toBe(false);
    expect(summary(plan)).toBe('Success. Updated the following files:\nA nested/deep/new.txt\nM mod.txt\nM renamed/dir/name.txt\nD gone.txt\n');
  });

  it('overwrites an existing file on Add, as Codex does', () => {
    const root = tree({ 'dup.txt': 'old\n' });
    expect(writePlan(planPatch(parsePatch(patch('*** Add File: dup.txt', '+new')).hunks, root))).toEqual({ ok: true });
    expect(read(root, 'dup.txt')).toBe('new\n');
  });

  it('takes absolute paths as they are', () => {
    const root = tree({ 'f.txt': 'a\n' });
    const plan = planPatch(parsePatch(patch(`*** Update File: ${join(root, 'f.txt')}`, '@@', '-a', '+b')).hunks, '/');
    writePlan(plan);
    expect(read(root, 'f.txt')).toBe('b\n');
  });

  it('applies later hunks on top of earlier ones in the same patch', () => {
    const root = tree();
    const plan = planPatch(parsePatch(patch('*** Add File: f.txt', '+one', '*** Update File: f.txt', '@@', '-one', '+two')).hunks, root);
    writePlan(plan);
    expect(read(root, 'f.txt')).toBe('two\n');
  });

  it('refuses to update or delete a missing file, naming it', () => {
    const root = tree();
    expect(() => planPatch(parsePatch(patch('*** Update File: nope.txt', '@@', '-a', '+b')).hunks, root)).toThrow(
      `Failed to read file to update ${join(root, 'nope.txt')}: No such file or directory`,
    );
    expect(() => planPatch(parsePatch(patch('*** Delete File: nope.txt')).hunks, root)).toThrow(`Failed to read ${join(root, 'nope.txt')}: No such file or directory`);
  });

  it('refuses to delete a directory', () => {
    const root = tree({ 'dir/foo.txt': 'x\n' });
    expect(() => planPatch(parsePatch(patch('*** Delete File: dir')).hunks, root)).toThrow(/Is a directory/);
  });

  it('restores what it wrote when a later write fails', () => {
    const root = tree({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const plan = planPatch(
      parsePatch(patch('*** Update File: a.txt', '@@', '-a', '+A', '*** Delete File: b.txt', '*** Add File: sub/x.txt', '+x')).hunks,
      root,
    );
    // Something appears where the new file's directory should go between planning and writing.
    writeFileSync(join(root, 'sub'), 'in the way');
    const result = writePlan(plan);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^Failed to create parent directories for .*sub\/x\.txt/) });
    expect(read(root, 'a.txt')).toBe('a\n');
    expect(read(root, 'b.txt')).toBe('b\n');
  });
});

describe('unifiedDiff', () => {
  it('shows changed lines with three lines of context', () => {
    const before = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\n';
    const after = 'l1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\n';
    expect(unifiedDiff(before, after, 'a/f', 'b/f')).toBe('--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n');
  });

  it('diffs additions from nothing and is empty for equal texts', () => {
    expect(unifiedDiff('', 'x\ny\n', '/dev/null', 'b/f')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(unifiedDiff('same\n', 'same\n', 'a', 'b')).toBe('');
  });

  it('produces hunks that turn the old text into the new one (random texts)', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: rand(30) }, () => `l${rand(6)}`);
      const b = a.filter(() => rand(4) !== 0).flatMap((l) => (rand(5) === 0 ? [l, `n${rand(6)}`] : [l]));
      if (rand(3) === 0) b.unshift('head');
      const oldText = a.map((l) => `${l}\n`).join('');
      const newText = b.map((l) => `${l}\n`).join('');
      const diff = unifiedDiff(oldText, newText, 'a', 'b');
      // Rebuild the new text from the old one and the hunks.
      const out: string[] = [];
      let pos = 0;
      for (const hunk of diff.split(/^(?=@@ )/m).slice(1)) {
        const [header, ...body] = hunk.replace(/\n$/, '').split('\n');
        const m = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(header ?? '');
        expect(m).not.toBeNull();
        const start = Number(m?.[2]) === 0 ? Number(m?.[1]) : Number(m?.[1]) - 1;
        out.push(...a.slice(pos, start));
        pos = start;
        for (const line of body) {
          if (line.startsWith('+')) out.push(line.slice(1));
          else {
            expect(a[pos]).toBe(line.slice(1));
            if (line.startsWith(' ')) out.push(line.slice(1));
            pos++;
          }
        }
      }
      out.push(...a.slice(pos));
      expect(out).toEqual(b);
    }
  });

  it('splits far-apart changes into separate hunks', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const changed = [...lines];
    changed[1] = 'X';
    changed[18] = 'Y';
    const diff = unifiedDiff(`${lines.join('\n')}\n`, `${changed.join('\n')}\n`, 'a', 'b');
    expect(diff.match(/^@@/gm)).toHaveLength(2);
  });
});

describe('PatchRunner and ApplyPatchTool', () => {
  const ws = (root: string): SandboxPolicy => sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true, exclude_tmpdir_env_var: true }, [], root);

  it('emits file_change started/completed with absolute paths and a patch.diff between them', async () => {
    const root = tree({ 'f.txt': 'a\n' });
    const { ctx, events } = context();
    const result = await runner(ws(root), root).run(patch('*** Update File: f.txt', '@@', '-a', '+b', '*** Add File: g.txt', '+g'), root, ctx);
    expect(result).toMatchObject({ status: 'applied', output: 'Success. Updated the following files:\nA g.txt\nM f.txt\n' });
    expect(events.map((e) => e.type)).toEqual(['item.started', 'patch.diff', 'item.completed']);
    const changes = [
      { path: join(root, 'f.txt'), kind: 'update' },
      { path: join(root, 'g.txt'), kind: 'add' },
    ];
    expect(events[0]).toEqual({ type: 'item.started', item: { id: 'item_0', type: 'file_change', changes, status: 'in_progress' } });
    expect(events[2]).toEqual({ type: 'item.completed', item: { id: 'item_0', type: 'file_change', changes, status: 'completed' } });
    expect(events[1]).toMatchObject({ type: 'patch.diff', item_id: 'item_0', diffs: [{ path: join(root, 'f.txt'), diff: expect.stringContaining('-a\n+b\n') }, { kind: 'add' }] });
  });

  it('asks with the diff of each file before writing anything; a refusal writes nothing', async () => {
    const root = tree({ 'f.txt': 'a\n' });
    const elsewhere = tree();
    const { ctx, events } = context();
    const asked: ApprovalQuestion[] = [];
    const approver = {
      ask: async (q: ApprovalQuestion): Promise<ApprovalReply> => {
        asked.push(q);
        // At the moment of the question nothing is written yet.
        expect(read(root, 'f.txt')).toBe('a\n');
        return { answer: 'deny' };
      },
    };
    const r = new PatchRunner(new ApprovalSession({ policy: 'untrusted', sandbox: ws(root), root, approver, env: {} }));
    const result = await r.run(patch('*** Update File: f.txt', '@@', '-a', '+b', `*** Add File: ${join(elsewhere, 'x.txt')}`, '+x'), root, ctx);
    expect(result).toMatchObject({ status: 'rejected' });
    expect(asked).toHaveLength(1);
    const q = asked[0];
    if (q?.kind !== 'patch') throw new Error('expected a patch question');
    expect(q.changes).toEqual([
      { path: join(root, 'f.txt'), kind: 'update', movePath: undefined, preview: { diff: expect.stringContaining('-a\n+b\n'), oldText: 'a\n', newText: 'b\n' } },
      { path: join(elsewhere, 'x.txt'), kind: 'add', preview: { diff: expect.stringContaining('+x\n'), oldText: null, newText: 'x\n' } },
    ]);
    expect(read(root, 'f.txt')).toBe('a\n');
    expect(existsSync(join(elsewhere, 'x.txt'))).toBe(false);
    expect(events).toEqual([]);
  });

  it('leaves the tree untouched when a later hunk does not verify, and emits nothing', async () => {
    const root = tree({ 'f.txt': 'a\n' });
    const { ctx, events } = context();
    const result = await runner(ws(root), root).run(patch('*** Add File: new.txt', '+x', '*** Update File: f.txt', '@@', '-zzz', '+b'), root, ctx);
    expect(result).toEqual({ status: 'rejected', message: `apply_patch verification failed: Failed to find expected lines in ${join(root, 'f.txt')}:\nzzz` });
    expect(existsSync(join(root, 'new.txt'))).toBe(false);
    expect(events).toEqual([]);
  });

  it('refuses a patch outside the writable roots under approval never, without writing or emitting', async () => {
    const root = tree();
    const elsewhere = tree();
    const { ctx, events } = context();
    const result = await runner(ws(root), root).run(patch(`*** Add File: ${join(elsewhere, 'x.txt')}`, '+x'), root, ctx);
    expect(result).toEqual({ status: 'rejected', message: 'patch rejected: writing outside of the project; rejected by user approval settings' });
    expect(existsSync(join(elsewhere, 'x.txt'))).toBe(false);
    expect(events).toEqual([]);
  });

  it('refuses every patch in a read-only sandbox', async () => {
    const root = tree();
    const { ctx } = context();
    const result = await runner({ type: 'read-only' }, root).run(patch('*** Add File: x.txt', '+x'), root, ctx);
    expect(result).toEqual({ status: 'rejected', message: 'patch rejected: writing is blocked by read-only sandbox; rejected by user approval settings' });
  });

  it('refuses an empty patch', async () => {
    const { ctx } = context();
    expect(await runner({ type: 'danger-full-access' }, '/').run(patch(), tree(), ctx)).toEqual({ status: 'rejected', message: 'patch rejected: empty patch' });
  });

  it('reports parse errors with the verification prefix', async () => {
    const { ctx } = context();
    const result = await runner({ type: 'danger-full-access' }, '/').run('*** Begin Patch\n*** Nope\n*** End Patch', tree(), ctx);
    expect(result).toMatchObject({ status: 'rejected', message: expect.stringMatching(/^apply_patch verification failed: invalid hunk at line 2, '\*\*\* Nope' is not a valid hunk header/) });
  });

  it('freeform form: custom tool spec with the Lark grammar, text output', async () => {
    const root = tree();
    const tool = new ApplyPatchTool({ style: 'freeform', cwd: root, runner: runner(ws(root), root), formatOutput: (r, f) => `${f}:${r.exitCode}:${r.output}` });
    expect(tool.spec).toMatchObject({ type: 'custom', name: 'apply_patch', format: { type: 'grammar', syntax: 'lark', definition: expect.stringContaining('start: begin_patch hunk+ end_patch') } });
    expect(tool.parallelSafe).toBe(false);
    const { ctx } = context();
    const r = await tool.run({ callId: 'c', name: 'apply_patch', kind: 'custom', input: patch('*** Add File: a.txt', '+a') }, ctx);
    expect(r).toEqual({ output: 'text:0:Success. Updated the following files:\nA a.txt\n', success: true });
  });

  it('function form: {input} parameters, json output, and a clear error without input', async () => {
    const root = tree();
    const tool = new ApplyPatchTool({ style: 'function', cwd: root, runner: runner(ws(root), root), formatOutput: (r, f) => `${f}:${r.exitCode}` });
    expect(tool.spec).toMatchObject({ type: 'function', name: 'apply_patch', parameters: { required: ['input'] } });
    const { ctx } = context();
    const ok = await tool.run({ callId: 'c', name: 'apply_patch', kind: 'function', input: JSON.stringify({ input: patch('*** Add File: a.txt', '+a') }) }, ctx);
    expect(ok).toEqual({ output: 'json:0', success: true });
    const bad = await tool.run({ callId: 'c', name: 'apply_patch', kind: 'function', input: '{}' }, ctx);
    expect(bad.success).toBe(false);
    expect(bad.output).toMatch(/apply_patch needs `input`/);
  });
});

describe('what approvers and front ends see of a patch', () => {
  it('each change carries its diff and the text before and after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocx-preview-'));
    writeFileSync(join(dir, 'a.txt'), 'one\ntwo\n');
    writeFileSync(join(dir, 'gone.txt'), 'bye\n');
    const plan = planPatch(
      parsePatch('*** Begin Patch\n*** Update File: a.txt\n@@\n one\n-two\n+TWO\n*** Add File: b.txt\n+new\n*** Delete File: gone.txt\n*** End Patch').hunks,
      dir,
    );
    const [update, add, del] = fileChanges(plan);
    expect(update?.preview).toEqual({ diff: expect.stringContaining('+TWO'), oldText: 'one\ntwo\n', newText: 'one\nTWO\n' });
    expect(add?.preview).toEqual({ diff: expect.stringContaining('+new'), oldText: null, newText: 'new\n' });
    expect(del?.preview).toEqual({ diff: expect.stringContaining('-bye'), oldText: 'bye\n', newText: null });
  });
});

describe("PatchRunner with a front end's file access (an editor's buffers)", () => {
  const policy = (root: string): SandboxPolicy => sandboxPolicyFor('workspace-write', {}, [], root);

  it('reads the files there (unsaved text wins over the disk) and writes added and updated files there; deletes on disk', async () => {
    const root = tree({ 'a.txt': 'on disk\n', 'gone.txt': 'bye\n' });
    const buffers = new Map([[join(root, 'a.txt'), 'in the editor\n']]);
    const writes: Array<[string, string]> = [];
    const { ctx } = context();
    ctx.files = {
      read: async (path) => {
        if (!buffers.has(path)) throw new Error('not open');
        return buffers.get(path) as string;
      },
      write: async (path, text) => {
        writes.push([path, text]);
      },
    };
    const r = await runner(policy(root), root).run(patch('*** Update File: a.txt', '@@', '-in the editor', '+edited', '*** Add File: b.txt', '+new', '*** Delete File: gone.txt'), root, ctx);
    expect(r.status).toBe('applied');
    expect(writes).toEqual([
      [join(root, 'a.txt'), 'edited\n'],
      [join(root, 'b.txt'), 'new\n'],
    ]);
    // The disk is left to the front end, but for the deletion.
    expect(read(root, 'a.txt')).toBe('on disk\n');
    expect(existsSync(join(root, 'b.txt'))).toBe(false);
    expect(existsSync(join(root, 'gone.txt'))).toBe(false);
  });

  it('a write that fails puts back what was written, and the patch fails', async () => {
    const root = tree({ 'a.txt': 'one\n', 'b.txt': 'two\n' });
    const texts = new Map<string, string>();
    const { ctx } = context();
    ctx.files = {
      read: async (path) => texts.get(path) ?? readFileSync(path, 'utf8'),
      write: async (path, text) => {
        if (path.endsWith('b.txt')) throw new Error('buffer is read-only');
        texts.set(path, text);
      },
    };
    const r = await runner(policy(root), root).run(patch('*** Update File: a.txt', '@@', '-one', '+ONE', '*** Update File: b.txt', '@@', '-two', '+TWO'), root, ctx);
    expect(r).toMatchObject({ status: 'failed', output: expect.stringContaining('buffer is read-only') });
    expect(texts.get(join(root, 'a.txt'))).toBe('one\n');
  });
});
