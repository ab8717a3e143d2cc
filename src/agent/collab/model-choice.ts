/**
 * Which model (on which provider, with which effort) a subagent runs on: the `model` the parent's model
 * asked for, else its agent type's, else `[agents] default_subagent_model`, else the catalog's advice for
 * the parent's family (gpt-5.4 → gpt-5.4-mini, the seed's advice), else the parent's own. An unknown model
 * is an error listing the choices (as Codex), never a silent fallback.
 */
import { isReasoningEffort, lookupModel, REASONING_EFFORTS, smallModelFor, type Catalog, type ReasoningEffort, type ResolvedModel } from '../../catalog/index.js';
import {
  builtinProviders,
  configuredModels,
  resolveProvider,
  type AgentSettings,
  type LoadedConfig,
  type ProviderInfo,
} from '../../config/index.js';
import type { Role } from './roles.js';

export interface ModelChoiceContext {
  catalog: Catalog;
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  settings: AgentSettings;
  /** Every agent type (their models count as known). */
  roles: ReadonlyMap<string, Role>;
}

export interface ParentModel {
  model: ResolvedModel;
  providerId: string;
  /** The effort the parent is configured with (undefined: its model's default). */
  effort: ReasoningEffort | undefined;
}

export type ModelSource = 'requested' | 'agent type' | 'agents.default_subagent_model' | 'catalog advice' | 'parent';

export interface ChildModel {
  model: ResolvedModel;
  provider: ProviderInfo;
  /** The effort asked for (undefined: the model's default). */
  effort: ReasoningEffort | undefined;
  from: ModelSource;
}

/** The models a subagent may be given, as listed to the model, and the test for one not listed (hidden catalog entries, aliases). */
export function modelChoices(ctx: ModelChoiceContext, parent: ParentModel): { listed: string[]; known: (slug: string) => boolean } {
  const listed: string[] = [];
  const add = (m: string | undefined): void => {
    if (m !== undefined && !listed.includes(m)) listed.push(m);
  };
  for (const m of ctx.catalog.models) if (!m.hidden && m.status !== 'retired') add(m.slug);
  add(ctx.settings.defaultModel);
  for (const r of ctx.roles.values()) add(r.model);
  for (const c of configuredModels(ctx.loaded)) add(c.model);
  add(parent.model.requested);
  const known = (slug: string): boolean => {
    if (listed.includes(slug)) return true;
    const entry = lookupModel(ctx.catalog, slug).entry;
    return entry !== undefined && entry.status !== 'retired';
  };
  return { listed, known };
}

function providerById(ctx: ModelChoiceContext, id: string, why: string): ProviderInfo | { error: string } {
  const cfg = ctx.loaded.config;
  const exists = builtinProviders(ctx.env, cfg.openai_base_url).some((p) => p.id === id) || cfg.model_providers?.[id] !== undefined;
  if (!exists) return { error: `model provider \`${id}\` (${why}) is not configured: define [model_providers.${id}] in config.toml` };
  return resolveProvider(ctx.loaded, ctx.env, id);
}

export function chooseChildModel(
  ctx: ModelChoiceContext,
  parent: ParentModel,
  req: { model?: string | undefined; effort?: string | undefined; role: Role },
): ChildModel | { error: string } {
  const { role } = req;
  const { settings } = ctx;
  if (req.effort !== undefined && !isReasoningEffort(req.effort)) {
    return { error: `Unknown reasoning_effort \`${req.effort}\` for spawn_agent. Use one of: ${REASONING_EFFORTS.join(', ')}` };
  }
  let slug: string;
  let from: ModelSource;
  let providerId: string | undefined;
  let providerWhy = '';
  if (req.model !== undefined) {
    const choices = modelChoices(ctx, parent);
    if (!choices.known(req.model)) return { error: `Unknown model \`${req.model}\` for spawn_agent. Available models: ${choices.listed.join(', ')}` };
    slug = req.model;
    from = 'requested';
  } else if (role.model !== undefined) {
    slug = role.model;
    from = 'agent type';
  } else if (settings.defaultModel !== undefined) {
    slug = settings.defaultModel;
    from = 'agents.default_subagent_model';
  } else {
    const advised = smallModelFor(ctx.catalog, parent.model);
    slug = advised ?? parent.model.requested;
    from = advised !== null ? 'catalog advice' : 'parent';
  }
  // The provider: the agent type's, else the one configured for the default model (when that is the model),
  // else the one a config file sets beside this model, else the parent's.
  if (role.provider !== undefined) {
    providerId = role.provider;
    providerWhy = `model_provider of agent type ${role.name}`;
  } else if (slug === settings.defaultModel && settings.defaultProvider !== undefined) {
    providerId = settings.defaultProvider;
    providerWhy = 'agents.default_subagent_provider';
  } else if (from === 'requested' || from === 'agent type') {
    const configured = configuredModels(ctx.loaded).find((c) => c.model === slug && c.model !== parent.model.requested);
    if (configured) {
      providerId = configured.provider;
      providerWhy = `set beside model ${slug} in ${configured.where}`;
    }
  }
  let provider: ProviderInfo | { error: string };
  if (providerId === undefined || providerId === parent.providerId) provider = resolveProvider(ctx.loaded, ctx.env, parent.providerId);
  else provider = providerById(ctx, providerId, providerWhy);
  if ('error' in provider) return provider;
  const model = slug === parent.model.requested ? parent.model : lookupModel(ctx.catalog, slug, ctx.loaded.config);
  const asked = req.effort ?? role.effort ?? settings.defaultEffort;
  let effort: ReasoningEffort | undefined;
  if (isReasoningEffort(asked)) effort = asked;
  else if (model === parent.model) effort = parent.effort;
  return { model, provider, effort, from };
}
