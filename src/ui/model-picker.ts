/**
 * What `/model` offers: the catalog's recommended models first (with capability, speed, context and
 * input kinds), then the alternatives, then models the user's config files name for custom providers,
 * then the models the session's provider serves that are not listed yet; then the reasoning efforts
 * the chosen model supports.
 */
import { lookupModel, type Catalog, type ModelEntry, type ReasoningEffort, type ResolvedModel } from '../catalog/index.js';
import type { ConfiguredModel } from '../config/index.js';

export interface PickerItem<T> {
  label: string;
  /** Short facts before the label, drawn as aligned columns (a session's id, age and model). */
  columns?: readonly string[];
  /** Dim text after the label; the labels are padded so the details line up. */
  detail?: string;
  /** A heading printed above this item. */
  section?: string;
  value: T;
}

export interface ModelChoice {
  slug: string;
  /** Set when the model belongs to another provider than the session's. */
  provider?: string;
}

const rating = (name: string, v: number | 'unknown'): string | null => (v === 'unknown' ? null : `${name} ${v}/5`);

function contextLabel(n: number | 'unknown'): string | null {
  if (n === 'unknown') return null;
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(n % 1_000_000 === 0 ? 0 : 1)}M context` : `${Math.round(n / 1000)}k context`;
}

function entryDetail(e: ModelEntry): string {
  const parts = [
    rating('capability', e.capability),
    rating('speed', e.speed),
    contextLabel(e.context_window),
    e.input_modalities === 'unknown' ? null : e.input_modalities.join('+'),
    e.preview ? 'preview' : null,
  ].filter((p): p is string => p !== null);
  return [parts.join(' · '), e.description].filter((x) => x !== '').join(' — ');
}

export function modelItems(catalog: Catalog, configured: readonly ConfiguredModel[], currentProvider: string): PickerItem<ModelChoice>[] {
  const items: PickerItem<ModelChoice>[] = [];
  for (const status of ['recommended', 'alternative'] as const) {
    const models = catalog.models.filter((m) => m.status === status && !m.hidden);
    models.forEach((m, i) => {
      const item: PickerItem<ModelChoice> = { label: m.slug, detail: entryDetail(m), value: { slug: m.slug } };
      if (i === 0) item.section = status === 'recommended' ? 'Recommended' : 'Alternatives';
      items.push(item);
    });
  }
  const known = new Set(catalog.models.map((m) => m.slug));
  const seen = new Set<string>();
  const custom = configured.filter((c) => {
    const key = `${c.provider}\u0000${c.model}`;
    if (known.has(c.model) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  custom.forEach((c, i) => {
    const item: PickerItem<ModelChoice> = {
      label: c.model,
      detail: `provider ${c.provider} (from ${c.where})`,
      value: c.provider === currentProvider ? { slug: c.model } : { slug: c.model, provider: c.provider },
    };
    if (i === 0) item.section = 'From your config';
    items.push(item);
  });
  return items;
}

/**
 * The "Served by <provider>" group: the served ids not already offered for the session's provider,
 * with the catalog's facts when it knows them (dated and namespaced slugs resolve), else safe defaults.
 */
/**
 * Models a server lists that cannot hold a conversation (embeddings, speech, images, moderation, legacy
 * completions): left out of the picker, which offers models to chat with. `opencodex models --provider`
 * still lists everything.
 */
const NOT_FOR_CHAT = /(^|[-_/:.])(embed|embedding|embeddings|whisper|tts|transcribe|dall-e|image|moderation|davinci|babbage|rerank|reranker)([-_/:.\d]|$)/i;

export function isChatModelId(id: string): boolean {
  return !NOT_FOR_CHAT.test(id);
}

export function servedItems(catalog: Catalog, ids: readonly string[], providerName: string, listed: readonly PickerItem<ModelChoice>[]): PickerItem<ModelChoice>[] {
  const have = new Set(listed.filter((i) => i.value.provider === undefined).map((i) => i.value.slug));
  return ids
    .filter((id) => !have.has(id) && isChatModelId(id))
    .map((id, i) => {
      const r = lookupModel(catalog, id);
      const family = r.match.kind === 'unknown' && r.match.family ? `${r.match.family} family defaults` : 'safe defaults';
      const detail = r.entry ? `${r.entry.slug === id ? '' : `catalog: ${r.entry.slug} · `}${entryDetail(r.entry)}` : `not in the catalog (${family})`;
      const item: PickerItem<ModelChoice> = { label: id, detail, value: { slug: id } };
      if (i === 0) item.section = `Served by ${providerName}`;
      return item;
    });
}

export function effortItems(model: ResolvedModel, current: string | undefined): PickerItem<ReasoningEffort>[] {
  const def = model.facts.defaultReasoningEffort;
  return (model.facts.reasoningEfforts ?? []).map((e) => {
    const notes = [e === def ? 'default' : null, e === current ? 'current' : null].filter((x) => x !== null);
    return notes.length ? { label: e, detail: notes.join(', '), value: e } : { label: e, value: e };
  });
}
