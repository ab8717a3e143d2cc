/**
 * A TOML syntax error in words that say what was expected there (`unclosed string: expected '"'`,
 * `unclosed table header: expected ']'`), from smol-toml's TomlError (its message, line and column) and
 * the text around the position. Nothing from the file is echoed raw: quoted text is escaped.
 */
import { escapeLine } from '../shared/index.js';

export interface TomlErrorInfo {
  /** smol-toml's message, first line, without its `Invalid TOML document: ` prefix. */
  reason: string;
  /** 1-based. */
  line: number;
  column: number;
}

/** The offset in `text` of a 1-based line and column (lines split at `\n` or `\r\n`, as smol-toml does). */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) return text.length;
    at = nl + 1;
  }
  return Math.min(text.length, at + column - 1);
}

function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

/** The innermost `[` or `{` still open at `offset` (strings and comments skipped). */
function openBracket(text: string, offset: number): '[' | '{' | undefined {
  const stack: string[] = [];
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i] as string;
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < text.length && !text.startsWith(close, j) && (triple || text[j] !== '\n')) j += c === '"' && text[j] === '\\' ? 2 : 1;
      i = j + close.length - 1;
    } else if (c === '[' || c === '{') stack.push(c);
    else if (c === ']' || c === '}') stack.pop();
  }
  return stack[stack.length - 1] as '[' | '{' | undefined;
}

/** The quote of the last string opened on a line. */
function openQuote(line: string): string {
  const last = Math.max(line.lastIndexOf('"'), line.lastIndexOf("'"));
  return last === -1 ? '"' : (line[last] as string);
}

/** A short piece of the text at `offset` (a word, or one character), escaped for a terminal. */
function tokenAt(text: string, offset: number): string {
  const word = /^[^\s,\]}#=]+/.exec(text.slice(offset, offset + 40))?.[0] ?? text.charAt(offset);
  return escapeLine(word);
}

/** `']'`, or `"'"` for text with a single quote in it. */
const quoted = (s: string): string => (s.includes("'") ? `"${s}"` : `'${s}'`);

/** What went wrong at the error's position, saying what was expected there. */
export function describeTomlError(text: string, e: TomlErrorInfo): string {
  const at = offsetOf(text, e.line, e.column);
  const line = lineAt(text, at);
  const header = line.trimStart().startsWith('[');
  const arrayHeader = line.trimStart().startsWith('[[');
  const atEnd = at >= text.length || text[at] === '\n' || text[at] === '\r';
  switch (e.reason) {
    case 'unfinished string': {
      const q = text.startsWith('"""', at) ? '"""' : text.startsWith("'''", at) ? "'''" : text[at] === "'" ? "'" : '"';
      return `unclosed string: expected ${quoted(q)} to end the string that starts here${q.length === 1 ? ' (on the same line)' : ''}`;
    }
    case 'incomplete key-value: cannot find end of key':
      return header ? `unclosed table header: expected ${quoted(arrayHeader ? ']]' : ']')}` : `expected '=' after the key (key = value)`;
    case 'illegal character in key':
      if (header && atEnd) return `unclosed table header: expected ${quoted(arrayHeader ? ']]' : ']')}`;
      if (atEnd) return `expected '=' after the key (key = value)`;
      return `unexpected ${quoted(escapeLine(text.charAt(at)))} in a key: expected ${header ? "']'" : "'='"} (bare keys are letters, digits, '-' and '_'; quote any other key)`;
    case 'unexpected end of key':
      return header ? 'empty table name: expected a name between the brackets' : `missing key: expected a key before '='`;
    case 'illegal empty bare key':
      return 'empty key part: expected a key between the dots';
    case 'expected end of table array declaration':
      return `unclosed array-of-tables header: expected ']]'`;
    case 'invalid value': {
      if (atEnd) return `missing value: expected a value after '=' on the same line`;
      const token = tokenAt(text, at);
      const bareWord = /^[A-Za-z_][\w.-]*$/.test(token);
      return `invalid value ${quoted(token)}: expected a string in quotes, a number, true or false, a date, an array [ … ] or an inline table { … }${bareWord ? ` (a string needs quotes: "${token}")` : ''}`;
    }
    case 'expected comma or end of structure': {
      const close = openBracket(text, at) === '{' ? '}' : ']';
      const what = close === '}' ? 'inline table' : 'array';
      return at >= text.length ? `unclosed ${what}: expected ${quoted(close)}` : `expected ',' or ${quoted(close)} in the ${what}${close === '}' ? ' (an inline table stays on one line)' : ''}`;
    }
    case 'unfinished table':
      return `unclosed inline table: expected '}'`;
    case 'unfinished array':
      return `unclosed array: expected ']'`;
    case 'each key-value declaration must be followed by an end-of-line':
      return `expected the end of the line after the value, found ${quoted(tokenAt(text, at))} (one key = value per line)`;
    case 'trying to redefine an already defined table or value':
    case 'trying to redefine an already defined value': {
      const name = escapeLine((header ? line.trim().replace(/^\[+|\]+.*$/g, '') : line.split('=')[0] ?? '').trim());
      return header ? `table [${name}] is defined twice: expected each table once` : `key \`${name}\` is defined twice: expected each key once per table`;
    }
    case 'control characters are not allowed in strings':
      if (atEnd) return `unclosed string: expected ${quoted(openQuote(line))} before the end of the line (a string over several lines takes triple quotes)`;
      return 'a raw control character inside a string: expected an escape such as \\t or \\u001b instead';
    case 'control characters are not allowed in comments':
      return 'a raw control character in a comment: remove it';
    default:
      return escapeLine(e.reason);
  }
}
