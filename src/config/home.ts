import { join } from 'node:path';
import { ConfigError, fsHint, fsReason, makeDirs, opencodexHome } from '../shared/index.js';

/** `$OPENCODEX_HOME`, else `~/.opencodex`. We never read or write `~/.codex`. */
export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  return opencodexHome(env);
}

/** Creates the home directory (mode 0700) when something first needs to write there. */
export function ensureHome(home: string): string {
  try {
    makeDirs(home);
  } catch (err) {
    throw new ConfigError(`cannot create the opencodex home ${home}: ${fsReason(err, home)}`, `${fsHint(err, home) ?? 'check its parent directory'}, or point OPENCODEX_HOME at a writable directory`);
  }
  return home;
}

export const configPath = (home: string): string => join(home, 'config.toml');
export const profilePath = (home: string, name: string): string => join(home, `${name}.config.toml`);
