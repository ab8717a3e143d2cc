/**
 * The interactive session: `opencodex [PROMPT]` and `opencodex resume`. Until the terminal UI lands,
 * both say plainly that they are not available.
 */
import type { Command } from 'commander';
import { printNotices, resolveSettings } from '../settings.js';

export function registerInteractive(program: Command): void {
  program.argument('[prompt]', 'first prompt for the interactive session');
  program.action(async (_prompt: string | undefined, _opts: unknown, cmd: Command) => {
    const settings = await resolveSettings(cmd, { interactive: true });
    printNotices(settings.notices);
    const { notAvailable } = await import('./unavailable.js');
    notAvailable('the interactive session (opencodex [prompt])');
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
