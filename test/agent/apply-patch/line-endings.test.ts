/** Line endings under a patch (line-endings.ts): CRLF, mixed and no-final-newline files keep theirs. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChunks, parsePatch, planPatch, writePlan, type UpdateChunk } from '../../../src/agent/tools/apply-patch/index.js';

const chunksOf = (...body: string[]): UpdateChunk[] => {
  const hunk = parsePatch(['*** Begin Patch', '*** Update File: f', ...body, '*** End Patch'].join('\n')).hunks[0];
  if (hunk?.kind !== 'update') throw new Error('not an update');
  return hunk.chunks;
};
const apply = (original: string, ...body: string[]): string => applyChunks(original, chunksOf(...body), '/f');

describe('CRLF files', () => {
  it('stay CRLF: replaced and added lines get CRLF, context lines keep theirs', () => {
    expect(apply('one\r\ntwo\r\nthree\r\n', '@@', ' one', '-two', '+2', '+2.5', ' three')).toBe('one\r\n2\r\n2.5\r\nthree\r\n');
  });

  it('take pure additions with CRLF, at the end', () => {
    expect(apply('a\r\nb\r\n', '@@', '+c')).toBe('a\r\nb\r\nc\r\n');
  });

  it('match context exactly, \\r\\n and \\n alike (not by ignoring trailing whitespace elsewhere)', () => {
    // With `\r` kept on the lines only the trailing-whitespace fuzz level matched, and it found `x  ` first.
    expect(apply('x  \r\nkeep\r\nx\r\nend\r\n', '@@', '-x', '+y', ' end')).toBe('x  \r\nkeep\r\ny\r\nend\r\n');
  });

  it('keep a missing final newline, and the trailing-empty-line retry still works', () => {
    expect(apply('a\r\nb', '@@', '-b', '+c')).toBe('a\r\nc');
    expect(apply('a\r\nb\r\n', '@@', '-b', '-', '+c', '+')).toBe('a\r\nc\r\n');
  });
});

describe('mixed files', () => {
  // Mostly LF, with a CRLF block pasted in (lines 2–3).
  const mixed = 'l1\nc2\r\nc3\r\nl4\nl5\n';

  it('a replaced line takes the ending of the line it replaces; context keeps its own', () => {
    expect(apply(mixed, '@@', ' l1', '-c2', '+C2', ' c3')).toBe('l1\nC2\r\nc3\r\nl4\nl5\n');
    expect(apply(mixed, '@@', ' c3', '-l4', '+L4', ' l5')).toBe('l1\nc2\r\nc3\r\nL4\nl5\n');
  });

  it('lines beyond the replaced ones take the dominant ending (here LF), even inside the CRLF block', () => {
    expect(apply(mixed, '@@', ' l1', '-c2', '+C2', '+new', ' c3')).toBe('l1\nC2\r\nnew\nc3\r\nl4\nl5\n');
  });

  it('the dominant ending is the majority, a tie goes to the first line', () => {
    expect(apply('a\r\nb\r\nc\n', '@@', '+d')).toBe('a\r\nb\r\nc\nd\r\n');
    expect(apply('a\r\nb\n', '@@', '+c')).toBe('a\r\nb\nc\r\n');
    expect(apply('a\nb\r\n', '@@', '+c')).toBe('a\nb\r\nc\n');
  });
});

describe('files without a final newline', () => {
  it('keep lacking it when the middle changes', () => {
    expect(apply('a\nb\nc', '@@', '-b', '+B')).toBe('a\nB\nc');
  });

  it('keep lacking it when the last line is replaced, removed, or lines are appended', () => {
    expect(apply('a\nb', '@@', ' a', '-b', '+B1', '+B2')).toBe('a\nB1\nB2');
    expect(apply('a\nb', '@@', ' a', '-b')).toBe('a');
    expect(apply('a\nb', '@@', '+c')).toBe('a\nb\nc');
  });

  it('an empty file gets a final newline with its first lines', () => {
    expect(apply('', '@@', '+x')).toBe('x\n');
  });
});

describe('planPatch', () => {
  const tree = (files: Record<string, string>): string => {
    const root = mkdtempSync(join(tmpdir(), 'ocx-eol-'));
    for (const [rel, text] of Object.entries(files)) writeFileSync(join(root, rel), text);
    return root;
  };

  it('diffs a CRLF file by the lines that changed, not every line', () => {
    const root = tree({ 'w.txt': 'one\r\ntwo\r\nthree\r\nfour\r\nfive\r\n' });
    const plan = planPatch(parsePatch('*** Begin Patch\n*** Update File: w.txt\n@@\n three\n-four\n+4\n*** End Patch').hunks, root);
    const diff = plan.changes[0]?.diff ?? '';
    expect(diff.split('\n').filter((l) => /^[-+](?![-+])/.test(l))).toEqual(['-four\r', '+4\r']);
    expect(writePlan(plan)).toEqual({ ok: true });
    expect(readFileSync(join(root, 'w.txt'), 'utf8')).toBe('one\r\ntwo\r\nthree\r\n4\r\nfive\r\n');
  });

  it('writes added files with LF, unless they replace a CRLF file', () => {
    const root = tree({ 'old.txt': 'was\r\nhere\r\n' });
    const plan = planPatch(parsePatch('*** Begin Patch\n*** Add File: new.txt\n+a\n+b\n*** Add File: old.txt\n+a\n+b\n*** End Patch').hunks, root);
    expect(plan.changes.map((c) => c.contents)).toEqual(['a\nb\n', 'a\r\nb\r\n']);
  });
});
