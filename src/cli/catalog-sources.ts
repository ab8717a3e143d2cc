/** Where a command's catalog comes from: model_catalog_json, else the cache of model_catalog_url, else the shipped one. */
import { catalogCachePath, type CatalogSources } from '../catalog/index.js';
import type { LoadedConfig, ProviderInfo } from '../config/index.js';

/** The `model_catalog_url` in effect: the provider's own, else the root key. */
export function catalogUrlOf(loaded: LoadedConfig, provider: ProviderInfo): string | undefined {
  return provider.model_catalog_url ?? loaded.config.model_catalog_url;
}

/** Where the effective catalog comes from: model_catalog_json, else the cache of model_catalog_url. */
export function catalogSources(loaded: LoadedConfig, provider: ProviderInfo, onWarning: (m: string) => void): CatalogSources {
  const url = catalogUrlOf(loaded, provider);
  return {
    file: loaded.config.model_catalog_json,
    cache: url === undefined ? undefined : { url, path: catalogCachePath(loaded.home, url) },
    onWarning,
  };
}
