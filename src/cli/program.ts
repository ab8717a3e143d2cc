/** The command-line surface, named as Codex names it (codex-compat.md §1). */
import { Argument, Command } from 'commander';
import { UsageError, VERSION } from '../shared/index.js';
import { addGlobalOptions } from './options.js';
import { registerCodexOnlyCommands } from './commands/codex-only.js';
import { registerExecCommand } from './commands/exec.js';
import { registerInteractive } from './commands/interactive.js';
import { registerCommands } from './commands/register.js';
import { printNotices, resolveSettings } from './settings.js';

function write(text: string): void {
  process.stdout.write(text);
}

export function buildProgram(): Command {
  const program = new Command('opencodex');
  program
    .description('A coding agent for your terminal that works with any model speaking the OpenAI Responses or Chat Completions API.')
    .usage('[options] [prompt]\n       opencodex [options] <command> [args]')
    .version(`opencodex ${VERSION}`, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    // commander's own usage errors: one line, with where to look.
    .configureOutput({ outputError: (str, write) => write(`${str.trimEnd()} (see --help)\n`) })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false });
  addGlobalOptions(program);
  registerExecCommand(program);
  registerInteractive(program);

  registerCommands(program);

  program
    .command('models')
    .description('list the model catalog (recommended and alternative models; --all adds retired and hidden ones), or with --provider the models a provider serves')
    .argument('[model]', 'show every fact about one model')
    .option('--all', 'include retired and hidden models')
    .option('--provider [id]', "list the models the provider serves (GET <base_url>/models) with the catalog's facts; default: the configured model_provider")
    .option('--refresh', 'fetch the catalog from the configured model_catalog_url and cache it, then list it')
    .option('--json', 'print JSON')
    .action(async (model: string | undefined, opts: { all?: boolean; json?: boolean; provider?: string | true; refresh?: boolean }, cmd: Command) => {
      if (opts.provider !== undefined) {
        if (model !== undefined || opts.all || opts.refresh) {
          throw new UsageError('--provider lists what a provider serves; it takes no MODEL, --all or --refresh', 'run `opencodex models --provider [ID]`');
        }
        const { fetchServedModels, servedModelsJson, servedModelsTable } = await import('./commands/served-models.js');
        const served = await fetchServedModels(cmd, opts.provider === true ? undefined : opts.provider);
        write(opts.json ? servedModelsJson(served) : servedModelsTable(served));
        return;
      }
      const { loadCatalogForCommand } = await import('./catalog-for-command.js');
      const { catalog, context } = await loadCatalogForCommand(cmd, { refresh: opts.refresh === true });
      const { modelDetail, modelsJson, modelsTable } = await import('./commands/models.js');
      if (model !== undefined) write(modelDetail(catalog, model, opts.json === true));
      else write(opts.json ? modelsJson(catalog, opts.all === true) : modelsTable(catalog, opts.all === true, context));
    });

  const configAction = async (opts: { json?: boolean }, cmd: Command) => {
    const settings = await resolveSettings(cmd, { interactive: true });
    printNotices(settings.notices);
    const { configReport } = await import('./commands/config.js');
    write(configReport(settings, opts.json === true));
  };
  program
    .command('config')
    .description('print the effective configuration and where each value comes from (secrets masked)')
    .option('--json', 'print JSON')
    .action(configAction);

  const debug = program.command('debug').description('inspect what opencodex would use');
  debug
    .command('config')
    .description('same as `opencodex config`')
    .option('--json', 'print JSON')
    .action(configAction);
  debug
    .command('models')
    .description('dump the effective model catalog as JSON (retired models included)')
    .action(async (_opts: unknown, cmd: Command) => {
      const { loadCatalogForCommand } = await import('./catalog-for-command.js');
      const { modelsJson } = await import('./commands/models.js');
      write(modelsJson((await loadCatalogForCommand(cmd)).catalog, true));
    });

  program
    .command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('[shell]', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']).default('bash'))
    .addHelpText(
      'after',
      '\nInstall:\n  bash: opencodex completion bash > ~/.local/share/bash-completion/completions/opencodex\n  zsh:  opencodex completion zsh > "${fpath[1]}/_opencodex"\n  fish: opencodex completion fish > ~/.config/fish/completions/opencodex.fish',
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const [{ completionScript }, { SHIPPED_CATALOG }] = await Promise.all([import('./completion.js'), import('../catalog/index.js')]);
      const models = SHIPPED_CATALOG.models.filter((m) => m.status !== 'retired' && !m.hidden).map((m) => m.slug);
      write(completionScript(shell, program, models));
    });

  // Last, so that they never shadow a real command.
  registerCodexOnlyCommands(program);
  return program;
}
