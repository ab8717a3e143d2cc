/**
 * `opencodex mcp list|get|add|remove` (codex-compat.md §1.1): the MCP servers of config.toml. `add` and
 * `remove` edit `[mcp_servers.<name>]` in place, keeping the rest of the file as written. OAuth
 * (`mcp login|logout`) is not available: those commands say so.
 */
import type { Command } from 'commander';
import { loadConfig, replaceConfigTable, resolveHome, type LoadedConfig, type McpServerConfig, type TomlEditValue } from '../../config/index.js';
import { UsageError, UserError } from '../../shared/index.js';
import { globalOptions, loadOptions } from '../options.js';
import { printNotices } from '../settings.js';

const NAME = /^[a-zA-Z0-9_-]+$/;
const MASK = '*****';

function checkName(name: string): void {
  if (!NAME.test(name)) throw new UsageError(`invalid MCP server name '${name}'`, 'use letters, digits, - and _ only');
}

function load(cmd: Command): LoadedConfig {
  const loaded = loadConfig(loadOptions(globalOptions(cmd), resolveHome(), true));
  printNotices(loaded.warnings);
  return loaded;
}

function timeoutSec(s: McpServerConfig): number | null {
  if (s.startup_timeout_sec !== undefined) return s.startup_timeout_sec;
  return s.startup_timeout_ms !== undefined ? s.startup_timeout_ms / 1000 : null;
}

/** One server as `mcp list --json` and `mcp get --json` print it (Codex's shape). */
export function serverJson(name: string, s: McpServerConfig): Record<string, unknown> {
  const transport =
    s.command !== undefined
      ? { type: 'stdio', command: s.command, args: s.args ?? [], env: s.env ?? null, env_vars: s.env_vars ?? [], cwd: s.cwd ?? null }
      : {
          type: 'streamable_http',
          url: s.url,
          bearer_token_env_var: s.bearer_token_env_var ?? null,
          http_headers: s.http_headers ?? null,
          env_http_headers: s.env_http_headers ?? null,
        };
  return {
    name,
    enabled: s.enabled !== false,
    required: s.required === true,
    transport,
    startup_timeout_sec: timeoutSec(s),
    tool_timeout_sec: s.tool_timeout_sec ?? null,
    enabled_tools: s.enabled_tools ?? null,
    disabled_tools: s.disabled_tools ?? null,
    auth_status: 'unsupported',
  };
}

const masked = (m: Record<string, string> | undefined): string =>
  m && Object.keys(m).length > 0 ? Object.keys(m).map((k) => `${k}=${MASK}`).join(', ') : '-';

function servers(loaded: LoadedConfig): Array<[string, McpServerConfig]> {
  return Object.entries(loaded.config.mcp_servers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function listReport(loaded: LoadedConfig, json: boolean): Promise<string> {
  const all = servers(loaded);
  if (json) return `${JSON.stringify(all.map(([n, s]) => serverJson(n, s)), null, 2)}\n`;
  if (all.length === 0) return 'No MCP servers configured yet. Add one with `opencodex mcp add NAME -- COMMAND [ARGS...]` or `opencodex mcp add NAME --url URL`.\n';
  const { renderTable } = await import('../table.js');
  const status = (s: McpServerConfig) => (s.enabled === false ? 'disabled' : 'enabled');
  const stdio = all.filter(([, s]) => s.command !== undefined);
  const http = all.filter(([, s]) => s.command === undefined);
  const parts: string[] = [];
  if (stdio.length > 0) {
    parts.push(
      renderTable(
        ['Name', 'Command', 'Args', 'Env', 'Cwd', 'Status'],
        stdio.map(([n, s]) => [n, s.command ?? '', (s.args ?? []).join(' ') || '-', masked(s.env), s.cwd ?? '-', status(s)]),
      ),
    );
  }
  if (http.length > 0) {
    parts.push(renderTable(['Name', 'Url', 'Bearer Token Env Var', 'Status'], http.map(([n, s]) => [n, s.url ?? '', s.bearer_token_env_var ?? '-', status(s)])));
  }
  return parts.join('\n');
}

export function getReport(loaded: LoadedConfig, name: string, json: boolean): string {
  const s = loaded.config.mcp_servers?.[name];
  if (!s) throw new UserError(`no MCP server named '${name}' in ${loaded.configFile}`, { hint: 'see `opencodex mcp list`' });
  if (json) return `${JSON.stringify(serverJson(name, s), null, 2)}\n`;
  const rows: Array<[string, string]> = [['enabled', String(s.enabled !== false)]];
  if (s.required) rows.push(['required', 'true']);
  if (s.command !== undefined) {
    rows.push(['transport', 'stdio'], ['command', s.command], ['args', (s.args ?? []).join(' ') || '-'], ['cwd', s.cwd ?? '-'], ['env', masked(s.env)]);
    if (s.env_vars?.length) rows.push(['env_vars', s.env_vars.join(', ')]);
  } else {
    rows.push(['transport', 'streamable_http'], ['url', s.url ?? ''], ['bearer_token_env_var', s.bearer_token_env_var ?? '-'], ['http_headers', masked(s.http_headers)]);
    if (s.env_http_headers && Object.keys(s.env_http_headers).length > 0) {
      rows.push(['env_http_headers', Object.entries(s.env_http_headers).map(([h, v]) => `${h}=${v}`).join(', ')]);
    }
  }
  const t = timeoutSec(s);
  if (t !== null) rows.push(['startup_timeout_sec', String(t)]);
  if (s.tool_timeout_sec !== undefined) rows.push(['tool_timeout_sec', String(s.tool_timeout_sec)]);
  if (s.enabled_tools) rows.push(['enabled_tools', s.enabled_tools.join(', ') || '(none)']);
  if (s.disabled_tools) rows.push(['disabled_tools', s.disabled_tools.join(', ') || '(none)']);
  rows.push(['remove', `opencodex mcp remove ${name}`]);
  return `${name}\n${rows.map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`;
}

export interface AddOptions {
  env: string[];
  url?: string;
  bearerTokenEnvVar?: string;
}

/** The `[mcp_servers.<name>]` keys `mcp add` writes. */
export function addedServer(command: readonly string[], o: AddOptions): Record<string, TomlEditValue> {
  if (o.url !== undefined) {
    if (command.length > 0) throw new UsageError('give either --url or a command after --, not both');
    if (o.env.length > 0) throw new UsageError('--env applies to stdio servers (a command after --), not to --url');
    const out: Record<string, TomlEditValue> = { url: o.url };
    if (o.bearerTokenEnvVar !== undefined) out.bearer_token_env_var = o.bearerTokenEnvVar;
    return out;
  }
  if (o.bearerTokenEnvVar !== undefined) throw new UsageError('--bearer-token-env-var applies to --url servers');
  const [cmd, ...args] = command;
  if (cmd === undefined) throw new UsageError('mcp add needs a command after -- or --url', 'for example: opencodex mcp add docs -- npx -y some-mcp-server');
  const env: Record<string, string> = {};
  for (const pair of o.env) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env ${pair} is not KEY=VALUE`, 'for example --env API_TOKEN=abc');
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const out: Record<string, TomlEditValue> = { command: cmd };
  if (args.length > 0) out.args = args;
  if (Object.keys(env).length > 0) out.env = env;
  return out;
}

const oauthUnavailable = (what: string) => (): never => {
  throw new UserError(`\`opencodex mcp ${what}\` is not available: opencodex does not do OAuth for MCP servers`, {
    hint: 'give the server a token with bearer_token_env_var or http_headers in its [mcp_servers.<name>] table',
  });
};

export function registerMcpCommand(program: Command): void {
  const mcp = program.command('mcp').description('manage the MCP servers in config.toml (list, get, add, remove)');
  mcp
    .command('list')
    .description('list the configured MCP servers')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      process.stdout.write(await listReport(load(cmd), opts.json === true));
    });
  mcp
    .command('get')
    .description('show one MCP server')
    .argument('<name>', 'server name')
    .option('--json', 'print JSON')
    .action((name: string, opts: { json?: boolean }, cmd: Command) => {
      process.stdout.write(getReport(load(cmd), name, opts.json === true));
    });
  mcp
    .command('add')
    .description('add (or replace) an MCP server: a stdio command after --, or a streamable-HTTP --url')
    .usage('NAME [--env KEY=VALUE]... -- COMMAND [ARGS...]\n       opencodex mcp add NAME --url URL [--bearer-token-env-var VAR]')
    .argument('<name>', 'server name (letters, digits, - and _)')
    .argument('[command...]', 'the command that starts a stdio server, with its arguments')
    .option('--env <KEY=VALUE>', 'an environment variable for the stdio server (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--url <url>', 'the URL of a streamable-HTTP server')
    .option('--bearer-token-env-var <var>', 'environment variable holding the bearer token sent to the --url server')
    .action((name: string, command: string[], opts: AddOptions, cmd: Command) => {
      checkName(name);
      const values = addedServer(command, opts);
      const loaded = load(cmd);
      const replaced = replaceConfigTable(loaded.configFile, ['mcp_servers', name], values);
      process.stdout.write(`${replaced ? 'Replaced' : 'Added'} MCP server '${name}' in ${loaded.configFile}\n`);
    });
  mcp
    .command('remove')
    .description('remove an MCP server from config.toml')
    .argument('<name>', 'server name')
    .action((name: string, _opts: unknown, cmd: Command) => {
      checkName(name);
      const loaded = load(cmd);
      if (!replaceConfigTable(loaded.configFile, ['mcp_servers', name], null)) {
        throw new UserError(`no MCP server named '${name}' in ${loaded.configFile}`, { hint: 'see `opencodex mcp list`' });
      }
      process.stdout.write(`Removed MCP server '${name}' from ${loaded.configFile}\n`);
    });
  mcp.command('login').description('(not available) OAuth login for an HTTP MCP server').argument('<name>').action(oauthUnavailable('login'));
  mcp.command('logout').description('(not available) OAuth logout for an HTTP MCP server').argument('<name>').action(oauthUnavailable('logout'));
}
