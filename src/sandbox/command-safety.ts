/**
 * Command classification for approvals: the known-safe allowlist (read-only commands that never need a
 * question) and the "might be dangerous" detector (destructive commands that always do), following
 * Codex's lists (codex-compat.md §5.3).
 */
import { commandsOf } from './shell-parse.js';

const SAFE_PROGRAMS = new Set([
  'cat', 'cd', 'cut', 'echo', 'expr', 'false', 'grep', 'head', 'id', 'ls', 'nl', 'paste', 'pwd', 'rev', 'seq',
  'stat', 'tail', 'tr', 'true', 'uname', 'uniq', 'wc', 'which', 'whoami',
]);
const SAFE_ON_LINUX = new Set(['numfmt', 'tac']);

const FIND_UNSAFE = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fls', '-fprint', '-fprint0', '-fprintf']);
const RG_UNSAFE_WITH_VALUE = ['--pre', '--hostname-bin'];
const RG_UNSAFE = new Set(['--search-zip', '-z']);

const GIT_READ_SUBCOMMANDS = new Set(['status', 'log', 'diff', 'show', 'branch']);
/** Options that make git run programs or write files even in read-only subcommands. */
const GIT_UNSAFE_OPTION = /^--(output|ext-diff|textconv|exec|upload-pack|open-files-in-pager)(=|$)/;
const GIT_BRANCH_READ_FLAGS = /^(-a|--all|-r|--remotes|-v|-vv|--verbose|-l|--list|--show-current|--no-color|--color(=.*)?|--no-abbrev|--abbrev=.*|--contains(=.*)?|--no-contains(=.*)?|--merged(=.*)?|--no-merged(=.*)?|--points-at(=.*)?|--sort=.*|--format=.*|--column(=.*)?|--no-column|-i|--ignore-case)$/;

function base(program: string): string {
  return program.slice(program.lastIndexOf('/') + 1);
}

function isSafeGit(args: readonly string[]): boolean {
  const [sub, ...rest] = args;
  // Global options (`-c`, `-C`, `--git-dir`, `--work-tree`, …) can redirect config or repository.
  if (sub === undefined || sub.startsWith('-') || !GIT_READ_SUBCOMMANDS.has(sub)) return false;
  if (rest.some((a) => GIT_UNSAFE_OPTION.test(a))) return false;
  if (sub === 'branch') {
    const listing = rest.includes('--list') || rest.includes('-l');
    // Without --list a positional argument creates a branch.
    return rest.every((a) => GIT_BRANCH_READ_FLAGS.test(a) || (listing && !a.startsWith('-')));
  }
  return true;
}

/** One plain command (no shell involved). */
export function isSafeSingleCommand(argv: readonly string[]): boolean {
  const [program, ...args] = argv;
  if (program === undefined) return false;
  const name = base(program);
  if (SAFE_PROGRAMS.has(name)) return true;
  if (SAFE_ON_LINUX.has(name)) return process.platform === 'linux';
  switch (name) {
    case 'find':
      return !args.some((a) => FIND_UNSAFE.has(a));
    case 'rg':
      return !args.some((a) => RG_UNSAFE.has(a) || RG_UNSAFE_WITH_VALUE.some((o) => a === o || a.startsWith(`${o}=`)));
    case 'git':
      return isSafeGit(args);
    case 'sed':
      return (argv.length === 3 || argv.length === 4) && args[0] === '-n' && /^\d+(,\d+)?p$/.test(args[1] ?? '');
    default:
      return false;
  }
}

/**
 * True when the command only reads: an allowlisted command, or a `bash -lc` script made of nothing but
 * allowlisted plain commands joined by `&&`, `||`, `;` or `|`.
 */
export function isKnownSafeCommand(argv: readonly string[]): boolean {
  const commands = commandsOf(argv);
  return commands !== null && commands.length > 0 && commands.every(isSafeSingleCommand);
}

const PREFIXES = new Set(['sudo', 'doas', 'command', 'nice', 'nohup', 'time', 'xargs']);

/** Strips wrappers that run another command (`sudo`, `env A=b`, `xargs`, …) and their options. */
function unwrap(argv: readonly string[]): readonly string[] {
  let rest = argv;
  for (;;) {
    const name = base(rest[0] ?? '');
    if (name === 'env') {
      let i = 1;
      while (i < rest.length && (rest[i]?.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[i] ?? ''))) i++;
      rest = rest.slice(i);
    } else if (PREFIXES.has(name)) {
      let i = 1;
      while (i < rest.length && rest[i]?.startsWith('-')) i++;
      rest = rest.slice(i);
    } else {
      return rest;
    }
  }
}

/** Short options in one word (`-rf`) or long ones, as a set of flag names. */
function flags(args: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const a of args) {
    if (a === '--') break;
    if (a.startsWith('--')) out.add(a.split('=')[0] as string);
    else if (a.startsWith('-') && a.length > 1) for (const ch of a.slice(1)) out.add(`-${ch}`);
  }
  return out;
}

/** The git subcommand after global options (`-C dir`, `-c k=v`, `--git-dir=…`). */
function gitSubcommand(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-C' || a === '-c' || a === '--git-dir' || a === '--work-tree' || a === '--namespace') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

function isDangerousSingle(argv: readonly string[]): boolean {
  const cmd = unwrap(argv);
  const name = base(cmd[0] ?? '');
  const args = cmd.slice(1);
  const f = flags(args);
  switch (name) {
    case 'rm':
      // Any forced or recursive removal, however the flags are spelled (-f, -rf, -Rf, -fr, --force, -r …).
      return ['-f', '-r', '-R', '--force', '--recursive'].some((x) => f.has(x));
    case 'git': {
      const sub = gitSubcommand(args);
      if (sub === 'reset' || sub === 'rm' || sub === 'clean') return true;
      if (sub === 'push') return f.has('--force') || f.has('-f') || f.has('--force-with-lease') || f.has('--mirror') || f.has('--delete');
      if (sub === 'checkout' || sub === 'restore') return args.includes('--') || f.has('-f') || f.has('--force');
      return false;
    }
    case 'dd':
      return args.some((a) => a.startsWith('of='));
    case 'shred':
    case 'wipefs':
      return true;
    default:
      return /^mkfs(\.|$)/.test(name);
  }
}

/**
 * True when the command could destroy data: forced/recursive `rm`, `git reset|rm|clean`, forced `git push`,
 * discarding `git checkout -- …`, `dd of=…`, `mkfs`, `shred` — directly, behind `sudo`/`env`/`xargs`, or
 * anywhere inside a `bash -lc` script (an unparseable script is judged by each `&&`/`;`/`|` piece's words).
 */
export function commandMightBeDangerous(argv: readonly string[]): boolean {
  if (isDangerousSingle(argv)) return true;
  const commands = commandsOf(argv);
  if (commands) return commands.some(isDangerousSingle);
  // A script too complex to parse: still catch a destructive command among its pieces.
  const script = argv[2] ?? '';
  return script
    .split(/&&|\|\||[;|\n&()`]|\$\(/)
    .map((piece) => piece.trim().split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, '')))
    .some((words) => words[0] !== '' && isDangerousSingle(words));
}
