/**
 * `opencodex app-server`: serves editors (Codex's VS Code extension, `codex --remote`) Codex's app-server
 * protocol over stdio or `--listen ws://IP:PORT`. Each thread's settings are resolved as a run in its
 * directory would resolve them, with the client's choices (model, sandbox, approval policy, `config`) as flags.
 */
import type { Command } from 'commander';
import type { ThreadRequest } from '../../host/index.js';
import type { FlagSetting, TomlValue } from '../../config/index.js';
import { resolveHome } from '../../config/index.js';
import { UsageError } from '../../shared/index.js';
import { globalOptions, type GlobalOptions } from '../options.js';
import { frontEndContext, printNotices, resolveSettingsFor } from '../settings.js';

/** A client's JSON value as a TOML value (null: left out). */
function toToml(v: unknown): TomlValue | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toToml).filter((x): x is TomlValue => x !== undefined);
  if (typeof v === 'object') {
    const out: Record<string, TomlValue> = {};
    for (const [k, x] of Object.entries(v)) {
      const t = toToml(x);
      if (t !== undefined) out[k] = t;
    }
    return out;
  }
  return undefined;
}

/** A thread request's choices as config flags (they outrank config.toml and -c, as the CLI's flags do). */
export function requestFlags(r: ThreadRequest): FlagSetting[] {
  const flags: FlagSetting[] = [];
  const add = (path: string[], value: unknown, flag: string): void => {
    const t = toToml(value);
    if (t !== undefined) flags.push({ path, value: t, flag });
  };
  for (const [key, value] of Object.entries(r.config ?? {})) add(key.split('.'), value, `config ${key}`);
  add(['model'], r.model, 'model');
  add(['model_provider'], r.modelProvider, 'modelProvider');
  add(['sandbox_mode'], r.sandbox, 'sandbox');
  add(['approval_policy'], r.approvalPolicy, 'approvalPolicy');
  add(['developer_instructions'], r.developerInstructions, 'developerInstructions');
  return flags;
}

interface AppServerCliOptions {
  listen: string;
  tokenEnv: string;
}

export function registerAppServerCommand(program: Command): void {
  program
    .command('app-server')
    .description("serve editors Codex's app-server protocol (VS Code's Codex extension, `codex --remote`)")
    .option('--listen <url>', 'stdio:// (default) or ws://IP:PORT (loopback unless a token is set)', 'stdio://')
    .option('--token-env <var>', 'environment variable holding the token WebSocket clients must send as `Authorization: Bearer …`', 'OPENCODEX_APP_SERVER_TOKEN')
    .action(async (opts: AppServerCliOptions, cmd: Command) => {
      const { AppServer, listenWs, parseListen, serveStdio } = await import('../../app-server/index.js');
      const { ThreadHost } = await import('../../host/index.js');
      const options = globalOptions(cmd);
      const at = parseListen(opts.listen);
      const tokenValue = process.env[opts.tokenEnv];
      const token = tokenValue === undefined || tokenValue === '' ? null : tokenValue;
      if (at === 'stdio' && opts.tokenEnv !== 'OPENCODEX_APP_SERVER_TOKEN' && token === null) {
        throw new UsageError(`--token-env ${opts.tokenEnv}: the variable is not set`, 'export the token in it, or drop --token-env');
      }
      // Fails early (bad config, unknown provider) instead of at the first thread.
      const base = await resolveSettingsFor(options, { interactive: true });
      // stdout carries the protocol; config warnings go to stderr, once.
      printNotices(base.notices);
      const resolveFor = async (r: ThreadRequest) => {
        const o: GlobalOptions = r.cwd ? { ...options, cd: r.cwd } : options;
        return frontEndContext(await resolveSettingsFor(o, { interactive: true, flags: requestFlags(r) }));
      };
      let client = 'opencodex_app_server';
      const host = new ThreadHost({ home: resolveHome(), resolve: resolveFor, source: 'vscode', originator: () => client });
      const server = new AppServer({
        host,
        settings: async () => ({ loaded: base.loaded, catalog: base.catalog, model: base.model.requested, providerId: base.provider.id }),
        onClient: (name) => {
          client = name;
        },
      });
      const stop = async (): Promise<void> => {
        await server.close();
      };
      if (at === 'stdio') {
        await serveStdio(server);
        await stop();
        return;
      }
      const listener = await listenWs(server, at, { token });
      process.stderr.write(`opencodex app-server listening on ws://${listener.address.host.includes(':') ? `[${listener.address.host}]` : listener.address.host}:${listener.address.port}\n`);
      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await listener.close();
      await stop();
    });
}
