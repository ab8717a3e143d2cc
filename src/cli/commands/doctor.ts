/** `opencodex doctor [--json]`: checks of the install, config, auth, provider, sandbox, disk and git (src/cli/doctor). */
import type { Command } from 'commander';
import { resolveHome } from '../../config/index.js';
import { globalOptions, workingRoot } from '../options.js';
import { resolveSettings } from '../settings.js';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check why opencodex does or does not work here: install, config, auth, provider, sandbox, disk, git')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runDoctor } = await import('../doctor/index.js');
      process.exitCode = await runDoctor(() => resolveSettings(cmd, { interactive: false }), {
        json: opts.json === true,
        color: process.stdout.isTTY === true && !process.env.NO_COLOR,
        cwd: workingRoot(globalOptions(cmd)),
        home: resolveHome(),
      });
    });
}
