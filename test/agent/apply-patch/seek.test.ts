import { describe, expect, it } from 'vitest';
import { applyChunks, normalizeLine, parsePatch, PatchApplyError, seekSequence, type UpdateChunk } from '../../../src/agent/tools/apply-patch/index.js';

const chunksOf = (body: string): UpdateChunk[] => {
  const hunk = parsePatch(`*** Begin Patch\n*** Update File: f\n${body}\n*** End Patch`).hunks[0];
  if (hunk?.kind !== 'update') throw new Error('not an update');
  return hunk.chunks;
};

describe('seekSequence: fuzz levels', () => {
  const lines = ['alpha', 'beta  ', '  gamma  ', 'say \u201Chi\u201D \u2014 it\u2019s\u00A0ok'];

  it('matches exactly first', () => {
    expect(seekSequence(lines, ['alpha'], 0, false)).toBe(0);
  });

  it('then ignores trailing whitespace', () => {
    expect(seekSequence(lines, ['beta'], 0, false)).toBe(1);
  });

  it('then ignores whitespace on both sides', () => {
    expect(seekSequence(lines, ['gamma'], 0, false)).toBe(2);
  });

  it('then folds typographic punctuation and special spaces', () => {
    expect(seekSequence(lines, ['say "hi" - it\'s ok'], 0, false)).toBe(3);
    expect(normalizeLine('\u2018a\u2019 \u2013 \u201Eb\u201F\u3000')).toBe("'a' - \"b\"");
  });

  it('searches from the start index, and returns null when absent', () => {
    expect(seekSequence(['x', 'y', 'x'], ['x'], 1, false)).toBe(2);
    expect(seekSequence(lines, ['delta'], 0, false)).toBeNull();
    expect(seekSequence(['a'], ['a', 'b'], 0, false)).toBeNull();
  });

  it('an empty pattern matches at the start index', () => {
    expect(seekSequence(lines, [], 2, false)).toBe(2);
  });

  it('with end of file, looks at the end first', () => {
    expect(seekSequence(['x', 'y', 'x'], ['x'], 0, true)).toBe(2);
  });

  it('prefers an exact match later in the file to a fuzzy one earlier', () => {
    expect(seekSequence(['x  ', 'x'], ['x'], 0, false)).toBe(1);
  });
});

describe('applyChunks', () => {
  it('replaces lines and keeps the rest', () => {
    expect(applyChunks('a\nb\nc\n', chunksOf('@@\n a\n-b\n+B\n c'), '/f')).toBe('a\nB\nc\n');
  });

  it('uses @@ headers to move the search start', () => {
    const src = 'def f():\n    return 1\ndef g():\n    return 1\n';
    expect(applyChunks(src, chunksOf('@@ def g():\n-    return 1\n+    return 2'), '/f')).toBe('def f():\n    return 1\ndef g():\n    return 2\n');
  });

  it('stacks several chunks in order', () => {
    const src = 'x = 1\nkeep\nx = 1\nkeep\n';
    const out = applyChunks(src, chunksOf('@@\n-x = 1\n+x = 2\n@@\n-x = 1\n+x = 3'), '/f');
    expect(out).toBe('x = 2\nkeep\nx = 3\nkeep\n');
  });

  it('anchors End of File chunks at the end', () => {
    const src = 'end\nmiddle\nend\n';
    expect(applyChunks(src, chunksOf('@@\n-end\n+END\n*** End of File'), '/f')).toBe('end\nmiddle\nEND\n');
  });

  it('matches context fuzzily (trailing spaces, indentation, smart quotes)', () => {
    const src = 'print(\u201Chello\u201D)   \n    value = 1\n';
    expect(applyChunks(src, chunksOf('@@\n print("hello")\n-value = 1\n+value = 2'), '/f')).toBe('print("hello")\nvalue = 2\n');
  });

  it('appends pure additions at the end of the file', () => {
    expect(applyChunks('a\nb\n', chunksOf('@@\n+c'), '/f')).toBe('a\nb\nc\n');
  });

  it('keeps a missing final newline (Codex adds one; see line-endings.test.ts)', () => {
    expect(applyChunks('a\nb', chunksOf('@@\n-b\n+c'), '/f')).toBe('a\nc');
  });

  it('retries without a trailing empty line standing for the final newline', () => {
    expect(applyChunks('a\nb\n', chunksOf('@@\n-b\n-\n+c\n+'), '/f')).toBe('a\nc\n');
  });

  it('names the file and the lines it could not find', () => {
    expect(() => applyChunks('a\nb\n', chunksOf('@@\n-zzz\n+y'), '/w/f.txt')).toThrow(new PatchApplyError('Failed to find expected lines in /w/f.txt:\nzzz'));
    expect(() => applyChunks('a\n', chunksOf('@@ class Nope\n-a\n+b'), '/w/f.txt')).toThrow("Failed to find context 'class Nope' in /w/f.txt");
  });
});
