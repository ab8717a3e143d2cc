/**
 * `opencodex sandbox [--full-auto|-s MODE] -- CMD…` (Codex 0.171's form) and `opencodex sandbox linux …`
 * (the older one): runs any command under the sandbox the agent's commands get, with the same config
 * (sandbox_mode, [sandbox_workspace_write], --add-dir, [shell_environment_policy]), so users can see what
 * it allows. Exits with the command's exit code.
 */
import type { ChildProcess } from 'node:child_process';
import type { Command } from 'commander';
import { UsageError } from '../../shared/index.js';
import { printNotices, resolveSettings } from '../settings.js';

async function runSandboxed(argv: string[], cmd: Command): Promise<number> {
  const settings = await resolveSettings(cmd, { interactive: false });
  const { applyEnvPolicy, planSpawn, startPlan, ProgramNotFoundError, sandboxPolicyFromConfig } = await import('../../sandbox/index.js');
  const { config } = settings.loaded;
  const { policy, warnings } = sandboxPolicyFromConfig(config, settings.cwd, settings.options.addDir);
  printNotices([...settings.notices, ...warnings]);
  let plan;
  try {
    plan = planSpawn({ policy, argv, cwd: settings.cwd, root: settings.cwd, env: applyEnvPolicy(config.shell_environment_policy) });
  } catch (err) {
    if (!(err instanceof ProgramNotFoundError)) throw err;
    // As a shell says it: the command's own status, not opencodex's.
    process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  const { constants } = await import('node:os');
  // As a shell with a foreground job: the terminal sends SIGINT/SIGQUIT to the whole group (the command
  // has it already), others are passed on; we wait for the command to end, then clean up its mount points.
  let child: ChildProcess | undefined;
  let pending: NodeJS.Signals | undefined;
  for (const sig of ['SIGINT', 'SIGQUIT'] as const) process.on(sig, () => undefined);
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.on(sig, () => (child ? child.kill(sig) : (pending = sig)));
  const started = startPlan(plan, ['inherit', 'inherit', 'inherit']);
  child = started.child;
  if (pending) child.kill(pending);
  return new Promise<number>((resolve) => {
    started.child.on('error', (err) => {
      started.release();
      process.stderr.write(`error: cannot run ${argv[0] ?? ''}: ${err.message}\n`);
      resolve(127);
    });
    started.child.on('exit', (code, signal) => {
      started.release();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

const EXAMPLES =
  '\nExamples:\n  opencodex sandbox -- touch x            # read-only: fails\n' +
  '  opencodex sandbox --full-auto -- touch x # workspace-write: works in the current directory\n' +
  '  opencodex sandbox -s workspace-write -c sandbox_workspace_write.network_access=true -- curl -I https://example.com\n' +
  '  (`opencodex sandbox linux -- CMD` is the same)';

export function registerSandboxCommand(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('run a command under the sandbox that commands run by the model get (read-only unless -s or --full-auto says otherwise)')
    .usage('[options] -- <command...>')
    .argument('[command...]', 'the command and its arguments; put them after -- when they have options')
    .addHelpText('after', EXAMPLES)
    .action(async (command: string[], _opts: unknown, cmd: Command) => {
      if (command.length === 0) throw new UsageError('sandbox needs a command to run', 'for example `opencodex sandbox -- ls`');
      process.exitCode = await runSandboxed(command, cmd);
    });
  sandbox
    .command('linux')
    .description('run a command under bubblewrap with the configured policy (read-only unless -s or --full-auto says otherwise)')
    .argument('<command...>', 'the command and its arguments; put them after -- when they have options')
    .addHelpText(
      'after',
      '\nExamples:\n  opencodex sandbox linux -- touch x            # read-only: fails\n' +
        '  opencodex sandbox linux --full-auto -- touch x # workspace-write: works in the current directory\n' +
        '  opencodex sandbox linux -s workspace-write -c sandbox_workspace_write.network_access=true -- curl -I https://example.com',
    )
    .action(async (command: string[], _opts: unknown, cmd: Command) => {
      process.exitCode = await runSandboxed(command, cmd);
    });
}
