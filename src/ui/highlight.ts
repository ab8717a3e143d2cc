/**
 * A deliberately small syntax highlighter for code blocks: comments, strings, numbers and the keywords of
 * the common languages. It never changes the text, only paints it, so a block it does not understand
 * still reads correctly.
 */
import type { Style } from './style.js';

const KEYWORDS = new Set(
  (
    'abstract as async await break case catch class const continue def default del defer delete do elif else enum ' +
    'except export extends false final finally fn for from func function go if impl import in interface is lambda ' +
    'let loop match mod module mut new nil none null package pass private protected pub public raise readonly return ' +
    'self static struct super switch this throw trait true try type typeof undefined unsafe use var void where while ' +
    'with yield True False None local then end esac fi done echo export'
  ).split(' '),
);

const HASH_COMMENT = new Set(['py', 'python', 'sh', 'bash', 'zsh', 'shell', 'console', 'rb', 'ruby', 'toml', 'yaml', 'yml', 'perl', 'r', 'make', 'makefile', 'dockerfile', 'conf', 'ini']);

const TOKEN = /(\/\/.*$|\/\*.*?\*\/|#.*$|--.*$)|("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`(?:[^`\\]|\\.)*`?)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[\da-f]+\b)|([A-Za-z_$][\w$]*)/gi;

function highlightLine(line: string, lang: string, s: Style): string {
  const hash = HASH_COMMENT.has(lang);
  const dashes = lang === 'sql' || lang === 'lua' || lang === 'haskell';
  let out = '';
  let last = 0;
  for (const m of line.matchAll(TOKEN)) {
    const [text, comment, str, num, word] = m;
    const at = m.index;
    let painted: string | null = null;
    if (comment !== undefined) {
      const ok = comment.startsWith('#') ? hash || lang === '' : comment.startsWith('--') ? dashes : !hash;
      if (ok) {
        out += line.slice(last, at) + s.gray(line.slice(at));
        return out;
      }
      // Not a comment in this language: leave it as it is and go on after its first character.
      continue;
    }
    if (str !== undefined) painted = s.green(str);
    else if (num !== undefined) painted = s.magenta(num);
    else if (word !== undefined && KEYWORDS.has(word)) painted = s.cyan(word);
    if (painted !== null) {
      out += line.slice(last, at) + painted;
      last = at + text.length;
    }
  }
  return out + line.slice(last);
}

/** Paints a diff: additions green, removals red, hunk headers cyan, file headers bold. */
export function highlightDiffLine(line: string, s: Style): string {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) return s.bold(line);
  if (line.startsWith('+')) return s.green(line);
  if (line.startsWith('-')) return s.red(line);
  if (line.startsWith('@@')) return s.cyan(line);
  return line;
}

export function highlightCode(code: string, lang: string, s: Style): string {
  if (!s.color) return code;
  const l = lang.toLowerCase();
  if (l === 'diff' || l === 'patch') return code.split('\n').map((line) => highlightDiffLine(line, s)).join('\n');
  if (l === 'text' || l === 'txt' || l === 'plain' || l === 'markdown' || l === 'md') return code;
  return code.split('\n').map((line) => highlightLine(line, l, s)).join('\n');
}
