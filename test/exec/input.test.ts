import { describe, expect, it } from 'vitest';
import { decodeStdin, resolvePrompt } from '../../src/exec/index.js';

function sources(arg: string | undefined, stdin: string | Buffer | null) {
  const notes: string[] = [];
  return {
    notes,
    src: {
      arg,
      stdinIsTty: stdin === null,
      readStdin: async () => (typeof stdin === 'string' ? Buffer.from(stdin) : (stdin ?? Buffer.alloc(0))),
      note: (l: string) => notes.push(l),
    },
  };
}

describe('exec prompt input', () => {
  it('uses the argument as-is when stdin is a terminal', async () => {
    const { src, notes } = sources('fix it', null);
    expect(await resolvePrompt(src)).toBe('fix it');
    expect(notes).toEqual([]);
  });

  it('appends piped stdin to the argument in a <stdin> block', async () => {
    const { src, notes } = sources('summarise', 'line 1\nline 2');
    expect(await resolvePrompt(src)).toBe('summarise\n\n<stdin>\nline 1\nline 2\n</stdin>');
    expect(notes).toEqual(['Reading additional input from stdin...']);
    expect(await resolvePrompt(sources('x', 'y\n').src)).toBe('x\n\n<stdin>\ny\n</stdin>');
    expect(await resolvePrompt(sources('x', '').src)).toBe('x');
  });

  it('reads the whole prompt from stdin without an argument or with `-`', async () => {
    const a = sources(undefined, 'from stdin\n');
    expect(await resolvePrompt(a.src)).toBe('from stdin\n');
    expect(a.notes).toEqual(['Reading prompt from stdin...']);
    const dash = sources('-', 'dash');
    expect(await resolvePrompt(dash.src)).toBe('dash');
    expect(dash.notes).toEqual([]);
  });

  it('fails clearly without any prompt', async () => {
    await expect(resolvePrompt(sources(undefined, null).src)).rejects.toThrow(/No prompt provided. Either specify one as an argument or pipe the prompt into stdin./);
    await expect(resolvePrompt(sources(undefined, '  \n').src)).rejects.toThrow('No prompt provided via stdin.');
  });

  it('decodes BOMs and rejects what is not text', () => {
    expect(decodeStdin(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]))).toBe('hi');
    expect(decodeStdin(Buffer.from([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]))).toBe('hi');
    expect(decodeStdin(Buffer.from([0xfe, 0xff, 0x00, 0x68, 0x00, 0x69]))).toBe('hi');
    expect(() => decodeStdin(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x68, 0, 0, 0]))).toThrow(/UTF-32/);
    expect(() => decodeStdin(Buffer.from([0xc3, 0x28]))).toThrow(/not valid UTF-8/);
  });
});
