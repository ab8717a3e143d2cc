/**
 * `opencodex models --provider [ID]`: the models a provider serves (GET {base_url}/models), each with
 * what the catalog knows about it — dated and namespaced slugs resolve like `-m` does — or that it runs
 * with safe defaults.
 */
import type { Command } from 'commander';
import { loadCatalog, lookupModel, type Catalog, type ResolvedModel } from '../../catalog/index.js';
import { builtinProviders, loadConfig, resolveHome, resolveProvider, type ProviderInfo } from '../../config/index.js';
import { listProviderModels } from '../../providers/index.js';
import { UsageError } from '../../shared/index.js';
import { globalOptions, loadOptions } from '../options.js';
import { catalogSources } from '../catalog-sources.js';
import { printNotices } from '../settings.js';
import { renderTable } from '../table.js';
import { context, efforts, modalities } from './models.js';

export interface ServedModel {
  id: string;
  resolved: ResolvedModel;
}

export interface ServedModels {
  provider: ProviderInfo;
  /** The configured model_provider (the `-m` command needs no provider override for it). */
  configuredProvider: string;
  models: ServedModel[];
}

/** The command that selects a served model. */
export function servedUseCommand(slug: string, provider: string, configuredProvider: string): string {
  return provider === configuredProvider ? `opencodex -m ${slug}` : `opencodex -c model_provider=${provider} -m ${slug}`;
}

function catalogNote(r: ResolvedModel): string {
  if (r.match.kind === 'unknown') return `unknown (${r.match.family ? `${r.match.family} family defaults` : 'safe defaults'})`;
  return r.match.kind === 'exact' ? 'known' : `known as ${r.match.entry.slug}`;
}

export function servedModelsTable(s: ServedModels): string {
  const head = `${s.provider.name} (${s.provider.id}) serves ${s.models.length} model${s.models.length === 1 ? '' : 's'}`;
  if (s.models.length === 0) return `${head}\n`;
  const rows = s.models.map(({ id, resolved }) => {
    const e = resolved.entry;
    return [
      id,
      catalogNote(resolved),
      e ? context(e) : '?',
      e ? modalities(e) : '?',
      e ? efforts(e) : '?',
      servedUseCommand(id, s.provider.id, s.configuredProvider),
    ];
  });
  const table = renderTable(['MODEL', 'CATALOG', 'CONTEXT', 'INPUT', 'EFFORTS', 'USE'], rows);
  const legend = '* default reasoning effort   unknown models run with safe defaults; describe them in a catalog file (model_catalog_json)';
  return `${head}\n${table}${legend}\n`;
}

export function servedModelsJson(s: ServedModels): string {
  const models = s.models.map(({ id, resolved }) => {
    const e = resolved.entry;
    return {
      id,
      known: e !== undefined,
      match: resolved.match.kind,
      catalog_slug: e?.slug ?? null,
      family: resolved.match.kind === 'unknown' ? resolved.match.family : null,
      context_window: e ? e.context_window : null,
      input_modalities: e ? e.input_modalities : null,
      reasoning_efforts: e ? e.reasoning_efforts : null,
      default_reasoning_effort: e ? e.default_reasoning_effort : null,
      use: servedUseCommand(id, s.provider.id, s.configuredProvider),
    };
  });
  const provider = { id: s.provider.id, name: s.provider.name, base_url: s.provider.base_url ?? null, wire_api: s.provider.wire_api };
  return `${JSON.stringify({ provider, models }, null, 2)}\n`;
}

export function servedModels(catalog: Catalog, provider: ProviderInfo, configuredProvider: string, ids: readonly string[]): ServedModels {
  return { provider, configuredProvider, models: ids.map((id) => ({ id, resolved: lookupModel(catalog, id) })) };
}

/** Loads the config and catalog, asks the provider (`id`, else the configured one) and returns the merged list. */
export async function fetchServedModels(cmd: Command, id: string | undefined): Promise<ServedModels> {
  const home = resolveHome();
  const loaded = loadConfig(loadOptions(globalOptions(cmd), home, false));
  printNotices(loaded.warnings);
  const configured = loaded.config.model_provider ?? 'openai';
  const providerId = id ?? configured;
  const known = [...builtinProviders(process.env, loaded.config.openai_base_url).map((p) => p.id), ...Object.keys(loaded.config.model_providers ?? {})];
  if (!known.includes(providerId)) {
    throw new UsageError(`unknown provider ${providerId}`, `use one of: ${known.join(', ')} (or define [model_providers.${providerId}] in config.toml)`);
  }
  const provider = resolveProvider(loaded, process.env, providerId);
  const notices: string[] = [];
  const [catalog, served] = await Promise.all([
    loadCatalog(catalogSources(loaded, resolveProvider(loaded), (m) => notices.push(m))),
    listProviderModels(provider, { home }),
  ]);
  printNotices(notices);
  return servedModels(catalog, provider, configured, served.ids);
}
