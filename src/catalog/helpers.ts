/**
 * The catalog's advice for helpers: the seed recommends gpt-5.4-mini for subagents of the gpt-5.4 family.
 * The catalog's `small_model` is that advice; it applies to a parent of the same family (the small
 * model's slug without its size suffix, `gpt-5.4-mini` → `gpt-5.4`, and every model of that name).
 */
import type { Catalog, ResolvedModel } from './types.js';

const SIZE_SUFFIX = /-(?:mini|nano)$/;

/** The model a subagent of `parent` runs on by default, or null when the catalog advises nothing for it. */
export function smallModelFor(catalog: Catalog, parent: ResolvedModel): string | null {
  const small = catalog.small_model;
  const slug = parent.entry?.slug;
  if (small === null || slug === undefined || !catalog.models.some((m) => m.slug === small && m.status !== 'retired')) return null;
  const family = small.replace(SIZE_SUFFIX, '');
  return slug === family || slug.startsWith(`${family}-`) ? small : null;
}
