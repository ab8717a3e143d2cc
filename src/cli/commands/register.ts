/**
 * Commands owned by other layers' front ends (login/logout for providers, sandbox for the sandbox), each
 * registered by one call here so program.ts stays the single place that defines the CLI's shape.
 */
import type { Command } from 'commander';
import { registerSandboxCommand } from './sandbox.js';

async function unavailable(what: string): Promise<never> {
  const { notAvailable } = await import('./unavailable.js');
  return notAvailable(what);
}

export function registerCommands(program: Command): void {
  const login = program
    .command('login')
    .description('store an API key for the built-in openai provider')
    .option('--with-api-key', 'read the API key from stdin')
    .action(() => unavailable('`opencodex login`'));
  login
    .command('status')
    .description('show whether a key is stored')
    .action(() => unavailable('`opencodex login status`'));
  program
    .command('logout')
    .description('remove the stored API key')
    .action(() => unavailable('`opencodex logout`'));
  registerSandboxCommand(program);
}
