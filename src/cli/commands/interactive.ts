/**
 * The interactive session: `opencodex [PROMPT]` and `opencodex resume`. The UI (ink and React) is
 * imported only here, when a session starts, so other commands stay fast.
 */
import type { Command } from 'commander';
import { resolveSettings } from '../settings.js';

interface InteractiveCliOptions {
  altScreen?: boolean;
}

export function registerInteractive(program: Command): void {
  program.argument('[prompt]', 'first prompt for the interactive session');
  program.option('--alt-screen', 'draw the interactive session on the alternate screen (it leaves no scrollback)');
  program.action(async (prompt: string | undefined, opts: InteractiveCliOptions, cmd: Command) => {
    const settings = await resolveSettings(cmd, { interactive: true });
    const { runInteractive } = await import('../../ui/index.js');
    process.exitCode = await runInteractive(
      {
        loaded: settings.loaded,
        catalog: settings.catalog,
        model: settings.model,
        provider: settings.provider,
        cwd: settings.cwd,
        addDirs: settings.options.addDir,
        images: settings.options.image,
        notices: settings.notices,
      },
      { prompt, altScreen: opts.altScreen === true },
    );
  });

  program
    .command('resume')
    .description('resume an earlier session')
    .argument('[session]', 'session id or name')
    .option('--last', 'the most recent session in this directory')
    .option('--all', 'do not filter sessions by directory')
    .action(async () => {
      const { notAvailable } = await import('./unavailable.js');
      notAvailable('`opencodex resume`');
    });
}
