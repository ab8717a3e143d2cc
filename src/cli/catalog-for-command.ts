import type { Command } from 'commander';
import { loadCatalog, storeFetchedCatalog, type Catalog } from '../catalog/index.js';
import { describeSource, loadConfig, resolveHome, resolveProvider, type LoadedConfig, type ProviderInfo } from '../config/index.js';
import { ConfigError } from '../shared/index.js';
import { catalogSources, catalogUrlOf } from './catalog-sources.js';
import type { CatalogContext } from './commands/models.js';
import { globalOptions, loadOptions } from './options.js';
import { printNotices } from './settings.js';

export interface CatalogForCommand {
  loaded: LoadedConfig;
  provider: ProviderInfo;
  catalog: Catalog;
  /** What `opencodex models` says about the catalog's default and source. */
  context: CatalogContext;
}

/**
 * `models --refresh`: fetches the configured model_catalog_url and caches it once it validates (a
 * catalog that does not validate, or a failed fetch, is one error line and leaves the cache as it was).
 */
async function refreshCatalog(loaded: LoadedConfig, provider: ProviderInfo): Promise<void> {
  const url = catalogUrlOf(loaded, provider);
  if (url === undefined) {
    throw new ConfigError(
      `--refresh needs a model_catalog_url, and provider ${provider.id} has none`,
      `set model_catalog_url in [model_providers.${provider.id}] (or at the top of config.toml) to the address of a Codex model catalog`,
    );
  }
  const { fetchModelCatalog } = await import('../providers/index.js');
  const text = await fetchModelCatalog(provider, url, { home: loaded.home });
  const path = catalogSources(loaded, provider, () => undefined).cache?.path ?? '';
  const catalog = await storeFetchedCatalog(path, url, text);
  const n = catalog.models.length;
  const notes = [`note: refreshed the model catalog from ${url}: ${n} model${n === 1 ? '' : 's'} (cached in ${path})`];
  if (loaded.config.model_catalog_json !== undefined) {
    notes.push(`note: model_catalog_json (${loaded.config.model_catalog_json}) is set and is used instead of the fetched catalog`);
  }
  printNotices(notes);
}

/** The config, its provider and the effective catalog, for commands that only need the catalog. */
export async function loadCatalogForCommand(cmd: Command, opts: { refresh?: boolean } = {}): Promise<CatalogForCommand> {
  const options = globalOptions(cmd);
  const loaded = loadConfig(loadOptions(options, resolveHome(), false));
  printNotices(loaded.warnings);
  const provider = resolveProvider(loaded);
  if (opts.refresh) await refreshCatalog(loaded, provider);
  const notices: string[] = [];
  const catalog = await loadCatalog(catalogSources(loaded, provider, (m) => notices.push(m)));
  printNotices(notices);
  const model = loaded.config.model;
  const source = loaded.sources.get(['model']);
  const url = catalogUrlOf(loaded, provider);
  const context: CatalogContext = {
    configured: model !== undefined && source !== undefined ? { slug: model, source: describeSource(source) } : undefined,
    unfetchedUrl: url !== undefined && loaded.config.model_catalog_json === undefined && catalog.origin.kind === 'shipped' ? url : undefined,
  };
  return { loaded, provider, catalog, context };
}
