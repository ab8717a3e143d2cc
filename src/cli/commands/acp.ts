/**
 * `opencodex acp`: serves an ACP client (an editor that starts the agent) over stdin/stdout. Sessions are
 * ordinary threads in <home>/sessions, settings resolved as a run in the session's directory resolves them.
 */
import type { Command } from 'commander';
import type { ThreadRequest } from '../../host/index.js';
import { resolveHome } from '../../config/index.js';
import { globalOptions, type GlobalOptions } from '../options.js';
import { frontEndContext, printNotices, resolveSettingsFor } from '../settings.js';
import { requestFlags } from './app-server.js';

export function registerAcpCommand(program: Command): void {
  program
    .command('acp')
    .description('serve an Agent Client Protocol client (Zed, JetBrains, Neovim, Emacs) over stdio')
    .action(async (_opts: unknown, cmd: Command) => {
      const { acpAgent } = await import('../../acp/index.js');
      const { ThreadHost } = await import('../../host/index.js');
      const options = globalOptions(cmd);
      // Fails early (bad config, unknown provider) instead of at the first session.
      // stdout carries the protocol; config warnings go to stderr, once.
      printNotices((await resolveSettingsFor(options, { interactive: true })).notices);
      const resolveFor = async (r: ThreadRequest) => {
        const o: GlobalOptions = r.cwd ? { ...options, cd: r.cwd } : options;
        return frontEndContext(await resolveSettingsFor(o, { interactive: true, flags: requestFlags(r) }));
      };
      const host = new ThreadHost({ home: resolveHome(), resolve: resolveFor, source: 'vscode', originator: () => 'opencodex_acp' });
      await acpAgent(host).serveStdio();
    });
}
