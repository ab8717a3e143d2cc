import { readFileSync } from 'node:fs';
import { ConfigError } from '../shared/index.js';
import { SHIPPED_CATALOG } from './data.js';
import type { Catalog } from './types.js';

/** The effective catalog: the shipped one, or the user's file (model_catalog_json) applied to it. */
export async function loadCatalog(catalogFile: string | undefined): Promise<Catalog> {
  if (catalogFile === undefined) return SHIPPED_CATALOG;
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
