/**
 * A deliberately small shell parser for approval decisions: it accepts only scripts made of plain
 * commands (literal words, single- or double-quoted strings without expansions) joined by `&&`, `||`,
 * `;`, `|` or newlines, and refuses everything else (redirections, substitutions, variables, subshells,
 * background jobs, assignments). Refusing is always safe: the caller then treats the script as opaque.
 */

const SHELLS = new Set(['bash', 'zsh', 'sh', 'dash']);

/** `["bash", "-lc", script]` → script (also `-c`, zsh/sh/dash, absolute shell paths). */
export function shellScript(argv: readonly string[]): string | null {
  if (argv.length !== 3) return null;
  const [shell, flag, script] = argv as [string, string, string];
  const name = shell.slice(shell.lastIndexOf('/') + 1);
  if (!SHELLS.has(name)) return null;
  if (flag !== '-c' && flag !== '-lc') return null;
  return script;
}

// Characters that make a script more than plain commands when they appear unquoted.
const SPECIAL = new Set(['<', '>', '(', ')', '$', '`', '{', '}', '\\']);

/** Splits a script into plain commands, or returns null when it is anything more. */
export function parsePlainCommands(script: string): string[][] | null {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): boolean => {
    endWord();
    if (words.length === 0) return false;
    commands.push(words);
    words = [];
    return true;
  };
  let i = 0;
  while (i < script.length) {
    const ch = script[i] as string;
    const next = script[i + 1];
    if (ch === ' ' || ch === '\t') {
      endWord();
      i++;
    } else if (ch === '\n' || ch === ';') {
      // An empty command is fine between newlines, not before `;`.
      if (!endCommand() && ch === ';') return null;
      i++;
    } else if ((ch === '&' && next === '&') || (ch === '|' && next === '|')) {
      if (!endCommand()) return null;
      i += 2;
    } else if (ch === '|') {
      if (!endCommand()) return null;
      i++;
    } else if (ch === '&' || (ch === '#' && !inWord)) {
      return null;
    } else if (ch === "'") {
      const close = script.indexOf("'", i + 1);
      if (close < 0) return null;
      word += script.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (ch === '"') {
      const close = script.indexOf('"', i + 1);
      if (close < 0) return null;
      const body = script.slice(i + 1, close);
      if (/[$`\\!]/.test(body)) return null;
      word += body;
      inWord = true;
      i = close + 1;
    } else if (SPECIAL.has(ch)) {
      return null;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  endWord();
  if (words.length > 0) commands.push(words);
  else if (commands.length > 0 && /(&&|\|\|?)\s*$/.test(script)) return null;
  if (commands.length === 0) return null;
  // `NAME=value cmd` changes the environment of cmd; not a plain command.
  if (commands.some((c) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(c[0] as string))) return null;
  return commands;
}

/** The commands an argv runs: the argv itself, or each plain command of a `bash -lc` script. */
export function commandsOf(argv: readonly string[]): string[][] | null {
  const script = shellScript(argv);
  if (script === null) return [[...argv]];
  return parsePlainCommands(script);
}
