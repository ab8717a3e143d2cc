/**
 * Line endings under a patch. A patch changes lines, never the endings of lines it keeps, so a file's
 * diff shows only what the patch changed:
 *
 * - Lines are matched on their text: `\r\n` and `\n` are alike (the patch's own lines carry no `\r`).
 * - A kept line (a context line) keeps its ending.
 * - A changed line takes the ending of the line it replaces: in each run of removed and added lines
 *   between two context lines, the k-th added line takes the ending of the k-th removed one.
 * - A line with nothing to replace (a pure addition) takes the file's dominant ending: the one most of
 *   its lines have (a tie: the first line's; a file without any line break: `\n`). So a CRLF file stays
 *   CRLF and an LF file LF.
 * - The end of the file keeps its state: a file without a final newline still has none (whichever line
 *   is last now), one with a final newline keeps it. An empty file is given one.
 * - An added file is written with `\n`, as the patch has it, unless it replaces an existing file: then it
 *   takes that file's dominant ending.
 *
 * A lone `\r` not followed by `\n` is not a line break; it stays part of the line's text.
 */

export type Eol = '\n' | '\r\n' | '';

export interface FileLines {
  /** Each line's text, without its ending. */
  texts: string[];
  /** Each line's ending (`''` only for a last line without a final newline). */
  eols: Eol[];
  /** The file ends with a line break (or is empty). */
  finalNewline: boolean;
}

export function splitFile(contents: string): FileLines {
  if (contents === '') return { texts: [], eols: [], finalNewline: true };
  const pieces = contents.split('\n');
  const finalNewline = pieces[pieces.length - 1] === '';
  if (finalNewline) pieces.pop();
  const texts: string[] = [];
  const eols: Eol[] = [];
  pieces.forEach((piece, i) => {
    const broken = i < pieces.length - 1 || finalNewline;
    if (broken && piece.endsWith('\r')) {
      texts.push(piece.slice(0, -1));
      eols.push('\r\n');
    } else {
      texts.push(piece);
      eols.push(broken ? '\n' : '');
    }
  });
  return { texts, eols, finalNewline };
}

/** The ending most lines have; a tie goes to the first line's, no line break at all to `\n`. */
export function dominantEol(eols: readonly Eol[]): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (const e of eols) {
    if (e === '\r\n') crlf++;
    else if (e === '\n') lf++;
  }
  if (crlf !== lf) return crlf > lf ? '\r\n' : '\n';
  return eols.find((e): e is '\n' | '\r\n' => e !== '') ?? '\n';
}

/** The file text: every line but the last ends with a line break; the last one as `finalNewline` says. */
export function joinFile(texts: readonly string[], eols: readonly Eol[], finalNewline: boolean, dominant: '\n' | '\r\n'): string {
  let out = '';
  texts.forEach((text, i) => {
    const eol = eols[i] ?? '';
    const last = i === texts.length - 1;
    out += text + (last && !finalNewline ? '' : eol === '' ? dominant : eol);
  });
  return out;
}

/** A line of an alignment between a chunk's old lines and its new ones. */
export type AlignOp = ' ' | '-' | '+';

/**
 * The endings of `insert`, the lines replacing `removed` (whose endings are `removedEols`), given how the
 * chunk's old lines align with its new ones (`ops`: ' ' a line in both, '-' only old, '+' only new;
 * null when no alignment is known, then lines pair up by position).
 */
export function endingsFor(ops: readonly AlignOp[] | null, insertCount: number, removedEols: readonly Eol[], dominant: '\n' | '\r\n'): Eol[] {
  const out: Eol[] = [];
  if (ops === null) {
    for (let k = 0; k < insertCount; k++) out.push(removedEols[k] ?? dominant);
    return out;
  }
  let old = 0;
  let i = 0;
  while (i < ops.length) {
    if (ops[i] === ' ') {
      out.push(removedEols[old] ?? dominant);
      old++;
      i++;
      continue;
    }
    // A run of changed lines: its added lines take the endings of its removed ones, in order.
    const removedAt: number[] = [];
    let added = 0;
    for (; i < ops.length && ops[i] !== ' '; i++) {
      if (ops[i] === '-') removedAt.push(old++);
      else added++;
    }
    for (let k = 0; k < added; k++) {
      const at = removedAt[k];
      out.push(at === undefined ? dominant : (removedEols[at] ?? dominant));
    }
  }
  return out;
}

/** `contents` (written with `\n`) with the dominant ending of `replaced`, the file it overwrites ('' for none). */
export function likeReplaced(contents: string, replaced: string): string {
  return dominantEol(splitFile(replaced).eols) === '\r\n' ? contents.replace(/\n/g, '\r\n') : contents;
}
