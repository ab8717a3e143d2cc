/**
 * New file contents from an update hunk's chunks (codex-compat.md §4.4, "Application"): each chunk's
 * `@@` context moves the search start past itself, its old lines are sought from there (fuzzily, see
 * seek.ts), and the replacements are applied bottom-up. The result always ends with a newline.
 */
import type { UpdateChunk } from './parser.js';
import { seekSequence } from './seek.js';

/** A patch that parses but does not fit the files on disk; the message tells the model what did not match. */
export class PatchApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchApplyError';
  }
}

interface Replacement {
  start: number;
  removeCount: number;
  insert: readonly string[];
}

/** File text as lines, without the empty element a final newline leaves. */
function toLines(contents: string): string[] {
  const lines = contents.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function replacementsFor(lines: readonly string[], chunks: readonly UpdateChunk[], displayPath: string): Replacement[] {
  const out: Replacement[] = [];
  let index = 0;
  for (const chunk of chunks) {
    if (chunk.context !== null) {
      const at = seekSequence(lines, [chunk.context], index, false);
      if (at === null) throw new PatchApplyError(`Failed to find context '${chunk.context}' in ${displayPath}`);
      index = at + 1;
    }
    if (chunk.oldLines.length === 0) {
      // A pure addition goes at the end of the file, before a final empty line if there is one.
      const end = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
      out.push({ start: end, removeCount: 0, insert: chunk.newLines });
      continue;
    }
    let pattern: readonly string[] = chunk.oldLines;
    let insert: readonly string[] = chunk.newLines;
    let found = seekSequence(lines, pattern, index, chunk.endOfFile);
    if (found === null && pattern[pattern.length - 1] === '') {
      // A trailing empty line in the chunk stands for the file's final newline, which `lines` lacks.
      pattern = pattern.slice(0, -1);
      if (insert[insert.length - 1] === '') insert = insert.slice(0, -1);
      found = seekSequence(lines, pattern, index, chunk.endOfFile);
    }
    if (found === null) {
      throw new PatchApplyError(`Failed to find expected lines in ${displayPath}:\n${chunk.oldLines.join('\n')}`);
    }
    out.push({ start: found, removeCount: pattern.length, insert });
    index = found + pattern.length;
  }
  return out.sort((a, b) => a.start - b.start);
}

/** `original` with the chunks applied; throws PatchApplyError when a chunk does not match. */
export function applyChunks(original: string, chunks: readonly UpdateChunk[], displayPath: string): string {
  const lines = toLines(original);
  const replacements = replacementsFor(lines, chunks, displayPath);
  for (let k = replacements.length - 1; k >= 0; k--) {
    const r = replacements[k] as Replacement;
    lines.splice(r.start, r.removeCount, ...r.insert);
  }
  if (lines[lines.length - 1] !== '') lines.push('');
  return lines.join('\n');
}
