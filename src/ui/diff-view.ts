/**
 * A file's unified diff as the approval question shows it: a header naming the change and its +/- counts,
 * then each line numbered (new lines by their new number, removed lines by their old one), added lines
 * green, removed lines red, and `⋮` between hunks. The `---`/`+++`/`@@` lines are read, not shown.
 */
import { escapeControls } from '../shared/index.js';
import type { Style } from './style.js';

export interface DiffFile {
  /** The path as shown (relative to the session directory when inside it). */
  path: string;
  kind: 'add' | 'delete' | 'update';
  /** Destination of a move, as shown. */
  movePath?: string | undefined;
  diff: string;
}

type Row = { no: number | null; sign: ' ' | '+' | '-' | '\\' | '⋮'; text: string };

function rows(diff: string): Row[] {
  const out: Row[] = [];
  let oldNo = 0;
  let newNo = 0;
  let hunks = 0;
  for (const line of diff.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('--- ') || line.startsWith('+++ ')) continue;
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      if (hunks++ > 0) out.push({ no: null, sign: '⋮', text: '' });
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      continue;
    }
    const sign = line[0];
    // The file's own text: inert (a file may hold escape sequences).
    const text = escapeControls(line.slice(sign === '\\' ? 2 : 1));
    if (sign === '+') out.push({ no: newNo++, sign: '+', text });
    else if (sign === '-') out.push({ no: oldNo++, sign: '-', text });
    else if (sign === '\\') out.push({ no: null, sign: '\\', text });
    else if (hunks > 0) {
      out.push({ no: newNo++, sign: ' ', text });
      oldNo++;
    }
  }
  return out;
}

/** Added and removed line counts of a unified diff. */
export function diffCounts(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of diff.split('\n')) {
    if (l.startsWith('+') && !l.startsWith('+++ ')) added++;
    else if (l.startsWith('-') && !l.startsWith('--- ')) removed++;
  }
  return { added, removed };
}

/** One file of a patch: its header line, then its numbered, coloured lines. */
export function numberedDiff(f: DiffFile, s: Style): string[] {
  const { added, removed } = diffCounts(f.diff);
  const verb = f.kind === 'add' ? 'Add' : f.kind === 'delete' ? 'Delete' : f.movePath ? 'Move' : 'Edit';
  const where = f.movePath ? `${f.path} → ${f.movePath}` : f.path;
  const head = `${s.cyan('•')} ${s.bold(verb)} ${where} ${s.dim('(')}${s.green(`+${added}`)} ${s.red(`-${removed}`)}${s.dim(')')}`;
  const body = rows(f.diff);
  const width = Math.max(1, ...body.map((r) => (r.no === null ? 0 : String(r.no).length)));
  const lines = body.map((r) => {
    if (r.sign === '⋮') return `    ${s.dim('⋮'.padStart(width))}`;
    const no = s.dim((r.no === null ? '' : String(r.no)).padStart(width));
    if (r.sign === '+') return `    ${no} ${s.green(`+${r.text}`)}`;
    if (r.sign === '-') return `    ${no} ${s.red(`-${r.text}`)}`;
    if (r.sign === '\\') return `    ${no} ${s.dim(r.text)}`;
    return `    ${no}  ${r.text}`;
  });
  return [head, ...lines];
}
