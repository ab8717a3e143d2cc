/**
 * `opencodex sessions [--all] [--json] [-n N]`: recent sessions in this directory (every directory with
 * --all), most recently updated first, with the id to resume, the time, the model, the name and the
 * first prompt. Reads only each rollout's head and tail (and the small name index). `--archived` lists the
 * archived sessions instead.
 * `opencodex sessions rename ID NAME`: names a thread, so `resume NAME` and `fork NAME` find it.
 */
import type { Command } from 'commander';
import type { SessionSummary } from '../../sessions/index.js';
import { resolveHome } from '../../config/index.js';
import { shellWord, UsageError } from '../../shared/index.js';
import { globalOptions, workingRoot } from '../options.js';

const PROMPT_WIDTH = 60;

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function oneLine(text: string | null): string {
  if (text === null) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PROMPT_WIDTH ? `${flat.slice(0, PROMPT_WIDTH - 1)}…` : flat;
}

export function registerSessionsCommand(program: Command): void {
  const sessions = program
    .command('sessions')
    .description('list recent sessions in this directory (id, last update, model, name, first prompt)')
    .option('--all', 'sessions from every directory')
    .option('--archived', 'the archived sessions instead (`opencodex archive`)')
    .option('--json', 'print JSON')
    .option('-n, --limit <n>', 'how many to list', '20')
    .action(async (opts: { all?: boolean; archived?: boolean; json?: boolean; limit: string }, cmd: Command) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${opts.limit} is not a positive whole number`, 'for example -n 50');
      const cwd = workingRoot(globalOptions(cmd));
      const [{ listSessions }, { renderTable }] = await Promise.all([import('../../sessions/index.js'), import('../table.js')]);
      const archived = opts.archived === true;
      const sessions = listSessions(resolveHome(), { cwd, all: opts.all === true, limit, archived, children: true });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(sessions, null, 2)}\n`);
        return;
      }
      if (sessions.length === 0) {
        const what = archived ? 'archived sessions' : 'sessions';
        process.stderr.write(opts.all ? `no ${what}${archived ? '' : ' yet'}\n` : `no ${what} in ${cwd} (add --all for every directory)\n`);
        return;
      }
      const header = ['ID', 'UPDATED', 'MODEL', 'NAME', ...(opts.all ? ['DIRECTORY'] : []), 'FIRST PROMPT'];
      const rows: string[][] = [];
      // A session's subagents follow it, indented (theirs below them): their nickname and role as the name,
      // their task as the prompt.
      const add = (s: SessionSummary, depth: number): void => {
        const label = depth === 0 ? (s.name ?? '') : [s.agent_nickname, s.agent_role ? `(${s.agent_role})` : undefined].filter(Boolean).join(' ');
        const row = [`${depth === 0 ? '' : `${'  '.repeat(depth - 1)}└ `}${s.id}`, when(s.updated_at), s.model ?? '?', label];
        if (opts.all) row.push(s.cwd);
        row.push(oneLine(s.first_prompt));
        rows.push(row);
        for (const c of s.children ?? []) add(c, depth + 1);
      };
      for (const s of sessions) add(s, 0);
      process.stdout.write(renderTable(header, rows));
      process.stderr.write(
        archived
          ? 'bring one back with: opencodex unarchive <id|name>; delete one with: opencodex delete <id|name>\n'
          : 'resume one with: opencodex exec resume <id|name> [prompt]; name one with: opencodex sessions rename <id> <name>\n',
      );
    });

  sessions
    .command('rename')
    .description('name a session, so `resume NAME`, `exec resume NAME` and `fork NAME` find it')
    .argument('<id>', 'session id, unique id prefix, rollout file, or current name')
    .argument('<name...>', 'the new name (words are joined with spaces)')
    .option('--all', 'look up a current name in every directory')
    .action(async (id: string, words: string[], opts: { all?: boolean }, cmd: Command) => {
      const cwd = workingRoot(globalOptions(cmd));
      const { findSession, renameSession } = await import('../../sessions/index.js');
      const home = resolveHome();
      // `sessions rename --all …` may be taken by the parent's own --all.
      const all = opts.all === true || (cmd.optsWithGlobals() as { all?: boolean }).all === true;
      const path = findSession(home, { id, cwd, all });
      const named = renameSession(home, path, words.join(' '));
      process.stderr.write(`session ${named.id} is now named ${named.name}; resume it with: opencodex resume ${shellWord(named.name)}\n`);
    });
}

