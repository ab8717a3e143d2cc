/**
 * The apply_patch text format (codex-compat.md §4.4), parsed the lenient way Codex does: the whole text
 * is trimmed, marker lines may carry surrounding whitespace, a heredoc wrapper (`<<'EOF'` … `EOF`) is
 * stripped, blank lines between chunks are skipped and the first chunk of an update may omit its `@@`.
 * Errors name the line (1-based, counted from `*** Begin Patch`) so the model can fix the patch.
 */

export const BEGIN_PATCH = '*** Begin Patch';
export const END_PATCH = '*** End Patch';
const ADD_FILE = '*** Add File: ';
const DELETE_FILE = '*** Delete File: ';
const UPDATE_FILE = '*** Update File: ';
const MOVE_TO = '*** Move to: ';
const END_OF_FILE = '*** End of File';
const CONTEXT = '@@ ';
const BARE_CONTEXT = '@@';

export interface UpdateChunk {
  /** The `@@ <text>` line that moves the search start past itself (a class or function header), if any. */
  context: string | null;
  /** Lines the file must contain (context and removed lines, in order). */
  oldLines: string[];
  /** What replaces them (context and added lines, in order). */
  newLines: string[];
  /** `*** End of File`: `oldLines` must be at the end of the file. */
  endOfFile: boolean;
}

export type Hunk =
  | { kind: 'add'; path: string; contents: string }
  | { kind: 'delete'; path: string }
  | { kind: 'update'; path: string; movePath: string | null; chunks: UpdateChunk[] };

export interface ParsedPatch {
  hunks: Hunk[];
  /** The patch text without any heredoc wrapper. */
  text: string;
}

/** A patch that does not follow the format. `message` reads as Codex's (`invalid patch: …`, `invalid hunk at line N, …`). */
export class PatchParseError extends Error {
  constructor(
    message: string,
    /** 1-based line of the problem within the patch, when it concerns one line. */
    readonly line: number | null = null,
  ) {
    super(line === null ? `invalid patch: ${message}` : `invalid hunk at line ${line}, ${message}`);
    this.name = 'PatchParseError';
  }
}

const HEREDOC_OPENERS = new Set(['<<EOF', "<<'EOF'", '<<"EOF"']);

/** Splits like Rust's `str::lines`: on `\n`, dropping one `\r` before it, with no empty last line. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** The lines between the begin and end markers; throws when the markers are missing. */
function checkBoundaries(lines: readonly string[]): void {
  const first = lines[0]?.trim();
  const last = lines[lines.length - 1]?.trim();
  if (first !== BEGIN_PATCH) throw new PatchParseError("The first line of the patch must be '*** Begin Patch'");
  if (lines.length < 2 || last !== END_PATCH) throw new PatchParseError("The last line of the patch must be '*** End Patch'");
}

/** The patch lines, with a heredoc wrapper removed when the bare text is not a patch but the wrapped one is. */
function patchLines(lines: string[]): string[] {
  try {
    checkBoundaries(lines);
    return lines;
  } catch (err) {
    const first = lines[0];
    const last = lines[lines.length - 1];
    if (first !== undefined && last !== undefined && HEREDOC_OPENERS.has(first) && last.endsWith('EOF') && lines.length >= 4) {
      const inner = lines.slice(1, -1);
      checkBoundaries(inner);
      return inner;
    }
    throw err;
  }
}

export function parsePatch(patch: string): ParsedPatch {
  const lines = patchLines(splitLines(patch.trim()));
  const body = lines.slice(1, -1);
  const hunks: Hunk[] = [];
  let index = 0;
  while (index < body.length) {
    const { hunk, consumed } = parseHunk(body, index, index + 2);
    hunks.push(hunk);
    index += consumed;
  }
  return { hunks, text: lines.join('\n') };
}

/** One hunk starting at `lines[start]`, whose patch line number is `lineNumber`. */
function parseHunk(lines: readonly string[], start: number, lineNumber: number): { hunk: Hunk; consumed: number } {
  const header = (lines[start] as string).trim();
  if (header.startsWith(ADD_FILE)) {
    const path = header.slice(ADD_FILE.length);
    let contents = '';
    let i = start + 1;
    for (; i < lines.length; i++) {
      const line = lines[i] as string;
      if (!line.startsWith('+')) break;
      contents += `${line.slice(1)}\n`;
    }
    return { hunk: { kind: 'add', path, contents }, consumed: i - start };
  }
  if (header.startsWith(DELETE_FILE)) {
    return { hunk: { kind: 'delete', path: header.slice(DELETE_FILE.length) }, consumed: 1 };
  }
  if (header.startsWith(UPDATE_FILE)) {
    const path = header.slice(UPDATE_FILE.length);
    let i = start + 1;
    let movePath: string | null = null;
    const next = lines[i];
    if (next !== undefined && next.startsWith(MOVE_TO)) {
      movePath = next.slice(MOVE_TO.length);
      i++;
    }
    const chunks: UpdateChunk[] = [];
    while (i < lines.length) {
      const line = lines[i] as string;
      if (line.trim() === '') {
        i++;
        continue;
      }
      if (line.startsWith('*')) break;
      const { chunk, consumed } = parseChunk(lines, i, lineNumber + (i - start), chunks.length === 0);
      chunks.push(chunk);
      i += consumed;
    }
    if (chunks.length === 0) throw new PatchParseError(`Update file hunk for path '${path}' is empty`, lineNumber);
    return { hunk: { kind: 'update', path, movePath, chunks }, consumed: i - start };
  }
  throw new PatchParseError(
    `'${header}' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'`,
    lineNumber,
  );
}

/** One chunk of an update hunk: an optional `@@` line, then diff lines, optionally `*** End of File`. */
function parseChunk(lines: readonly string[], start: number, lineNumber: number, firstChunk: boolean): { chunk: UpdateChunk; consumed: number } {
  const first = lines[start] as string;
  let context: string | null = null;
  let i = start;
  if (first === BARE_CONTEXT) i++;
  else if (first.startsWith(CONTEXT)) {
    context = first.slice(CONTEXT.length);
    i++;
  } else if (!firstChunk) {
    throw new PatchParseError(`Expected update hunk to start with a @@ context marker, got: '${first}'`, lineNumber);
  }
  const at = (k: number): number => lineNumber + (k - start);
  if (i >= lines.length) throw new PatchParseError('Update hunk does not contain any lines', at(i));
  const chunk: UpdateChunk = { context, oldLines: [], newLines: [], endOfFile: false };
  let taken = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === END_OF_FILE) {
      if (taken === 0) throw new PatchParseError('Update hunk does not contain any lines', at(i));
      chunk.endOfFile = true;
      i++;
      break;
    }
    const marker = line[0];
    if (marker === undefined) {
      chunk.oldLines.push('');
      chunk.newLines.push('');
    } else if (marker === ' ') {
      chunk.oldLines.push(line.slice(1));
      chunk.newLines.push(line.slice(1));
    } else if (marker === '+') {
      chunk.newLines.push(line.slice(1));
    } else if (marker === '-') {
      chunk.oldLines.push(line.slice(1));
    } else {
      if (taken === 0) {
        throw new PatchParseError(
          `Unexpected line found in update hunk: '${line}'. Every line should start with ' ' (context line), '+' (added line), or '-' (removed line)`,
          at(i),
        );
      }
      break;
    }
    taken++;
  }
  return { chunk, consumed: i - start };
}
