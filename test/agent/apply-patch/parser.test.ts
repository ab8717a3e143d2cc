import { describe, expect, it } from 'vitest';
import { parsePatch, PatchParseError } from '../../../src/agent/tools/apply-patch/index.js';

const errorOf = (text: string): string => {
  try {
    parsePatch(text);
  } catch (err) {
    expect(err).toBeInstanceOf(PatchParseError);
    return (err as Error).message;
  }
  throw new Error('expected a parse error');
};

describe('parsePatch: valid forms', () => {
  it('parses add, delete, update with move, @@ headers and End of File', () => {
    const { hunks } = parsePatch(
      [
        '*** Begin Patch',
        '*** Add File: a/new.txt',
        '+one',
        '+',
        '+three',
        '*** Delete File: gone.txt',
        '*** Update File: src/x.py',
        '*** Move to: src/y.py',
        '@@ def f():',
        '-    pass',
        '+    return 1',
        '@@',
        ' tail',
        '+added',
        '*** End of File',
        '*** End Patch',
      ].join('\n'),
    );
    expect(hunks).toEqual([
      { kind: 'add', path: 'a/new.txt', contents: 'one\n\nthree\n' },
      { kind: 'delete', path: 'gone.txt' },
      {
        kind: 'update',
        path: 'src/x.py',
        movePath: 'src/y.py',
        chunks: [
          { context: 'def f():', oldLines: ['    pass'], newLines: ['    return 1'], endOfFile: false },
          { context: null, oldLines: ['tail'], newLines: ['tail', 'added'], endOfFile: true },
        ],
      },
    ]);
  });

  it('accepts a patch with no hunks (refused later as empty)', () => {
    expect(parsePatch('*** Begin Patch\n*** End Patch').hunks).toEqual([]);
  });

  it('treats an empty line inside a chunk as an empty context line', () => {
    const { hunks } = parsePatch('*** Begin Patch\n*** Update File: f\n@@\n a\n\n-b\n+c\n*** End Patch');
    expect(hunks[0]).toMatchObject({ chunks: [{ oldLines: ['a', '', 'b'], newLines: ['a', '', 'c'] }] });
  });

  it('lets an update hunk be followed by another hunk', () => {
    const { hunks } = parsePatch('*** Begin Patch\n*** Update File: f\n@@\n+x\n*** Add File: g\n+y\n*** End Patch\n');
    expect(hunks.map((h) => h.kind)).toEqual(['update', 'add']);
  });
});

describe('parsePatch: lenient rules', () => {
  it('trims the whole text and whitespace around the begin/end markers', () => {
    const { hunks } = parsePatch('\n\n  *** Begin Patch  \n*** Add File: f\n+hi\n   *** End Patch \n\n');
    expect(hunks).toEqual([{ kind: 'add', path: 'f', contents: 'hi\n' }]);
  });

  it('tolerates whitespace around hunk headers', () => {
    const { hunks } = parsePatch('*** Begin Patch\n   *** Delete File: f   \n*** End Patch');
    expect(hunks).toEqual([{ kind: 'delete', path: 'f' }]);
  });

  it.each(["<<'EOF'", '<<EOF', '<<"EOF"'])('strips a %s heredoc wrapper', (opener) => {
    const { hunks, text } = parsePatch(`${opener}\n*** Begin Patch\n*** Add File: f\n+hi\n*** End Patch\nEOF\n`);
    expect(hunks).toEqual([{ kind: 'add', path: 'f', contents: 'hi\n' }]);
    expect(text).toBe('*** Begin Patch\n*** Add File: f\n+hi\n*** End Patch');
  });

  it('allows the first chunk of an update without @@, but not later ones', () => {
    const { hunks } = parsePatch('*** Begin Patch\n*** Update File: f\n import a\n+import b\n*** End Patch');
    expect(hunks[0]).toMatchObject({ chunks: [{ context: null, oldLines: ['import a'], newLines: ['import a', 'import b'] }] });
  });

  it('skips blank lines before and between chunks (inside a chunk they are empty context lines)', () => {
    const { hunks } = parsePatch('*** Begin Patch\n*** Update File: f\n\n@@\n-a\n+b\n*** End of File\n\n   \n@@ x\n-c\n\n+d\n*** End Patch');
    expect(hunks[0]).toMatchObject({
      chunks: [
        { oldLines: ['a'], endOfFile: true },
        { context: 'x', oldLines: ['c', ''], newLines: ['', 'd'] },
      ],
    });
  });

  it('accepts CRLF line ends', () => {
    const { hunks } = parsePatch('*** Begin Patch\r\n*** Add File: f\r\n+hi\r\n*** End Patch\r\n');
    expect(hunks).toEqual([{ kind: 'add', path: 'f', contents: 'hi\n' }]);
  });
});

describe('parsePatch: errors', () => {
  it('requires the begin marker first', () => {
    expect(errorOf('bad')).toBe("invalid patch: The first line of the patch must be '*** Begin Patch'");
  });

  it('requires the end marker last', () => {
    expect(errorOf('*** Begin Patch\n*** Add File: f\n+x')).toBe("invalid patch: The last line of the patch must be '*** End Patch'");
  });

  it('names an invalid hunk header and its line', () => {
    expect(errorOf('*** Begin Patch\n*** Add File: f\n+x\n*** Frobnicate File: g\n*** End Patch')).toBe(
      "invalid hunk at line 4, '*** Frobnicate File: g' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'",
    );
  });

  it('refuses an empty update hunk', () => {
    expect(errorOf('*** Begin Patch\n*** Update File: test.py\n*** End Patch')).toBe("invalid hunk at line 2, Update file hunk for path 'test.py' is empty");
  });

  it('refuses a later chunk without @@', () => {
    // The first chunk ends at the line that is not a diff line; that line must then start a chunk.
    expect(errorOf('*** Begin Patch\n*** Update File: f\n@@\n-a\n+b\nnot a diff line\n*** End Patch')).toBe(
      "invalid hunk at line 6, Expected update hunk to start with a @@ context marker, got: 'not a diff line'",
    );
  });

  it('refuses a chunk whose first line is not a diff line', () => {
    expect(errorOf('*** Begin Patch\n*** Update File: f\n@@\nbad line\n*** End Patch')).toMatch(
      /^invalid hunk at line 4, Unexpected line found in update hunk: 'bad line'\. Every line should start with/,
    );
  });

  it('refuses a chunk with only End of File', () => {
    expect(errorOf('*** Begin Patch\n*** Update File: f\n@@\n*** End of File\n*** End Patch')).toBe(
      'invalid hunk at line 4, Update hunk does not contain any lines',
    );
  });

  it('does not unwrap a heredoc whose end is not EOF', () => {
    expect(errorOf("<<'EOF'\n*** Begin Patch\n*** Add File: f\n+hi\n*** End Patch\nEND")).toMatch(/first line of the patch/);
  });
});
