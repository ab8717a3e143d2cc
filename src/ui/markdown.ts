/**
 * Markdown for the terminal, small on purpose: headings, emphasis, inline code, links, lists, quotes,
 * rules, tables (aligned columns) and fenced code blocks (highlighted). Lines are not wrapped here; the
 * terminal layer wraps them.
 * Also finds where a message that is still streaming can be cut, line by line.
 */
import { highlightCode } from './highlight.js';
import { textWidth, type Style } from './style.js';

const FENCE = /^\s{0,3}(```+|~~~+)\s*([\w+#.-]*)/;

function inline(text: string, s: Style): string {
  // Code spans first, so nothing inside them is treated as emphasis.
  const parts = text.split(/(`+[^`]*?`+)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) {
        const code = part.replace(/^`+\s?|\s?`+$/g, '');
        return s.color ? s.cyan(code) : part;
      }
      let out = part;
      out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, url: string) => (label === url ? s.underline(url) : `${label} ${s.dim(`(${url})`)}`));
      if (!s.attributes) return out;
      out = out.replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, (_m, _d, body: string) => s.bold(body));
      out = out.replace(/(^|[^\w*])\*(?=[^\s*])([^*]+?)(?<=\S)\*(?!\*)/g, (_m, pre: string, body: string) => pre + s.italic(body));
      out = out.replace(/(^|[^\w_])_(?=[^\s_])([^_]+?)(?<=\S)_(?![\w_])/g, (_m, pre: string, body: string) => pre + s.italic(body));
      out = out.replace(/~~(?=\S)(.+?)(?<=\S)~~/g, (_m, body: string) => s.dim(body));
      return out;
    })
    .join('');
}

const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

type Align = 'left' | 'right' | 'center';

/** The cells of a table row: split at the pipes that are not escaped, the outer ones dropped. */
function cells(row: string): string[] {
  let t = row.trim();
  if (t.startsWith('|')) t = t.slice(1);
  if (t.endsWith('|') && !t.endsWith('\\|')) t = t.slice(0, -1);
  return t.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** A GFM table starting at `lines[i]` (a header row, then its delimiter row): its rows, or null. */
function tableAt(lines: readonly string[], i: number): { rows: string[][]; align: Align[]; end: number } | null {
  const header = lines[i] ?? '';
  const delimiter = lines[i + 1] ?? '';
  if (!header.includes('|') || !DELIMITER_ROW.test(delimiter) || !delimiter.includes('-')) return null;
  const head = cells(header);
  const align = cells(delimiter).map((d): Align => (d.startsWith(':') && d.endsWith(':') ? 'center' : d.endsWith(':') ? 'right' : 'left'));
  if (head.length !== align.length) return null;
  const rows = [head];
  let end = i + 2;
  while (end < lines.length && (lines[end] ?? '').includes('|') && (lines[end] ?? '').trim() !== '') rows.push(cells(lines[end++] as string));
  return { rows, align, end };
}

/** A table in aligned columns: the header bold, a rule under it, columns parted by a dim `│`. */
function renderTable(rows: readonly string[][], align: readonly Align[], s: Style): string[] {
  const shown = rows.map((r, k) => align.map((_, c) => (k === 0 ? s.bold(inline(r[c] ?? '', s)) : inline(r[c] ?? '', s))));
  const widths = align.map((_, c) => Math.max(1, ...shown.map((r) => textWidth(r[c] ?? ''))));
  const pad = (text: string, c: number): string => {
    const gap = (widths[c] ?? 0) - textWidth(text);
    const a = align[c];
    if (a === 'right') return ' '.repeat(gap) + text;
    if (a === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(Math.ceil(gap / 2));
    return text + ' '.repeat(gap);
  };
  const row = (r: readonly string[]): string => r.map((t, c) => pad(t, c)).join(s.dim(' │ ')).replace(/ +$/, '');
  const rule = s.dim(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  return [row(shown[0] ?? []), rule, ...shown.slice(1).map(row)];
}

/** Renders Markdown as terminal text. */
export function renderMarkdown(markdown: string, s: Style): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: { marker: string; lang: string; body: string[] } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (fence) {
      const close = line.trim();
      if (close.startsWith(fence.marker) && close.replace(/[`~]/g, '') === '') {
        // (An empty block draws nothing: also the close of a block whose lines were drawn already.)
        if (fence.body.length > 0) out.push(highlightCode(fence.body.join('\n'), fence.lang, s));
        fence = null;
      } else {
        fence.body.push(line);
      }
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      fence = { marker: (open[1] as string).slice(0, 3), lang: open[2] ?? '', body: [] };
      continue;
    }
    const table = tableAt(lines, i);
    if (table) {
      out.push(...renderTable(table.rows, table.align, s));
      i = table.end - 1;
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const text = inline(heading[2] ?? '', s);
      out.push(s.attributes ? s.bold(heading[1] === '#' ? s.underline(text) : text) : line);
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push(s.dim('─'.repeat(20)));
      continue;
    }
    const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
    if (quote) {
      out.push(`${s.dim('│')} ${s.italic(inline(quote[1] ?? '', s))}`);
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(\[[ xX]\]\s+)?(.*)$/.exec(line);
    if (bullet) {
      const indent = bullet[1] ?? '';
      const task = bullet[2];
      const mark = task ? (/[xX]/.test(task) ? '✔' : '□') : '•';
      out.push(`${indent}${s.dim(mark)} ${inline(bullet[3] ?? '', s)}`);
      continue;
    }
    const numbered = /^(\s*)(\d+[.)])\s+(.*)$/.exec(line);
    if (numbered) {
      out.push(`${numbered[1] ?? ''}${s.dim(numbered[2] ?? '')} ${inline(numbered[3] ?? '', s)}`);
      continue;
    }
    out.push(inline(line, s));
  }
  // An unclosed fence (a message cut while streaming) draws what it has.
  if (fence && fence.body.length > 0) out.push(highlightCode(fence.body.join('\n'), fence.lang, s));
  return out.join('\n');
}

/**
 * Where a streaming message can be cut so that its beginning goes to the scrollback while the rest still
 * streams: after its last complete line that is not blank (blank lines wait for what follows them, so a
 * message never ends on a committed blank line). Every construct this renderer knows is drawn line by
 * line except fenced code (`fence` carries an open code fence across the cut) and tables (their rows
 * wait for the table to end).
 * `open` is the fence open at the start of `text` (its opening line, e.g. "```ts"), or null.
 */
export function completeLines(text: string, open: string | null): { length: number; fence: string | null } {
  let fence = open;
  let pos = 0;
  let cut = 0;
  let fenceAtCut = open;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl === -1) break; // the last line is still being written
    const line = text.slice(pos, nl);
    let opens = false;
    if (fence !== null) {
      const close = line.trim();
      if (close.startsWith(fence.slice(0, 3)) && close.replace(/[`~]/g, '') === '') fence = null;
    } else {
      const f = FENCE.exec(line);
      if (f) fence = `${(f[1] as string).slice(0, 3)}${f[2] ?? ''}`;
      opens = f !== null;
    }
    pos = nl + 1;
    // An opening fence waits, like a blank line, for its first line of code (alone it draws nothing); a
    // line that may be a table's row waits for the table's end (its columns depend on every row).
    const tableRow = fence === null && line.includes('|');
    if (line.trim() !== '' && !opens && !tableRow) {
      cut = pos;
      fenceAtCut = fence;
    }
  }
  return { length: cut, fence: fenceAtCut };
}
