/** Finding the catalog entry for a requested model slug, and what to tell the user. */
import { factsOf, familyOf, FALLBACK_FACTS, withOverrides, type FactOverrides } from './facts.js';
import type { Catalog, ModelEntry, ResolvedModel } from './types.js';

/**
 * Provider namespaces in front of a slug: `openai/gpt-5.4`, `openrouter/openai/gpt-5.4`. Each segment is
 * letters, digits, `_`, `.` or `-`.
 */
const NAMESPACES = /^(?:[A-Za-z0-9_.-]+\/)+/;
/** A snapshot date at the end of a slug: `-2025-08-07` or `-20250807` (a plausible calendar date). */
const DATE_SUFFIX = /-20\d{2}(-?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])$/;
/** The moving alias of a model's newest snapshot. */
const LATEST_SUFFIX = /-latest$/;

/** The slug without its provider namespaces. */
export function withoutNamespace(slug: string): string {
  const rest = slug.replace(NAMESPACES, '');
  return rest === '' ? slug : rest;
}

/** The slug without one snapshot suffix (a date or `-latest`), or null when it has none. */
function withoutSnapshot(slug: string): string | null {
  for (const suffix of [DATE_SUFFIX, LATEST_SUFFIX]) {
    const m = suffix.exec(slug);
    if (m && m.index > 0) return slug.slice(0, m.index);
  }
  return null;
}

/**
 * The names a requested slug may stand for, most specific first: the slug itself; without its
 * namespaces; then without a snapshot suffix. Nothing else is an alias: `gpt-5.4-nano`, `gpt-5.5` and
 * `gpt-5.4.1` are other models than `gpt-5.4`, so they never take its facts.
 */
export function aliasCandidates(requested: string): string[] {
  const out = [requested];
  const core = withoutNamespace(requested);
  if (!out.includes(core)) out.push(core);
  const base = withoutSnapshot(core);
  if (base !== null && !out.includes(base)) out.push(base);
  return out;
}

function findByAlias(catalog: Catalog, requested: string): { entry: ModelEntry; stripped: string } | null {
  for (const name of aliasCandidates(requested)) {
    const entry = catalog.models.find((m) => m.slug === name);
    if (entry) return { entry, stripped: name };
  }
  return null;
}

/**
 * 1. a catalog entry whose slug is the request or one of its aliases (see aliasCandidates);
 * 2. else unknown: fallback facts, refined by a well-known family when the slug belongs to one.
 * `overrides` (model_context_window, model_supports_reasoning_summaries, tool_output_token_limit)
 * then adjust the facts for the session, the context window never beyond the model's maximum.
 */
export function lookupModel(catalog: Catalog, requested: string, overrides: FactOverrides = {}): ResolvedModel {
  const found = findByAlias(catalog, requested);
  if (found) {
    const { entry, stripped } = found;
    const max = entry.max_context_window === 'unknown' ? undefined : entry.max_context_window;
    return {
      requested,
      match: stripped === requested ? { kind: 'exact', entry } : { kind: 'alias', entry, stripped },
      entry,
      facts: withOverrides(factsOf(entry), overrides, max),
    };
  }
  const family = familyOf(withoutNamespace(requested));
  return {
    requested,
    match: { kind: 'unknown', family: family?.name ?? null },
    entry: undefined,
    facts: withOverrides(family?.facts ?? { ...FALLBACK_FACTS }, overrides),
  };
}

export function findEntry(catalog: Catalog, slug: string): ModelEntry | undefined {
  return catalog.models.find((m) => m.slug === slug);
}

/**
 * The successor chain of a retired model, starting with the model itself and ending at the first model
 * that is current, that has no successor, or that the catalog does not list.
 */
export function successorChain(catalog: Catalog, slug: string): string[] {
  const chain = [slug];
  let entry = findEntry(catalog, slug);
  while (entry && entry.status === 'retired' && entry.successor && !chain.includes(entry.successor)) {
    chain.push(entry.successor);
    entry = findEntry(catalog, entry.successor);
  }
  return chain;
}

/** The one-line warning for a retired model, or null when the model is current or unknown. */
export function retirementNotice(catalog: Catalog, resolved: ResolvedModel): string | null {
  const entry = resolved.entry;
  if (!entry || entry.status !== 'retired') return null;
  const chain = successorChain(catalog, entry.slug);
  const last = chain[chain.length - 1] ?? entry.slug;
  const lastEntry = findEntry(catalog, last);
  const name = resolved.requested === entry.slug ? entry.slug : `${resolved.requested} (${entry.slug})`;
  const howTo = (slug: string) => `switch with \`opencodex -m ${slug}\` or model = "${slug}" in config.toml`;
  if (lastEntry && lastEntry.status !== 'retired') {
    return `model ${name} is retired: ${chain.join(' → ')}; ${howTo(last)}`;
  }
  const fallback = catalog.default_model;
  if (chain.length === 1) {
    return `model ${name} is retired and has no named successor; the recommended model is ${fallback}: ${howTo(fallback)}`;
  }
  const why = lastEntry ? `${last} is retired with no named successor` : `the catalog does not list ${last}`;
  return `model ${name} is retired: ${chain.join(' → ')} (${why}); the recommended model is ${fallback}: ${howTo(fallback)}`;
}

/** The one-line notice for a model the catalog does not know, or null. */
export function unknownModelNotice(resolved: ResolvedModel): string | null {
  if (resolved.match.kind !== 'unknown') return null;
  const family = resolved.match.family ? ` (${resolved.match.family} family defaults)` : '';
  return (
    `model ${resolved.requested} is not in the model catalog; using safe defaults${family}: function tools, ` +
    `no default reasoning effort, ${resolved.facts.contextWindow.toLocaleString('en-US')}-token context. ` +
    'Describe it in a catalog file (model_catalog_json) to change them'
  );
}
