/**
 * Markdown for the terminal, small on purpose: headings, emphasis, inline code, links, lists, quotes,
 * rules and fenced code blocks (highlighted). Lines are not wrapped here; the terminal layer wraps them.
 * Also finds where a message that is still streaming can be cut into finished blocks.
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
        out.push(highlightCode(fence.body.join('\n'), fence.lang, s));
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
  if (fence) out.push(highlightCode(fence.body.join('\n'), fence.lang, s));
  return out.join('\n');
}

/**
 * The length of the leading part of a streaming message that is made of finished blocks: everything up
 * to the last blank line that is outside a code block and followed by more text. 0 when there is none.
 */
export function finishedPrefix(text: string): number {
  let inFence: string | null = null;
  let cut = 0;
  let pos = 0;
  let blankAt = -1;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl === -1) break; // the last line is still being written
    const line = text.slice(pos, nl);
    const fence = FENCE.exec(line);
    if (inFence) {
      if (line.trim().startsWith(inFence) && line.trim().replace(/[`~]/g, '') === '') inFence = null;
    } else if (fence) {
      inFence = (fence[1] as string).slice(0, 3);
    }
    if (!inFence && line.trim() === '') {
      blankAt = nl + 1;
    } else if (blankAt !== -1 && !inFence) {
      // Text after a blank line: everything before the blank line is finished.
      cut = blankAt;
      blankAt = -1;
    } else if (fence && blankAt !== -1) {
      cut = blankAt;
      blankAt = -1;
    }
    pos = nl + 1;
  }
  if (blankAt !== -1 && pos < text.length && !inFence) cut = blankAt;
  return cut;
}
