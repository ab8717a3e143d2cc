/**
 * The interactive session: `opencodex [PROMPT]`, `opencodex resume`, `opencodex fork` and `opencodex review`. The UI (ink and React) is
 * imported only here, when a session starts, so other commands stay fast.
 */
import type { Command } from 'commander';
import type { ReviewTarget } from '../../agent/index.js';
import { UsageError, UserError } from '../../shared/index.js';
import { globalOptions, workingRoot } from '../options.js';
import { frontEndContext, resolveSettings } from '../settings.js';

interface InteractiveCliOptions {
  altScreen?: boolean;
}

async function start(cmd: Command, prompt: string | undefined, opts: InteractiveCliOptions, resume?: ResumeChoice, review?: ReviewTarget | 'pick'): Promise<void> {
  let settings = await resolveSettings(cmd, { interactive: true });
  const { askTrust, needsTrustQuestion, runInteractive } = await import('../../ui/index.js');
  // First run in a project with no trust decision: ask, record the answer as Codex does, and load again
  // (the answer changes the sandbox default and whether the project's config files count).
  const project = settings.loaded.project;
  if (project && needsTrustQuestion(settings.loaded) && process.stdin.isTTY && process.stdout.isTTY) {
    const answer = await askTrust({ cwd: settings.cwd, target: project.trustTarget });
    if (answer === 'quit') return;
    const { setProjectTrust } = await import('../../config/index.js');
    setProjectTrust(settings.loaded.configFile, project.trustTarget, answer);
    settings = await resolveSettings(cmd, { interactive: true });
    settings.notices.push(`note: ${project.trustTarget} is now ${answer} (trust_level in ${settings.loaded.configFile})`);
  }
  if (review) settings = await forReview(settings, review);
  process.exitCode = await runInteractive(
    frontEndContext(settings),
    { prompt, altScreen: opts.altScreen === true || cmd.optsWithGlobals<InteractiveCliOptions>().altScreen === true, ...(resume ? { resume } : {}), ...(review ? { review } : {}) },
  );
}

/**
 * `opencodex review`: `-m` names the review's model (as for `exec review`), and a target with nothing to
 * review is refused before the screen is taken over.
 */
async function forReview(settings: Awaited<ReturnType<typeof resolveSettings>>, review: ReviewTarget | 'pick'): Promise<Awaited<ReturnType<typeof resolveSettings>>> {
  if (review !== 'pick' && review.type !== 'custom') {
    const { prepareReview } = await import('../../agent/index.js');
    prepareReview(settings.cwd, review);
  }
  const model = settings.options.model;
  return model === undefined ? settings : { ...settings, loaded: { ...settings.loaded, config: { ...settings.loaded.config, review_model: model } } };
}

interface ReviewCliOptions extends InteractiveCliOptions {
  uncommitted?: boolean;
  base?: string;
  commit?: string;
  title?: string;
}

/** What `opencodex review`'s options name: one target, instructions, or nothing (the picker). */
export function interactiveReviewTarget(prompt: string | undefined, o: ReviewCliOptions): ReviewTarget | 'pick' {
  const given = [o.uncommitted ? '--uncommitted' : '', o.base !== undefined ? '--base' : '', o.commit !== undefined ? '--commit' : '', prompt !== undefined ? 'instructions' : ''].filter((g) => g !== '');
  if (given.length > 1) throw new UsageError(`review takes one of --uncommitted, --base, --commit or instructions, not ${given.join(' and ')}`, 'review one thing at a time');
  if (o.title !== undefined && o.commit === undefined) throw new UsageError('--title goes with --commit', 'add --commit SHA, or drop --title');
  if (o.uncommitted) return { type: 'uncommittedChanges' };
  if (o.base !== undefined) return { type: 'baseBranch', branch: o.base };
  if (o.commit !== undefined) return { type: 'commit', sha: o.commit, ...(o.title !== undefined ? { title: o.title } : {}) };
  if (prompt !== undefined && prompt.trim() === '') throw new UsageError('the review instructions are empty', 'say what to review, or leave them out to pick from a list');
  return prompt !== undefined ? { type: 'custom', instructions: prompt } : 'pick';
}

interface ResumeChoice {
  id?: string | undefined;
  last: boolean;
  all: boolean;
  fork?: boolean;
}

/** `opencodex resume` or `fork` without a terminal and without an id: the recent sessions, to pick one from. */
async function listForResume(cmd: Command, all: boolean, verb: 'resume' | 'fork'): Promise<void> {
  const [{ resolveHome }, { listSessions }, { renderTable }] = await Promise.all([
    import('../../config/index.js'),
    import('../../sessions/index.js'),
    import('../table.js'),
  ]);
  const cwd = workingRoot(globalOptions(cmd));
  const sessions = listSessions(resolveHome(), { cwd, all, limit: 20 });
  if (sessions.length === 0) {
    process.stderr.write(all ? 'no sessions yet\n' : `no sessions in ${cwd} (add --all for every directory)\n`);
    return;
  }
  const rows = sessions.map((s) => [s.id, s.updated_at.slice(0, 16).replace('T', ' '), s.model ?? '?', s.name ?? '', (s.first_prompt ?? '').replace(/\s+/g, ' ').slice(0, 60)]);
  process.stdout.write(renderTable(['ID', 'UPDATED', 'MODEL', 'NAME', 'FIRST PROMPT'], rows));
  process.stderr.write(`${verb} one with \`opencodex ${verb} ID\` or \`opencodex ${verb} NAME\` (in a terminal)\n`);
}

export function registerInteractive(program: Command): void {
  program.argument('[prompt]', 'first prompt for the interactive session');
  program.option('--alt-screen', 'draw the interactive session on the alternate screen (PgUp/PgDn scroll the conversation; nothing is left in the terminal scrollback)');
  program.action(async (prompt: string | undefined, opts: InteractiveCliOptions, cmd: Command) => start(cmd, prompt, opts));

  program
    .command('resume')
    .description('resume an earlier session, optionally with the next prompt')
    .argument('[session]', 'session id or name; with --last, the prompt')
    .argument('[prompt]', 'the next prompt, sent once the session is open')
    .option('--last', 'the most recent session in this directory')
    .option('--all', 'do not filter sessions by directory')
    .action(async (session: string | undefined, prompt: string | undefined, opts: { last?: boolean; all?: boolean }, cmd: Command) => {
      const all = opts.all === true;
      const last = opts.last === true;
      if (session === undefined && !last && !(process.stdin.isTTY && process.stdout.isTTY)) return listForResume(cmd, all, 'resume');
      // As Codex: `resume ID PROMPT`, and with --last the one positional given is the prompt.
      if (last) {
        if (prompt !== undefined) throw new UsageError('resume --last takes only a prompt', 'drop the session id, or drop --last');
        await start(cmd, session, {}, { id: undefined, last, all });
      } else await start(cmd, prompt, {}, { id: session, last, all });
    });

  program
    .command('review')
    .description('review code in the interactive session: uncommitted changes, a branch, a commit, or what the instructions say (a picker without any)')
    .argument('[prompt]', 'custom review instructions')
    .option('--uncommitted', 'review the staged, unstaged and untracked changes')
    .option('--base <branch>', 'review the changes against BRANCH (since their merge base)')
    .option('--commit <sha>', 'review the changes a commit introduced')
    .option('--title <title>', 'the commit title shown with --commit')
    .action(async (prompt: string | undefined, opts: ReviewCliOptions, cmd: Command) => {
      const target = interactiveReviewTarget(prompt, opts);
      if (!(process.stdin.isTTY && process.stdout.isTTY)) {
        throw new UserError('the interactive review needs a terminal (stdin and stdout)', { hint: 'use `opencodex exec review` for a review without one' });
      }
      await start(cmd, undefined, {}, undefined, target);
    });

  program
    .command('fork')
    .description('copy an earlier session into a new one and continue that (the original stays as it was)')
    .argument('[session]', 'session id or name; with --last, the prompt')
    .argument('[prompt]', 'first prompt for the new session')
    .option('--last', 'the most recent session in this directory')
    .option('--all', 'do not filter sessions by directory')
    .action(async (session: string | undefined, prompt: string | undefined, opts: { last?: boolean; all?: boolean }, cmd: Command) => {
      const all = opts.all === true;
      const last = opts.last === true;
      if (session === undefined && !last && !(process.stdin.isTTY && process.stdout.isTTY)) return listForResume(cmd, all, 'fork');
      // With --last the one positional given is the prompt.
      if (last) await start(cmd, prompt ?? session, {}, { id: undefined, last, all, fork: true });
      else await start(cmd, prompt, {}, { id: session, last, all, fork: true });
    });
}
