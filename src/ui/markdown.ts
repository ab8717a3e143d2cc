/**
 * Markdown for the terminal, small on purpose: headings, emphasis, inline code, links, lists, quotes,
 * rules and fenced code blocks (highlighted). Lines are not wrapped here; the terminal layer wraps them.
 * Also finds where a message that is still streaming can be cut, line by line.
 */
import { highlightCode } from './highlight.js';
import type { Style } from './style.js';

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

/** Renders Markdown as terminal text. */
export function renderMarkdown(markdown: string, s: Style): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: { marker: string; lang: string; body: string[] } | null = null;
  for (const line of lines) {
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
 * line except fenced code, so a cut can fall anywhere; `fence` carries an open code fence across the cut.
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
    // An opening fence waits, like a blank line, for its first line of code (alone it draws nothing).
    if (line.trim() !== '' && !opens) {
      cut = pos;
      fenceAtCut = fence;
    }
  }
  return { length: cut, fence: fenceAtCut };
}
