/**
 * Recognising apply_patch sent through a shell tool (codex-compat.md §4.4, "Interception"): argv
 * `["apply_patch", PATCH]` (or `applypatch`), and `bash|zsh|sh -c|-lc` scripts that are exactly
 * `[cd DIR &&] apply_patch <<'EOF' … EOF` and nothing else. Such calls are applied in-process like the
 * apply_patch tool instead of running a program. A bare patch given as the command is answered with an
 * error asking for an explicit apply_patch call.
 */
import { basename } from 'node:path';
import { parsePatch } from './parser.js';

export type PatchInvocation =
  | { kind: 'none' }
  /** `workdir`: the `cd` target of the script, relative to the call's working directory, if any. */
  | { kind: 'patch'; patch: string; workdir: string | null }
  /** The command is a patch body with no apply_patch in front of it. */
  | { kind: 'implicit' };

export const IMPLICIT_INVOCATION_MESSAGE = 'patch detected without explicit call to apply_patch. Rerun as ["apply_patch", "<patch>"]';

const PATCH_COMMANDS = new Set(['apply_patch', 'applypatch']);
const SHELLS = new Set(['bash', 'zsh', 'sh']);

/** The script of `bash|zsh|sh -c|-lc SCRIPT`, else null. */
function shellScript(argv: readonly string[]): string | null {
  if (argv.length !== 3) return null;
  const [shell, flag, script] = argv as [string, string, string];
  const name = basename(shell).replace(/\.[^.]*$/, '').toLowerCase();
  return SHELLS.has(name) && (flag === '-c' || flag === '-lc') ? script : null;
}

function isPatch(text: string): boolean {
  try {
    parsePatch(text);
    return true;
  } catch {
    return false;
  }
}

/** A `cd` argument: a bare word, a single-quoted string, or a double-quoted string without expansions. */
const CD_ARG = String.raw`'[^']*'|"[^"$\x60\\]*"|[^\s'"$\x60\\;&|<>()]+`;
const HEREDOC_HEAD = new RegExp(
  String.raw`^\s*(?:cd[ \t]+(${CD_ARG})[ \t]*&&[ \t]*)?(?:apply_patch|applypatch)[ \t]*<<[ \t]*(?:'(\w+)'|"(\w+)"|(\w+))[ \t]*\r?\n`,
);

function unquote(arg: string): string {
  return (arg.startsWith("'") && arg.endsWith("'")) || (arg.startsWith('"') && arg.endsWith('"')) ? arg.slice(1, -1) : arg;
}

/** The heredoc body and `cd` target of a script that is only `[cd DIR &&] apply_patch <<DELIM … DELIM`. */
export function extractHeredocPatch(script: string): { patch: string; workdir: string | null } | null {
  const head = HEREDOC_HEAD.exec(script);
  if (!head) return null;
  const delimiter = head[2] ?? head[3] ?? head[4] ?? '';
  const rest = script.slice(head[0].length).split('\n');
  const end = rest.findIndex((line) => line.replace(/\r$/, '') === delimiter);
  if (end < 0) return null;
  // Nothing may follow the heredoc but whitespace.
  if (rest.slice(end + 1).join('\n').trim() !== '') return null;
  const patch = rest.slice(0, end).join('\n').replace(/\n+$/, '');
  return { patch, workdir: head[1] === undefined ? null : unquote(head[1]) };
}

export function detectPatchInvocation(argv: readonly string[]): PatchInvocation {
  if (argv.length === 2 && PATCH_COMMANDS.has(argv[0] as string)) return { kind: 'patch', patch: argv[1] as string, workdir: null };
  if (argv.length === 1 && isPatch(argv[0] as string)) return { kind: 'implicit' };
  const script = shellScript(argv);
  if (script === null) return { kind: 'none' };
  if (isPatch(script)) return { kind: 'implicit' };
  const heredoc = extractHeredocPatch(script);
  return heredoc ? { kind: 'patch', ...heredoc } : { kind: 'none' };
}
