/**
 * `opencodex archive ID|NAME`, `unarchive ID|NAME` and `delete ID|NAME [--yes]` (Codex 0.171's session
 * housekeeping; src/sessions/archive.ts). A session is named as `resume` names one: an id, a unique start of
 * one, a rollout file, or a name (among this directory's sessions; every directory with --all). `delete`
 * asks first unless `--yes` (Codex's `--force` works too); without a terminal to ask on, it refuses.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { resolveHome } from '../../config/index.js';
import { escapeLine, UsageError, UserError } from '../../shared/index.js';
import { globalOptions, workingRoot } from '../options.js';

type Store = 'active' | 'archived' | 'any';

interface HousekeepingOptions {
  all?: boolean;
  yes?: boolean;
  force?: boolean;
}

/** The thread id of the session `session` names in `store`. */
async function threadIdOf(cmd: Command, session: string, store: Store, all: boolean): Promise<{ home: string; id: string; path: string }> {
  const { findSession, parseRolloutName } = await import('../../sessions/index.js');
  const home = resolveHome();
  const path = findSession(home, { id: session, cwd: workingRoot(globalOptions(cmd)), all, store });
  const parsed = parseRolloutName(basename(path));
  if (!parsed) throw new UserError(escapeLine(`${path} is not a session file of ${home}`), { hint: 'pass a session id or name; list them with `opencodex sessions --all`' });
  return { home, id: parsed.id, path };
}

/**
 * Asks `question` on `output` and reads one line from `input`: true for y/yes (any case). End of input
 * counts as no.
 */
export async function confirm(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<boolean> {
  // Loaded here: every command's start-up would pay for it otherwise (this file is part of the exec bundle).
  const { createInterface } = await import('node:readline');
  return new Promise((resolvePromise) => {
    const rl = createInterface({ input, output, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolvePromise(/^\s*y(es)?\s*$/i.test(line));
    });
    rl.once('close', () => {
      if (!answered) resolvePromise(false);
    });
    output.write(question);
  });
}

/** One line about a session for the question: its name and first prompt, when it has them. */
async function describe(path: string): Promise<string> {
  const { readNameIndex, summarize } = await import('../../sessions/index.js');
  const s = summarize(path, readNameIndex(resolveHome()));
  if (!s) return '';
  const parts = [s.name ? `named ${s.name}` : '', s.first_prompt ? `"${s.first_prompt.replace(/\s+/g, ' ').slice(0, 60)}"` : ''].filter((p) => p !== '');
  return parts.length ? ` (${escapeLine(parts.join(', '))})` : '';
}

const allOption = (): Option => new Option('--all', 'look a name up among the sessions of every directory');

export function registerHousekeepingCommands(program: Command): void {
  program
    .command('archive')
    .description('archive a session: it leaves `sessions` and the resume picker, its files are kept (in <home>/archived_sessions)')
    .argument('<session>', 'session id (or a unique start of one) or name')
    .addOption(allOption())
    .action(async (session: string, opts: HousekeepingOptions, cmd: Command) => {
      const { home, id } = await threadIdOf(cmd, session, 'active', opts.all === true);
      const { archiveSession } = await import('../../sessions/index.js');
      archiveSession(home, id);
      process.stdout.write(`Archived session ${id}.\n`);
    });

  program
    .command('unarchive')
    .description('bring an archived session back (see `opencodex sessions --archived`)')
    .argument('<session>', 'session id (or a unique start of one) or name')
    .addOption(allOption())
    .action(async (session: string, opts: HousekeepingOptions, cmd: Command) => {
      const { home, id } = await threadIdOf(cmd, session, 'archived', opts.all === true);
      const { unarchiveSession } = await import('../../sessions/index.js');
      unarchiveSession(home, id);
      process.stdout.write(`Unarchived session ${id}.\n`);
    });

  program
    .command('delete')
    .description('delete a session for good: its rollout files (in use or archived) and its name; asks first unless --yes')
    .argument('<session>', 'session id (or a unique start of one) or name')
    .option('-y, --yes', 'do not ask')
    .addOption(new Option('--force', "Codex's name for --yes").hideHelp())
    .addOption(allOption())
    .action(async (session: string, opts: HousekeepingOptions, cmd: Command) => {
      const { home, id, path } = await threadIdOf(cmd, session, 'any', opts.all === true);
      const { deleteSession, refuseRunning } = await import('../../sessions/index.js');
      if (opts.yes !== true && opts.force !== true) {
        if (!process.stdin.isTTY || !process.stderr.isTTY) {
          throw new UsageError(`cannot ask before deleting session ${id} without a terminal`, 'add --yes to delete it without asking');
        }
        // Said before the question, so nobody confirms a deletion that cannot happen.
        refuseRunning(home, id, 'deleted');
        const ok = await confirm(`Delete session ${id}${await describe(path)}? This cannot be undone. [y/N] `, process.stdin, process.stderr);
        if (!ok) {
          process.stderr.write('Nothing deleted.\n');
          return;
        }
      }
      deleteSession(home, id);
      process.stdout.write(`Deleted session ${id}.\n`);
    });
}
