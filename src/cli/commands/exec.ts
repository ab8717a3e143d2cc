/**
 * `opencodex exec` (alias `e`): the non-interactive front end, `exec resume` to continue a thread, and
 * `exec fork` to continue a copy of one (a new thread; the original stays as it was).
 */
import { Option, type Command } from 'commander';
import type { ReviewTarget } from '../../agent/index.js';
import { escapeLine, UsageError } from '../../shared/index.js';
import { frontEndContext, resolveSettings } from '../settings.js';

interface ExecCliOptions {
  json?: boolean;
  experimentalJson?: boolean;
  outputLastMessage?: string;
  outputSchema?: string;
  color?: 'always' | 'never' | 'auto';
  skipGitRepoCheck?: boolean;
  ephemeral?: boolean;
  ignoreUserConfig?: boolean;
  threadSource?: string;
  cyberAccessProgram?: string;
}

interface ReviewCliOptions extends ExecCliOptions {
  uncommitted?: boolean;
  base?: string;
  commit?: string;
  title?: string;
}

interface ResumeCliOptions extends ExecCliOptions {
  last?: boolean;
  all?: boolean;
}

/** The exec options, on `exec` and again on `exec resume` (given before `resume`, they apply to it too). */
function addExecOptions(cmd: Command, defaults: boolean): Command {
  const color = new Option('--color <when>', 'color on stderr').choices(['always', 'never', 'auto']);
  return cmd
    .addOption(new Option('--json', 'print JSONL events on stdout instead of text'))
    .addOption(new Option('--experimental-json', 'alias of --json').hideHelp())
    .option('-o, --output-last-message <file>', 'also write the final message to this file')
    .option('--output-schema <file>', 'JSON Schema the final answer must follow')
    .addOption(defaults ? color.default('auto') : color)
    .option('--skip-git-repo-check', 'allow running outside a git repository')
    .option('--ephemeral', 'do not keep a session file for this run')
    .option('--ignore-user-config', 'do not read config.toml (auth still comes from the home)')
    // What a current @openai/codex-sdk (0.163) passes; accepted so that it runs, and ignored with a note.
    .addOption(new Option('--thread-source <source>', "the SDK's threadSource (ignored)").hideHelp())
    .addOption(new Option('--cyber-access-program <program>', "the SDK's cyberAccessProgram (ignored)").hideHelp());
}

/** Notes for the SDK options opencodex takes but cannot act on. */
function sdkOptionNotes(opts: ExecCliOptions): string[] {
  const notes: string[] = [];
  if (opts.threadSource !== undefined) notes.push(`note: --thread-source ${JSON.stringify(opts.threadSource)} is ignored: opencodex does not classify threads by source`);
  if (opts.cyberAccessProgram !== undefined) {
    notes.push(`note: --cyber-access-program ${JSON.stringify(opts.cyberAccessProgram)} is ignored: opencodex has no Cyber access programs`);
  }
  return notes.map(escapeLine);
}

async function run(
  cmd: Command,
  prompt: string | undefined,
  opts: ExecCliOptions,
  resume?: { id: string | undefined; last: boolean; all: boolean; fork: boolean },
  review?: ReviewTarget,
): Promise<void> {
  const settings = await resolveSettings(cmd, { interactive: false, ignoreUserConfig: opts.ignoreUserConfig === true, review: review !== undefined });
  // On stderr only: in --json mode a notice would become an item in the SDK user's results.
  for (const note of sdkOptionNotes(opts)) process.stderr.write(`${note}\n`);
  const { runExec } = await import('../../exec/index.js');
  process.exitCode = await runExec(
    {
      ...frontEndContext(settings),
      bypass: settings.options.dangerouslyBypassApprovalsAndSandbox === true,
      ...(resume ? { resume } : {}),
    },
    {
      prompt,
      json: opts.json === true || opts.experimentalJson === true,
      outputLastMessage: opts.outputLastMessage,
      outputSchema: opts.outputSchema,
      color: opts.color ?? 'auto',
      skipGitRepoCheck: opts.skipGitRepoCheck === true,
      ephemeral: opts.ephemeral === true,
      ...(review ? { review } : {}),
    },
  );
}

export function registerExecCommand(program: Command): void {
  const exec = addExecOptions(
    program
      .command('exec')
      .alias('e')
      .description('run the agent non-interactively: final answer on stdout, progress on stderr')
      .argument('[prompt]', 'the task; `-` or none reads it from stdin'),
    true,
  ).action(async (prompt: string | undefined, opts: ExecCliOptions, cmd: Command) => run(cmd, prompt, opts));

  registerReview(exec);
  registerContinue(exec, 'resume', 'continue an earlier session non-interactively (the latest one in this directory with --last)');
  registerContinue(exec, 'fork', 'continue a copy of an earlier session non-interactively, as a new session (the original stays as it was)');
}

/** What `exec review`'s options name: exactly one of the targets, or instructions (the prompt, or stdin). */
export function reviewTarget(prompt: string | undefined, o: Pick<ReviewCliOptions, 'uncommitted' | 'base' | 'commit' | 'title'>): ReviewTarget {
  const given = [o.uncommitted ? '--uncommitted' : '', o.base !== undefined ? '--base' : '', o.commit !== undefined ? '--commit' : '', prompt !== undefined ? 'instructions' : ''].filter((g) => g !== '');
  if (given.length > 1) throw new UsageError(`exec review takes one of --uncommitted, --base, --commit or instructions, not ${given.join(' and ')}`, 'review one thing at a time');
  if (o.title !== undefined && o.commit === undefined) throw new UsageError('--title goes with --commit', 'add --commit SHA, or drop --title');
  if (o.uncommitted) return { type: 'uncommittedChanges' };
  if (o.base !== undefined) return { type: 'baseBranch', branch: o.base };
  if (o.commit !== undefined) return { type: 'commit', sha: o.commit, ...(o.title !== undefined ? { title: o.title } : {}) };
  if (prompt === undefined && process.stdin.isTTY === true) {
    throw new UsageError('exec review needs something to review', 'give --uncommitted, --base BRANCH, --commit SHA, or review instructions');
  }
  // The instructions: the prompt argument, or stdin (`-` or none), read when the run starts.
  return { type: 'custom', instructions: '' };
}

/** `exec review`: a code review of uncommitted changes, a branch, a commit, or what the instructions say. */
function registerReview(exec: Command): void {
  addExecOptions(
    exec
      .command('review')
      .description('review code non-interactively: findings by priority on stdout (exit 0 whatever they are)')
      .argument('[prompt]', 'custom review instructions; `-` reads them from stdin')
      .option('--uncommitted', 'review the staged, unstaged and untracked changes')
      .option('--base <branch>', 'review the changes against BRANCH (since their merge base)')
      .option('--commit <sha>', 'review the changes a commit introduced')
      .option('--title <title>', 'with --commit: the title shown for it (default: its subject)'),
    false,
  ).action(async (prompt: string | undefined, opts: ReviewCliOptions, cmd: Command) => {
    const merged: ReviewCliOptions = { ...(cmd.parent?.opts() as ExecCliOptions), ...stripUndefined(opts) };
    return run(cmd, prompt, merged, undefined, reviewTarget(prompt, merged));
  });
}

/** `exec resume` and `exec fork`: the same session choice and options. */
function registerContinue(exec: Command, name: 'resume' | 'fork', description: string): void {
  addExecOptions(
    exec
      .command(name)
      .description(description)
      .argument('[session]', 'session id (or a unique start of one) or name; with --last, the prompt')
      .argument('[prompt]', 'the next prompt; `-` or none reads it from stdin')
      .option('--last', 'the most recently updated session in this directory')
      .option('--all', 'with --last or a name: look in every directory'),
    false,
  ).action(async (session: string | undefined, prompt: string | undefined, opts: ResumeCliOptions, cmd: Command) => {
    // Options given before `resume`/`fork` belong to `exec`; the ones after it win.
    const merged: ResumeCliOptions = { ...(cmd.parent?.opts() as ExecCliOptions), ...stripUndefined(opts) };
    const fork = name === 'fork';
    if (merged.last) {
      if (prompt !== undefined) throw new UsageError(`exec ${name} --last takes only a prompt`, 'drop the session id, or drop --last');
      return run(cmd, session, merged, { id: undefined, last: true, all: merged.all === true, fork });
    }
    if (session === undefined) throw new UsageError(`exec ${name} needs a session id, a name or --last`, 'list sessions with `opencodex sessions`');
    return run(cmd, prompt, merged, { id: session, last: false, all: merged.all === true, fork });
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
