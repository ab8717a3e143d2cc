/**
 * The cached catalog of a `model_catalog_url` (at catalogCachePath, load.ts), written
 * by `opencodex models --refresh` only after the fetched catalog validated, and read at start-up (no
 * network on the way to the first request). One file per URL, so switching providers keeps each cache.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { catalogFromFile } from './file.js';
import type { Catalog } from './types.js';

/** What the cache file holds: where the catalog came from, when, and the catalog exactly as served. */
export interface CachedCatalog {
  url: string;
  fetched_at: string;
  catalog: unknown;
}

/** The cache for `url`, or null when there is none (or it holds another URL's catalog). Throws if unreadable. */
export function readCatalogCache(path: string, url: string): CachedCatalog | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const json = JSON.parse(text) as Partial<CachedCatalog> | null;
  if (typeof json !== 'object' || json === null || typeof json.url !== 'string' || typeof json.fetched_at !== 'string') {
    throw new Error('not a catalog cache file');
  }
  return json.url === url ? { url: json.url, fetched_at: json.fetched_at, catalog: json.catalog } : null;
}

/** The catalog a cache holds. Throws a ConfigError when it does not validate. */
export function catalogFromCache(path: string, cached: CachedCatalog): Catalog {
  return catalogFromFile(path, JSON.stringify(cached.catalog), { kind: 'cache', path, url: cached.url, fetched_at: cached.fetched_at });
}

/**
 * Validates a fetched catalog (`text`, the body the server sent) and, if it is valid, caches it for `url`
 * (written to a temporary file and renamed, so a reader never sees half a file). Returns the catalog.
 */
export function storeCatalogCache(path: string, url: string, text: string, now: Date = new Date()): Catalog {
  const cached: CachedCatalog = { url, fetched_at: now.toISOString(), catalog: undefined };
  try {
    cached.catalog = JSON.parse(text) as unknown;
  } catch {
    // catalogFromFile below reports the JSON error with the URL
  }
  const catalog = catalogFromFile(path, text, { kind: 'cache', path, url, fetched_at: cached.fetched_at });
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(cached, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  return catalog;
}
