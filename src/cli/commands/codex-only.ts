/**
 * Codex 0.171 subcommands opencodex does not have. Each says so in one line (with what to use instead,
 * where there is something) and exits 2, instead of reaching the model as a prompt.
 *
 * The rule that keeps prompts working: a subcommand is a first argument that is exactly its name, as in
 * Codex. A prompt is one argument, so `opencodex "update the readme"` is a prompt (its first argument is
 * not `update`); `opencodex update the readme`, unquoted, is the `update` subcommand, and the error says to
 * quote the prompt.
 */
import type { Command } from 'commander';
import { UsageError } from '../../shared/index.js';

/** Name → what to use instead (empty when there is nothing). Aliases share their command's entry. */
export const CODEX_ONLY_COMMANDS: ReadonlyArray<{ name: string; aliases?: string[]; instead: string }> = [
  { name: 'plugin', instead: 'opencodex has no plugins; MCP servers are configured with `opencodex mcp`' },
  { name: 'remote-control', instead: 'opencodex has no remote control' },
  { name: 'update', instead: 'update opencodex with the package manager that installed it, e.g. `npm install -g opencodex`' },
  { name: 'apply', aliases: ['a'], instead: 'opencodex has no Codex Cloud tasks to apply' },
  { name: 'queue', instead: 'run prompts one after another with `opencodex exec`' },
  { name: 'migrate-rollouts', instead: 'opencodex reads Codex rollouts as they are' },
  { name: 'cloud', instead: 'opencodex runs locally only' },
  { name: 'exec-server', instead: 'opencodex runs commands locally only' },
  { name: 'features', instead: 'opencodex has no feature flags' },
  { name: 'agents', instead: 'opencodex has no subagents' },
];

/**
 * Registers the missing Codex subcommands, hidden from --help, after every real command: a name some
 * other part of opencodex has taken by then (a command built later) is left to it.
 */
export function registerCodexOnlyCommands(program: Command): void {
  const taken = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  for (const { name, aliases = [], instead } of CODEX_ONLY_COMMANDS) {
    if (taken.has(name)) continue;
    const sub = program
      .command(name, { hidden: true })
      .description(`Codex's \`${name}\`, which opencodex does not have`)
      .argument('[args...]')
      .allowUnknownOption()
      .helpOption(false)
      .action((args: string[]) => {
        const asPrompt = args.length > 0 && !args.some((a) => a.startsWith('-')) ? `; to send it to the model, quote the prompt: opencodex ${JSON.stringify([name, ...args].join(' '))}` : '';
        throw new UsageError(`opencodex does not have \`codex ${name}\`${instead ? ` (${instead})` : ''}${asPrompt}`);
      });
    for (const alias of aliases) if (!taken.has(alias)) sub.alias(alias);
  }
}
