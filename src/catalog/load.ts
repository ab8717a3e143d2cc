import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, hashHex } from '../shared/index.js';
import { SHIPPED_CATALOG } from './data.js';
import type { Catalog } from './types.js';

/** Where the effective catalog may come from, most important first. */
export interface CatalogSources {
  /** `model_catalog_json`: a file that replaces (or extends) the shipped catalog. */
  file?: string | undefined;
  /** The cache of the configured `model_catalog_url` (see cache.ts), used when there is no file. */
  cache?: { path: string; url: string } | undefined;
  /** Told when the cache cannot be used (the shipped catalog is used instead). */
  onWarning?: (message: string) => void;
}

/**
 * The effective catalog: the user's file (model_catalog_json) applied to the shipped one, else the cached
 * catalog of model_catalog_url, else the shipped one.
 */
export async function loadCatalog(sources: CatalogSources = {}): Promise<Catalog> {
  const catalogFile = sources.file;
  if (catalogFile === undefined) return sources.cache ? loadCached(sources.cache, sources.onWarning) : SHIPPED_CATALOG;
  let text: string;
  try {
    text = readFileSync(catalogFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot read model catalog ${catalogFile}${code ? ` (${code})` : ''}`,
      'fix model_catalog_json in the config or create the file',
    );
  }
  // The validator (zod) is only needed when there is a file to check.
  const { catalogFromFile } = await import('./file.js');
  return catalogFromFile(catalogFile, text);
}

async function loadCached(cache: { path: string; url: string }, onWarning: ((m: string) => void) | undefined): Promise<Catalog> {
  const { readCatalogCache, catalogFromCache } = await import('./cache.js');
  try {
    const cached = readCatalogCache(cache.path, cache.url);
    return cached ? catalogFromCache(cache.path, cached) : SHIPPED_CATALOG;
  } catch (err) {
    const why = err instanceof ConfigError ? err.message : `${cache.path} is unreadable (${(err as Error).message})`;
    onWarning?.(`the cached catalog of ${cache.url} cannot be used: ${why}; using the shipped catalog. Run \`opencodex models --refresh\``);
    return SHIPPED_CATALOG;
  }
}

/** Where the catalog of `url` is cached: `<home>/cache/model-catalog-<hash of the URL>.json` (one file per URL). */
export function catalogCachePath(home: string, url: string): string {
  const hash = hashHex('sha256', url).slice(0, 16);
  return join(home, 'cache', `model-catalog-${hash}.json`);
}

/**
 * Validates a catalog fetched from `url` and caches it at `path`; returns it. A catalog that does not
 * validate throws a ConfigError and leaves the cache as it was.
 */
export async function storeFetchedCatalog(path: string, url: string, text: string): Promise<Catalog> {
  const { storeCatalogCache } = await import('./cache.js');
  return storeCatalogCache(path, url, text);
}
