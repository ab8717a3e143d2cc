/** Everything a command that talks to a model needs: the effective config, the catalog, the model and provider. */
import type { Command } from 'commander';
import { chooseEffort, loadCatalog, lookupModel, retirementNotice, unknownModelNotice, type Catalog, type ResolvedModel } from '../catalog/index.js';
import { loadConfig, resolveHome, resolveProvider, withDefaultModel, type FlagSetting, type LoadedConfig, type ProviderInfo } from '../config/index.js';
import { catalogSources } from './catalog-sources.js';
import { globalOptions, loadOptions, workingRoot, type GlobalOptions } from './options.js';
import type { FrontEndContext } from '../agent/index.js';

export interface Settings {
  options: GlobalOptions;
  cwd: string;
  loaded: LoadedConfig;
  catalog: Catalog;
  model: ResolvedModel;
  provider: ProviderInfo;
  /** Warnings and notices for stderr, one line each, shown once per run. */
  notices: string[];
}

/**
 * `review`: the model is `-m`, else `review_model`, else the session's model (Codex's `review_model`).
 */
export async function resolveSettings(cmd: Command, opts: { interactive: boolean; ignoreUserConfig?: boolean; review?: boolean }): Promise<Settings> {
  return resolveSettingsFor(globalOptions(cmd), opts);
}

/**
 * Settings from the shared options, as a command line gives them; `flags` are settings chosen elsewhere
 * (an editor's request for one thread), which rank with the dedicated flags.
 */
export async function resolveSettingsFor(
  options: GlobalOptions,
  opts: { interactive: boolean; ignoreUserConfig?: boolean; review?: boolean; flags?: readonly FlagSetting[] },
): Promise<Settings> {
  const cwd = workingRoot(options);
  const home = resolveHome();
  const base = loadOptions(options, home, opts.interactive);
  const loaded = loadConfig({ ...base, flags: [...(base.flags ?? []), ...(opts.flags ?? [])], ignoreUserConfig: opts.ignoreUserConfig === true });
  const notices = [...loaded.warnings];
  const provider = resolveProvider(loaded);
  const catalog = await loadCatalog(catalogSources(loaded, provider, (m) => notices.push(m)));
  withDefaultModel(loaded, catalog.default_model);
  // model_context_window and model_supports_reasoning_summaries adjust the catalog's facts for the session.
  const reviewModel = opts.review && options.model === undefined ? loaded.config.review_model : undefined;
  const model = lookupModel(catalog, reviewModel ?? loaded.config.model ?? catalog.default_model, loaded.config);
  const retired = retirementNotice(catalog, model);
  if (retired) notices.push(retired);
  const unknown = unknownModelNotice(model);
  if (unknown) notices.push(unknown);
  const effort = chooseEffort(model, loaded.config.model_reasoning_effort).note;
  if (effort) notices.push(effort);
  return { options, cwd, loaded, catalog, model, provider, notices };
}

/** The settings a front end starts from. */
export function frontEndContext(s: Settings): FrontEndContext {
  return {
    loaded: s.loaded,
    catalog: s.catalog,
    model: s.model,
    provider: s.provider,
    cwd: s.cwd,
    addDirs: s.options.addDir,
    images: s.options.image,
    notices: s.notices,
  };
}

export function printNotices(notices: readonly string[], stream: NodeJS.WritableStream = process.stderr): void {
  for (const n of notices) stream.write(/^(note|warning): /.test(n) ? `${n}\n` : `warning: ${n}\n`);
}
