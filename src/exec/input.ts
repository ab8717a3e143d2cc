/**
 * The prompt for `opencodex exec` (codex-compat.md §1.4): from the argument, from stdin, or both.
 * Stdin bytes are decoded as UTF-8 (BOM stripped) or UTF-16 with a BOM; anything else is an error, and
 * so is a prompt over 1 MiB characters (Codex's limit), whatever it came from.
 */
import { fstatSync, readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { checkPromptLength, UserError } from '../shared/index.js';

export function decodeStdin(bytes: Buffer): string {
  if (bytes.length >= 4 && ((bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff))) {
    throw new UserError('stdin is UTF-32, which is not supported', { hint: 'convert the input to UTF-8' });
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new UserError('stdin is not valid UTF-8', { hint: 'convert the input to UTF-8' });
  }
}

export interface PromptSources {
  /** The positional prompt, if any (`-` means "read stdin"). */
  arg: string | undefined;
  stdinIsTty: boolean;
  readStdin: () => Promise<Buffer>;
  /** Progress notes for stderr. */
  note: (line: string) => void;
}

export async function resolvePrompt(src: PromptSources): Promise<string> {
  const prompt = await readPrompt(src);
  checkPromptLength(prompt);
  return prompt;
}

async function readPrompt(src: PromptSources): Promise<string> {
  const fromArg = src.arg !== undefined && src.arg !== '-' ? src.arg : undefined;
  if (fromArg !== undefined) {
    if (src.stdinIsTty) return fromArg;
    src.note('Reading additional input from stdin...');
    const extra = decodeStdin(await src.readStdin());
    if (extra.trim() === '') return fromArg;
    return `${fromArg}\n\n<stdin>\n${extra.endsWith('\n') ? extra : `${extra}\n`}</stdin>`;
  }
  if (src.stdinIsTty && src.arg !== '-') {
    throw new UserError('No prompt provided. Either specify one as an argument or pipe the prompt into stdin.');
  }
  if (src.arg !== '-') src.note('Reading prompt from stdin...');
  const text = decodeStdin(await src.readStdin());
  if (text.trim() === '') throw new UserError('No prompt provided via stdin.');
  return text;
}

/**
 * The process's stdin: whether it is a terminal, and all of it. Neither touches `process.stdin` unless stdin
 * is a pipe or socket: making that stream costs a run some 2 ms of module loading, for stdin that is a file or
 * /dev/null (the common case of a script or CI job) read here in one call.
 */
export const processStdin = {
  isTty: (): boolean => isatty(0),
  read: async (): Promise<Buffer> => {
    try {
      const st = fstatSync(0);
      if (st.isFile() || (st.isCharacterDevice() && !isatty(0))) return readFileSync(0);
    } catch {
      // no stdin at all (fd 0 closed): nothing to read
      return Buffer.alloc(0);
    }
    return readAll(process.stdin);
  },
};

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
