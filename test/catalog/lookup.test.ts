/**
 * What a requested slug resolves to. An alias (provider namespaces, a snapshot date, `-latest`) finds the
 * model it names; any other difference — another version number, another variant — is another model,
 * which gets safe defaults and never a catalog entry's facts.
 */
import { describe, expect, it } from 'vitest';
import { catalogFromFile } from '../../src/catalog/file.js';
import { aliasCandidates, lookupModel, retirementNotice, SHIPPED_CATALOG, unknownModelNotice } from '../../src/catalog/index.js';

const C = SHIPPED_CATALOG;

describe('aliases of catalog slugs', () => {
  // [requested, the catalog slug it resolves to (null: not in the catalog), the match kind]
  const table: Array<[string, string | null, 'exact' | 'alias' | 'unknown']> = [
    ['gpt-5.4', 'gpt-5.4', 'exact'],
    ['gpt-5.5', 'gpt-5.5', 'exact'],
    ['gpt-5', 'gpt-5', 'exact'],
    ['gpt-daybreak-blue-latest', 'gpt-daybreak-blue-latest', 'exact'],
    // snapshot dates, with or without dashes
    ['gpt-5.4-2026-03-05', 'gpt-5.4', 'alias'],
    ['gpt-5.4-20260305', 'gpt-5.4', 'alias'],
    ['gpt-5.4-mini-2026-03-01', 'gpt-5.4-mini', 'alias'],
    ['gpt-5-2025-08-07', 'gpt-5', 'alias'],
    ['gpt-6.2-sol-2026-11-30', 'gpt-6.2-sol', 'alias'],
    // the moving newest-snapshot alias
    ['gpt-5.4-latest', 'gpt-5.4', 'alias'],
    // provider namespaces, one or more, combined with a snapshot suffix
    ['openai/gpt-5.4', 'gpt-5.4', 'alias'],
    ['custom/gpt-5.3-codex-2026-01-01', 'gpt-5.3-codex', 'alias'],
    ['openrouter/openai/gpt-5.4-mini-20260301', 'gpt-5.4-mini', 'alias'],
    // other version numbers: never another model's entry
    ['gpt-5.7', null, 'unknown'],
    ['gpt-5.10', null, 'unknown'],
    ['gpt-5.4.1', null, 'unknown'],
    ['gpt-5.40', null, 'unknown'],
    ['gpt-6.3-sol', null, 'unknown'],
    ['gpt-5-5', null, 'unknown'],
    // other variants of a known model are other models too
    ['gpt-5.4-nano', null, 'unknown'],
    ['gpt-5.4-mini-high', null, 'unknown'],
    ['gpt-5.3-codex-spark-preview', null, 'unknown'],
    ['gpt-5.4-pro-2026-03-05', null, 'unknown'],
    // not dates: an impossible month, a short number
    ['gpt-5.4-2026-13-01', null, 'unknown'],
    ['gpt-5.4-0305', null, 'unknown'],
    ['gpt-5.4-2026-0305', null, 'unknown'],
    // slugs are case-sensitive, as Codex's are
    ['GPT-5.4', null, 'unknown'],
  ];

  it.each(table)('%s → %s (%s)', (requested, slug, kind) => {
    const r = lookupModel(C, requested);
    expect(r.entry?.slug ?? null).toBe(slug);
    expect(r.match.kind).toBe(kind);
    expect(r.requested).toBe(requested);
  });

  it('names what was stripped', () => {
    expect(lookupModel(C, 'openai/gpt-5.4').match).toMatchObject({ kind: 'alias', stripped: 'gpt-5.4' });
    expect(aliasCandidates('openrouter/openai/gpt-5.4-2026-03-05')).toEqual(['openrouter/openai/gpt-5.4-2026-03-05', 'gpt-5.4-2026-03-05', 'gpt-5.4']);
    expect(aliasCandidates('gpt-5.4')).toEqual(['gpt-5.4']);
  });

  it('prefers the slug as written: a catalog slug with a namespace or a date is found as it is', () => {
    const cat = catalogFromFile('c.json', JSON.stringify({ models: [{ slug: 'openai/gpt-oss-20b' }, { slug: 'gpt-oss-20b', context_window: 1000 }, { slug: 'm-2025-01-01', context_window: 2000 }, { slug: 'm', context_window: 3000 }] }));
    expect(lookupModel(cat, 'openai/gpt-oss-20b')).toMatchObject({ match: { kind: 'exact' }, entry: { slug: 'openai/gpt-oss-20b' } });
    expect(lookupModel(cat, 'lmstudio/gpt-oss-20b').entry?.slug).toBe('gpt-oss-20b');
    expect(lookupModel(cat, 'm-2025-01-01').facts.contextWindow).toBe(2000);
    expect(lookupModel(cat, 'm-2025-02-01').facts.contextWindow).toBe(3000);
  });
});

describe('a new slug is not mistaken for a retired one (issue #17)', () => {
  // A catalog without gpt-5.5, as the seed's was: gpt-5.5 used to match the retired gpt-5 by prefix.
  const seedOnly = catalogFromFile('seed.json', JSON.stringify({ default_model: 'gpt-5.4', models: C.models.filter((m) => m.priority === 'unknown') }));

  it('gives gpt-5.5 no retirement warning and none of gpt-5’s tools or efforts', () => {
    const r = lookupModel(seedOnly, 'gpt-5.5');
    expect(r.entry).toBeUndefined();
    expect(retirementNotice(seedOnly, r)).toBeNull();
    expect(unknownModelNotice(r)).toMatch(/^model gpt-5\.5 is not in the model catalog; using safe defaults/);
    const gpt5 = lookupModel(seedOnly, 'gpt-5').facts;
    expect(gpt5.shellType).toBe('default');
    expect(r.facts.reasoningEfforts).toBeNull();
    expect(r.facts.reasoningEfforts).not.toEqual(gpt5.reasoningEfforts);
  });

  it('still warns for a dated gpt-5 snapshot, which is gpt-5', () => {
    expect(retirementNotice(seedOnly, lookupModel(seedOnly, 'gpt-5-2025-08-07'))).toMatch(/^model gpt-5-2025-08-07 \(gpt-5\) is retired: gpt-5 → gpt-5\.1 → gpt-5\.2/);
  });
});

describe('well-known families of models outside the catalog', () => {
  const table: Array<[string, string | null, number]> = [
    ['gpt-4.1', 'gpt-4.1', 1_047_576],
    ['gpt-4.1-mini', 'gpt-4.1', 1_047_576],
    ['gpt-4.1-2025-04-14', 'gpt-4.1', 1_047_576],
    ['gpt-4.10', null, 272_000],
    ['gpt-4.1.5', null, 272_000],
    ['gpt-4o', 'gpt-4o', 128_000],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o', 128_000],
    ['gpt-4o1', null, 272_000],
    ['o3', 'o3', 200_000],
    ['o3-mini', 'o3', 200_000],
    ['o30', null, 272_000],
    ['o4-mini-2025-04-16', 'o4-mini', 200_000],
    ['gpt-oss:20b', 'gpt-oss', 96_000],
    ['openai/gpt-oss-20b', 'gpt-oss', 96_000],
    ['gpt-oss2', null, 272_000],
    ['gpt-3.5-turbo', 'gpt-3.5', 16_385],
    ['gpt-3.50', null, 272_000],
    ['qwen3-coder:30b', null, 272_000],
  ];

  it.each(table)('%s → family %s, %d-token context', (slug, family, window) => {
    const r = lookupModel(C, slug);
    expect(r.match).toEqual({ kind: 'unknown', family });
    expect(r.facts.contextWindow).toBe(window);
    expect(r.facts.applyPatchToolType).toBe('function');
  });
});

describe('config overrides of the facts (model_context_window, model_supports_reasoning_summaries)', () => {
  it('sets the context window, never beyond the model’s maximum', () => {
    expect(lookupModel(C, 'gpt-5.4', { model_context_window: 500_000 }).facts.contextWindow).toBe(500_000);
    expect(lookupModel(C, 'gpt-5.4', { model_context_window: 2_000_000 }).facts.contextWindow).toBe(1_000_000);
    expect(lookupModel(C, 'gpt-5.4-mini', { model_context_window: 400_000 }).facts.contextWindow).toBe(272_000);
    expect(lookupModel(C, 'gpt-5.4-mini', { model_context_window: 100_000 }).facts.contextWindow).toBe(100_000);
    // no maximum known: as configured
    expect(lookupModel(C, 'my-local-model', { model_context_window: 32_768 }).facts.contextWindow).toBe(32_768);
    expect(lookupModel(C, 'gpt-5.3-codex-spark', { model_context_window: 64_000 }).facts.contextWindow).toBe(64_000);
  });

  it('turns reasoning summaries on for a model whose entry does not', () => {
    expect(lookupModel(C, 'my-local-model').facts.supportsReasoningSummaries).toBe(false);
    expect(lookupModel(C, 'my-local-model', { model_supports_reasoning_summaries: true }).facts.supportsReasoningSummaries).toBe(true);
    expect(lookupModel(C, 'gpt-6.2-sol', { model_supports_reasoning_summaries: true }).facts.supportsReasoningSummaries).toBe(true);
  });

  it('leaves the catalog itself untouched', () => {
    lookupModel(C, 'gpt-5.4', { model_context_window: 1000 });
    expect(lookupModel(C, 'gpt-5.4').facts.contextWindow).toBe(272_000);
  });
});
