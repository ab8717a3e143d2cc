/** `opencodex exec` (alias `e`): the non-interactive front end. */
import { Option, type Command } from 'commander';
import { resolveSettings } from '../settings.js';

interface ExecCliOptions {
  json?: boolean;
  experimentalJson?: boolean;
  outputLastMessage?: string;
  outputSchema?: string;
  color: 'always' | 'never' | 'auto';
  skipGitRepoCheck?: boolean;
  ephemeral?: boolean;
  ignoreUserConfig?: boolean;
}

export function registerExecCommand(program: Command): void {
  program
    .command('exec')
    .alias('e')
    .description('run the agent non-interactively: final answer on stdout, progress on stderr')
    .argument('[prompt]', 'the task; `-` or none reads it from stdin')
    .addOption(new Option('--json', 'print JSONL events on stdout instead of text'))
    .addOption(new Option('--experimental-json', 'alias of --json').hideHelp())
    .option('-o, --output-last-message <file>', 'also write the final message to this file')
    .option('--output-schema <file>', 'JSON Schema the final answer must follow')
    .addOption(new Option('--color <when>', 'color on stderr').choices(['always', 'never', 'auto']).default('auto'))
    .option('--skip-git-repo-check', 'allow running outside a git repository')
    .option('--ephemeral', 'do not keep a session file for this run')
    .option('--ignore-user-config', 'do not read config.toml (auth still comes from the home)')
    .action(async (prompt: string | undefined, opts: ExecCliOptions, cmd: Command) => {
      const settings = await resolveSettings(cmd, { interactive: false, ignoreUserConfig: opts.ignoreUserConfig === true });
      const { runExec } = await import('../../exec/index.js');
      process.exitCode = await runExec(
        {
          loaded: settings.loaded,
          model: settings.model,
          provider: settings.provider,
          cwd: settings.cwd,
          addDirs: settings.options.addDir,
          images: settings.options.image,
          notices: settings.notices,
          bypass: settings.options.dangerouslyBypassApprovalsAndSandbox === true,
        },
        {
          prompt,
          json: opts.json === true || opts.experimentalJson === true,
          outputLastMessage: opts.outputLastMessage,
          outputSchema: opts.outputSchema,
          color: opts.color,
          skipGitRepoCheck: opts.skipGitRepoCheck === true,
        },
      );
    });
}
