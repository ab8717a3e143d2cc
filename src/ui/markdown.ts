/**
 * Markdown for the terminal: parsed with `marked`'s lexer, drawn as terminal text (see renderMarkdown).
 * Also finds where a message that is still streaming can be cut, line by line.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { highlightCode } from './highlight.js';
import { textWidth, type Style } from './style.js';

const FENCE = /^\s{0,3}(```+|~~~+)\s*([\w+#.-]*)/;

type Align = 'left' | 'right' | 'center';

/** Inline tokens as terminal text. */
function inline(tokens: readonly Token[] | undefined, s: Style): string {
  let out = '';
  for (const t of tokens ?? []) out += inlineToken(t, s);
  return out;
}

function inlineToken(t: Token, s: Style): string {
  switch (t.type) {
    case 'strong':
      return s.attributes ? s.bold(inline((t as Tokens.Strong).tokens, s)) : t.raw;
    case 'em':
      return s.attributes ? s.italic(inline((t as Tokens.Em).tokens, s)) : t.raw;
    case 'del':
      return s.attributes ? s.dim(inline((t as Tokens.Del).tokens, s)) : t.raw;
    case 'codespan':
      return s.color ? s.cyan((t as Tokens.Codespan).text) : t.raw;
    case 'link': {
      const l = t as Tokens.Link;
      const label = inline(l.tokens, s);
      return l.text === l.href ? s.underline(l.href) : `${label} ${s.dim(`(${l.href})`)}`;
    }
    case 'image': {
      const i = t as Tokens.Image;
      return `${i.text} ${s.dim(`(${i.href})`)}`;
    }
    case 'br':
      return '\n';
    case 'escape':
      return (t as Tokens.Escape).text;
    case 'text': {
      const x = t as Tokens.Text;
      return x.tokens ? inline(x.tokens, s) : x.text;
    }
    // html, and any inline the lexer adds later: as written.
    default:
      return t.raw;
  }
}

/** A table in aligned columns: the header bold, a rule under it, columns parted by a dim `│`. */
function renderTable(t: Tokens.Table, s: Style): string[] {
  const align: Align[] = t.align.map((a) => a ?? 'left');
  const shown = [t.header.map((c) => s.bold(inline(c.tokens, s))), ...t.rows.map((r) => r.map((c) => inline(c.tokens, s)))];
  const widths = align.map((_, c) => Math.max(1, ...shown.map((r) => textWidth(r[c] ?? ''))));
  const pad = (text: string, c: number): string => {
    const gap = (widths[c] ?? 0) - textWidth(text);
    const a = align[c];
    if (a === 'right') return ' '.repeat(gap) + text;
    if (a === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(Math.ceil(gap / 2));
    return text + ' '.repeat(gap);
  };
  const row = (r: readonly string[]): string => align.map((_, c) => pad(r[c] ?? '', c)).join(s.dim(' │ ')).replace(/ +$/, '');
  const rule = s.dim(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  return [row(shown[0] ?? []), rule, ...shown.slice(1).map(row)];
}

/** A list: each item behind its bullet (`•`, `✔`/`□` for tasks) or its number as written; nested blocks indented. */
function renderList(list: Tokens.List, s: Style): string[] {
  const out: string[] = [];
  list.items.forEach((item, k) => {
    const number = list.ordered ? (/^\s*(\d+[.)])/.exec(item.raw)?.[1] ?? `${Number(list.start || 1) + k}.`) : '';
    const mark = list.ordered ? number : item.task ? (item.checked ? '✔' : '□') : '•';
    const pad = ' '.repeat(list.ordered ? number.length + 1 : 2);
    const body = blocks(item.tokens.filter((t) => t.type !== 'checkbox'), s);
    const [first = '', ...rest] = body;
    out.push(`${s.dim(mark)} ${first}`, ...rest.map((l) => (l === '' ? '' : pad + l)));
    // A loose list keeps the blank lines between its items.
    if (k < list.items.length - 1 && /\n\s*\n\s*$/.test(item.raw)) out.push('');
  });
  return out;
}

/** One block as lines of terminal text. */
function block(t: Token, s: Style): string[] {
  switch (t.type) {
    case 'heading': {
      const h = t as Tokens.Heading;
      const text = inline(h.tokens, s);
      return [s.attributes ? s.bold(h.depth === 1 ? s.underline(text) : text) : h.raw.replace(/\n+$/, '')];
    }
    case 'paragraph':
      return inline((t as Tokens.Paragraph).tokens, s).split('\n');
    case 'text': {
      const x = t as Tokens.Text;
      return (x.tokens ? inline(x.tokens, s) : x.text).split('\n');
    }
    case 'list':
      return renderList(t as Tokens.List, s);
    case 'blockquote':
      return blocks((t as Tokens.Blockquote).tokens, s).map((l) => `${s.dim('│')} ${s.italic(l)}`);
    case 'code': {
      const c = t as Tokens.Code;
      // An empty block draws nothing (a fence just opened while streaming, or one whose lines were drawn).
      return c.text === '' ? [] : [highlightCode(c.text, c.lang ?? '', s)];
    }
    case 'table':
      return renderTable(t as Tokens.Table, s);
    case 'hr':
      return [s.dim('─'.repeat(20))];
    // html and anything else: as written.
    default:
      return t.raw.replace(/\n+$/, '').split('\n');
  }
}

const trailingBreaks = (raw: string): number => raw.length - raw.replace(/\n+$/, '').length;

/** Blocks as lines, with the blank lines between them as the source has them. */
function blocks(tokens: readonly Token[], s: Style): string[] {
  const out: string[] = [];
  let breaks = 0;
  for (const t of tokens) {
    if (t.type === 'space') {
      // Blank lines before the first block are kept too: a streamed message is drawn in parts.
      if (out.length === 0 && breaks === 0) for (let i = 0; i < trailingBreaks(t.raw); i++) out.push('');
      else breaks += trailingBreaks(t.raw);
      continue;
    }
    const lines = block(t, s);
    for (let i = 1; i < breaks; i++) out.push('');
    out.push(...lines);
    breaks = trailingBreaks(t.raw);
  }
  return out;
}

/**
 * Renders Markdown as terminal text: parsed by `marked` (CommonMark with GitHub's tables, task lists and
 * strikethrough), drawn here — headings bold, emphasis, inline code, links with their address, lists, quotes,
 * rules, tables in aligned columns and fenced code highlighted. Lines are not wrapped here; the terminal layer
 * wraps them. An unclosed code fence (a message cut while streaming) draws what it has.
 */
export function renderMarkdown(markdown: string, s: Style): string {
  return blocks(Lexer.lex(markdown.replace(/\r\n?/g, '\n'), { gfm: true }), s).join('\n');
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
