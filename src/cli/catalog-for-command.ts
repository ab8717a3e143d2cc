import type { Command } from 'commander';
import { loadCatalog, type Catalog } from '../catalog/index.js';
import { loadConfig, resolveHome } from '../config/index.js';
import { globalOptions, loadOptions } from './options.js';
import { printNotices } from './settings.js';

/** The effective catalog for commands that only need the catalog (a user file may replace it). */
export async function loadCatalogForCommand(cmd: Command): Promise<Catalog> {
  const options = globalOptions(cmd);
  const loaded = loadConfig(loadOptions(options, resolveHome(), false));
  printNotices(loaded.warnings);
  return loadCatalog(loaded.config.model_catalog_json);
}
