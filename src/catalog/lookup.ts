/** Finding the catalog entry for a requested model slug (codex-compat.md §3.2) and what to tell the user. */
import { factsOf, familyOf, FALLBACK_FACTS } from './facts.js';
import type { Catalog, LookupMatch, ModelEntry, ResolvedModel } from './types.js';

type CatalogMatch = Extract<LookupMatch, { kind: 'exact' | 'prefix' }>;

function findBySlug(catalog: Catalog, slug: string): CatalogMatch | null {
  let best: ModelEntry | undefined;
  for (const entry of catalog.models) {
    if (entry.slug === slug) return { kind: 'exact', entry };
    if (slug.startsWith(entry.slug) && (!best || entry.slug.length > best.slug.length)) best = entry;
  }
  return best ? { kind: 'prefix', entry: best } : null;
}

const NAMESPACED = /^(\w+)\/([^/]+)$/;

/**
 * 1. exact slug, else the longest catalog slug that prefixes the request (dated slugs);
 * 2. else `ns/rest` → look up `rest` (namespaced slugs such as `openai/gpt-5.4`);
 * 3. else unknown: fallback facts, refined by a well-known family when the slug has one.
 */
export function lookupModel(catalog: Catalog, requested: string): ResolvedModel {
  const direct = findBySlug(catalog, requested);
  if (direct) return { requested, match: direct, entry: direct.entry, facts: factsOf(direct.entry) };
  const ns = NAMESPACED.exec(requested);
  if (ns?.[2]) {
    const inner = findBySlug(catalog, ns[2]);
    if (inner) {
      return {
        requested,
        match: { kind: 'namespace', entry: inner.entry, stripped: ns[2] },
        entry: inner.entry,
        facts: factsOf(inner.entry),
      };
    }
  }
  const family = familyOf(requested) ?? (ns?.[2] ? familyOf(ns[2]) : null);
  return {
    requested,
    match: { kind: 'unknown', family: family?.name ?? null },
    entry: undefined,
    facts: family?.facts ?? { ...FALLBACK_FACTS },
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
    `no reasoning settings, ${resolved.facts.contextWindow.toLocaleString('en-US')}-token context. ` +
    'Describe it in a catalog file (model_catalog_json) to change them'
  );
}
