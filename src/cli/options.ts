/** The options every command shares (Codex's SharedCliOptions plus `-c`), and how they become config. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { FlagSetting, LoadOptions } from '../config/index.js';
import { APPROVAL_POLICIES, LOCAL_PROVIDERS, SANDBOX_MODES, type LocalProviderId } from '../config/index.js';
import { UsageError } from '../shared/index.js';

export interface GlobalOptions {
  config: string[];
  model?: string;
  profile?: string;
  sandbox?: (typeof SANDBOX_MODES)[number];
  askForApproval?: (typeof APPROVAL_POLICIES)[number];
  fullAuto?: boolean;
  dangerouslyBypassApprovalsAndSandbox?: boolean;
  cd?: string;
  addDir: string[];
  image: string[];
  oss?: boolean;
  localProvider?: LocalProviderId;
  search?: boolean;
  strictConfig?: boolean;
  debug?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const collectCommaList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter((s) => s !== ''),
];

/** Adds the shared options to the root command. Commander recognises them before and after a subcommand. */
export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-c, --config <key=value>', 'override a config value (repeatable); the value is parsed as TOML, else taken as a string').argParser(collect))
    .option('-m, --model <model>', 'model to use (see `opencodex models`)')
    .option('-p, --profile <name>', 'configuration profile: <home>/<name>.config.toml')
    .addOption(new Option('-s, --sandbox <mode>', 'sandbox policy for commands the model runs').choices(SANDBOX_MODES))
    .addOption(new Option('-a, --ask-for-approval <policy>', 'when to ask before running a command').choices(APPROVAL_POLICIES))
    .option('--full-auto', 'low-friction sandboxed automation (workspace-write sandbox, approval on request)')
    .option('--dangerously-bypass-approvals-and-sandbox', 'run every command without approval or sandbox (only inside an external sandbox)')
    .addOption(new Option('--yolo', 'alias of --dangerously-bypass-approvals-and-sandbox').hideHelp())
    .option('-C, --cd <dir>', 'working root for the agent')
    .addOption(new Option('--add-dir <dir>', 'another writable directory (repeatable)').argParser(collect))
    .addOption(new Option('-i, --image <file>', 'image(s) to attach to the first prompt (comma-separated or repeated)').argParser(collectCommaList))
    .option('--oss', 'use a local open-source model provider (Ollama or LM Studio)')
    .addOption(new Option('--local-provider <id>', 'which local provider --oss uses').choices(LOCAL_PROVIDERS))
    .option('--search', 'let the model search the live web (same as -c web_search="live"; needs a provider with web search)')
    .option('--strict-config', 'make unrecognized config keys an error instead of a warning')
    .option('--debug', 'print stack traces for errors');
}

export function globalOptions(cmd: Command): GlobalOptions {
  const raw = cmd.optsWithGlobals() as GlobalOptions & { yolo?: boolean };
  if (raw.yolo) raw.dangerouslyBypassApprovalsAndSandbox = true;
  return { ...raw, config: raw.config ?? [], addDir: raw.addDir ?? [], image: raw.image ?? [] };
}

/** The working root (-C), checked to exist. */
export function workingRoot(opts: GlobalOptions): string {
  if (opts.cd === undefined) return process.cwd();
  const dir = resolve(opts.cd);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`-C/--cd: ${opts.cd} is not a directory`, 'pass an existing directory');
  }
  return dir;
}

/**
 * Translates the dedicated flags into config settings (which outrank -c, profiles and config.toml), with
 * the working root (its project's trust and config files count) and --strict-config.
 */
export function loadOptions(opts: GlobalOptions, home: string, interactive: boolean): LoadOptions {
  if (opts.fullAuto && opts.dangerouslyBypassApprovalsAndSandbox) {
    throw new UsageError('--full-auto cannot be combined with --dangerously-bypass-approvals-and-sandbox', 'choose one');
  }
  const flags: FlagSetting[] = [];
  if (opts.fullAuto) {
    flags.push({ path: ['sandbox_mode'], value: 'workspace-write', flag: '--full-auto' });
    if (interactive) flags.push({ path: ['approval_policy'], value: 'on-request', flag: '--full-auto' });
  }
  if (opts.dangerouslyBypassApprovalsAndSandbox) {
    const flag = '--dangerously-bypass-approvals-and-sandbox';
    flags.push({ path: ['sandbox_mode'], value: 'danger-full-access', flag });
    flags.push({ path: ['approval_policy'], value: 'never', flag });
  }
  if (opts.sandbox) flags.push({ path: ['sandbox_mode'], value: opts.sandbox, flag: '--sandbox' });
  if (opts.askForApproval) flags.push({ path: ['approval_policy'], value: opts.askForApproval, flag: '--ask-for-approval' });
  if (opts.model !== undefined) {
    if (opts.model.trim() === '') throw new UsageError('-m/--model needs a model name', 'for example -m gpt-5.4');
    flags.push({ path: ['model'], value: opts.model, flag: '--model' });
  }
  // Codex accepts --search in its interactive UI only; here it works for exec too (a flag, outranking -c).
  if (opts.search) flags.push({ path: ['web_search'], value: 'live', flag: '--search' });
  if (opts.localProvider && !opts.oss) {
    throw new UsageError('--local-provider only applies with --oss', 'add --oss');
  }
  return {
    home,
    overrides: opts.config,
    profile: opts.profile,
    flags,
    oss: opts.oss ? { provider: opts.localProvider } : undefined,
    cwd: workingRoot(opts),
    strictConfig: opts.strictConfig === true,
  };
}
