/**
 * Getting a recorded thread ready to continue: read it, pick the model and provider (the thread's last
 * ones unless `-m` / `-c model=` / `-c model_provider=` choose others), and carry the history over by the
 * rules in convert.ts. Shared by `exec resume` and the interactive `resume`.
 */
import { chooseEffort, lookupModel, type Catalog, type ResolvedModel } from '../catalog/index.js';
import { resolveProvider, type LoadedConfig, type ProviderInfo } from '../config/index.js';
import type { ResponseItem } from '../providers/index.js';
import { escapeLine } from '../shared/index.js';
import { carryHistory } from './convert.js';
import { loadRollout } from './reader.js';
import type { ItemOrigin, LoadedRollout } from './types.js';

export interface ResumeInput {
  path: string;
  loaded: LoadedConfig;
  catalog: Catalog;
  /** The model and provider the settings chose. */
  model: ResolvedModel;
  provider: ProviderInfo;
  env?: NodeJS.ProcessEnv;
}

export interface PreparedResume {
  rollout: LoadedRollout;
  model: ResolvedModel;
  provider: ProviderInfo;
  /** The history as the next request sends it. */
  history: ResponseItem[];
  /** For the user, one line each: repairs, a model switch and what it changed in the history. */
  notes: string[];
}

/** Set on the command line (a flag or `-c`), as opposed to config.toml or a default. */
function explicit(loaded: LoadedConfig, key: string): boolean {
  const source = loaded.sources.get([key]);
  return source !== undefined && (source.kind === 'flag' || source.kind === 'override');
}

export function prepareResume(o: ResumeInput): PreparedResume {
  const rollout = loadRollout(o.path);
  const last = rollout.lastTurnContext;
  const env = o.env ?? process.env;

  let provider = o.provider;
  const recordedProvider = last?.model_provider ?? rollout.meta.model_provider;
  if (!explicit(o.loaded, 'model_provider') && recordedProvider !== o.provider.id) {
    const p = resolveProvider(o.loaded, env, recordedProvider);
    if (p.builtin || o.loaded.config.model_providers?.[recordedProvider] !== undefined) provider = p;
  }
  let model = o.model;
  if (!explicit(o.loaded, 'model') && last?.model && last.model !== o.model.requested) model = lookupModel(o.catalog, last.model, o.loaded.config);

  const webSearch = provider.supports_web_search && provider.wire_api === 'responses';
  const recorded = withoutInstructionsMessage(rollout.history, rollout.origins, rollout.meta.base_instructions.text);
  const carried = carryHistory(recorded.history, recorded.origins, { provider: provider.id, model, webSearch });
  const notes = [...rollout.warnings];
  if (last && (last.model !== model.requested || recordedProvider !== provider.id)) {
    notes.push(escapeLine(`resuming with ${model.requested} (${provider.id}); the thread last used ${last.model} (${recordedProvider})`));
  }
  notes.push(...carried.notes);
  if (model !== o.model) {
    const effort = chooseEffort(model, o.loaded.config.model_reasoning_effort).note;
    if (effort) notes.push(escapeLine(effort));
  }
  return { rollout, model, provider, history: carried.history, notes };
}

/**
 * Codex 0.171 sends a thread's base instructions as the first developer message, and for some models records
 * that message in the history too. opencodex sends them as the request's `instructions` on every request of a
 * resumed thread (and keeps them through compactions), so a recorded copy is left out rather than sent twice.
 */
function withoutInstructionsMessage(history: ResponseItem[], origins: ItemOrigin[], instructions: string): { history: ResponseItem[]; origins: ItemOrigin[] } {
  const i =
    instructions === ''
      ? -1
      : history.findIndex(
          (item) =>
            item.type === 'message' &&
            (item.role === 'developer' || item.role === 'system') &&
            item.content.length === 1 &&
            item.content[0]?.type === 'input_text' &&
            item.content[0].text === instructions,
        );
  if (i === -1) return { history, origins };
  return { history: [...history.slice(0, i), ...history.slice(i + 1)], origins: [...origins.slice(0, i), ...origins.slice(i + 1)] };
}
