/**
 * New file contents from an update hunk's chunks (codex-compat.md §4.4, "Application"): each chunk's
 * `@@` context moves the search start past itself, its old lines are sought from there (fuzzily, see
 * seek.ts), and the replacements are applied bottom-up. Lines are matched without their endings, and
 * the file keeps its line endings and its final newline or lack of one (line-endings.ts); Codex instead
 * writes `\n` for every line it touches and always ends the file with one.
 */
import { alignLines } from './diff.js';
import { dominantEol, endingsFor, joinFile, splitFile } from './line-endings.js';
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
  /** The chunk's old lines as the patch wrote them (what was matched at `start`). */
  pattern: readonly string[];
  insert: readonly string[];
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
      out.push({ start: end, pattern: [], insert: chunk.newLines });
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
    out.push({ start: found, pattern, insert });
    index = found + pattern.length;
  }
  return out.sort((a, b) => a.start - b.start);
}

/** `original` with the chunks applied; throws PatchApplyError when a chunk does not match. */
export function applyChunks(original: string, chunks: readonly UpdateChunk[], displayPath: string): string {
  const file = splitFile(original);
  const dominant = dominantEol(file.eols);
  const replacements = replacementsFor(file.texts, chunks, displayPath);
  const { texts, eols } = file;
  for (let k = replacements.length - 1; k >= 0; k--) {
    const r = replacements[k] as Replacement;
    const removed = eols.slice(r.start, r.start + r.pattern.length);
    const endings = endingsFor(alignLines(r.pattern, r.insert), r.insert.length, removed, dominant);
    texts.splice(r.start, r.pattern.length, ...r.insert);
    eols.splice(r.start, r.pattern.length, ...endings);
  }
  return joinFile(texts, eols, file.finalNewline, dominant);
}
