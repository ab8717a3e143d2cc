/** Models the user's config files name, with the provider each goes with (for the `/model` picker). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedConfig } from './load.js';
import { isTable, readTomlFile, type TomlTable } from './toml.js';

export interface ConfiguredModel {
  model: string;
  /** The provider set beside it, else the file's (or config.toml's) `model_provider`. */
  provider: string;
  /** config.toml, or the profile's name. */
  where: string;
}

function fromTable(t: TomlTable, fallbackProvider: string, where: string): ConfiguredModel | null {
  const model = t.model;
  if (typeof model !== 'string' || model === '') return null;
  const provider = typeof t.model_provider === 'string' ? t.model_provider : fallbackProvider;
  return { model, provider, where };
}

export function configuredModels(loaded: LoadedConfig): ConfiguredModel[] {
  const out: ConfiguredModel[] = [];
  let root: TomlTable = {};
  try {
    root = readTomlFile(loaded.configFile) ?? {};
  } catch {
    // an unreadable file was already reported when the config was loaded
  }
  const rootProvider = typeof root.model_provider === 'string' ? root.model_provider : 'openai';
  const r = fromTable(root, rootProvider, 'config.toml');
  if (r) out.push(r);
  if (isTable(root.profiles)) {
    for (const [name, t] of Object.entries(root.profiles)) if (isTable(t)) {
      const m = fromTable(t, rootProvider, name);
      if (m) out.push(m);
    }
  }
  let files: string[] = [];
  try {
    files = readdirSync(loaded.home).filter((f) => f.endsWith('.config.toml'));
  } catch {
    files = [];
  }
  for (const f of files.sort()) {
    try {
      const t = readTomlFile(join(loaded.home, f));
      const m = t ? fromTable(t, rootProvider, f.slice(0, -'.config.toml'.length)) : null;
      if (m) out.push(m);
    } catch {
      // skip a profile that does not parse
    }
  }
  return out;
}
