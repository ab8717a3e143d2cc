import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadCatalog,
  lookupModel,
  retirementNotice,
  SHIPPED_CATALOG,
  successorChain,
  unknownModelNotice,
} from '../../src/catalog/index.js';
import { catalogFromFile } from '../../src/catalog/file.js';
import { ConfigError } from '../../src/shared/index.js';

const C = SHIPPED_CATALOG;

describe('shipped catalog', () => {
  it('has every model the models page names, with the statuses it gives', () => {
    const status = Object.fromEntries(C.models.filter((m) => m.priority === 'unknown').map((m) => [m.slug, m.status]));
    expect(status).toEqual({
      'gpt-5.4': 'recommended',
      'gpt-5.4-mini': 'recommended',
      'gpt-5.3-codex': 'recommended',
      'gpt-5.3-codex-spark': 'recommended',
      'gpt-5.2': 'alternative',
      'gpt-5.2-codex': 'retired',
      'gpt-5.1-codex-max': 'retired',
      'gpt-5.1': 'retired',
      'gpt-5.1-codex': 'retired',
      'gpt-5-codex': 'retired',
      'gpt-5-codex-mini': 'retired',
      'gpt-5': 'retired',
    });
    expect(C.default_model).toBe('gpt-5.4');
    expect(C.default_from).toBe('shipped');
    expect(C.small_model).toBe('gpt-5.4-mini');
  });

  it('records successors exactly as the page states them', () => {
    const succ = Object.fromEntries(C.models.filter((m) => m.status === 'retired').map((m) => [m.slug, m.successor]));
    expect(succ).toEqual({
      'gpt-5.2-codex': 'gpt-5.3-codex',
      'gpt-5.1-codex-max': null,
      'gpt-5.1': 'gpt-5.2',
      'gpt-5.1-codex': 'gpt-5.1-codex-max',
      'gpt-5-codex': 'gpt-5.1-codex',
      'gpt-5-codex-mini': 'gpt-5.1-codex-mini',
      'gpt-5': 'gpt-5.1',
    });
  });

  it('keeps facts no source gives as unknown rather than inventing them', () => {
    const spark = C.models.find((m) => m.slug === 'gpt-5.3-codex-spark');
    expect(spark?.input_modalities).toEqual(['text']);
    expect(spark?.context_window).toBe('unknown');
    expect(spark?.access_note).toMatch(/Pro/);
    for (const m of C.models) {
      expect(m.capability).toBe('unknown');
      expect(m.speed).toBe('unknown');
      expect(m.price).toEqual({ input: 'unknown', cached_input: 'unknown', output: 'unknown' });
      expect(m.description.length).toBeGreaterThan(10);
    }
  });

  it('round-trips through the catalog-file validator (the shipped data is valid catalog data)', () => {
    const again = catalogFromFile('shipped', JSON.stringify(C));
    // A file is ordered by priority (entries without one after those with one), so compare by slug.
    const bySlug = (ms: typeof C.models) => [...ms].sort((a, b) => a.slug.localeCompare(b.slug));
    expect(bySlug(again.models)).toEqual(bySlug(C.models));
    expect(again.default_model).toBe(C.default_model);
    expect(again.small_model).toBe(C.small_model);
  });

  it('gives a default effort that is one of the supported efforts', () => {
    for (const m of C.models) {
      if (m.reasoning_efforts !== 'unknown' && m.default_reasoning_effort !== 'unknown' && m.default_reasoning_effort !== null) {
        expect(m.reasoning_efforts).toContain(m.default_reasoning_effort);
      }
    }
  });
});

describe('lookup', () => {
  it('finds exact slugs', () => {
    const r = lookupModel(C, 'gpt-5.4');
    expect(r.match.kind).toBe('exact');
    expect(r.entry?.slug).toBe('gpt-5.4');
    expect(r.facts).toMatchObject({ contextWindow: 272_000, parallelToolCalls: true, applyPatchToolType: 'freeform', defaultReasoningEffort: 'xhigh' });
  });

  it('gives unknown models safe fallback facts: function tools, no default effort, no parallel calls', () => {
    const r = lookupModel(C, 'qwen3-coder:30b');
    expect(r.match).toEqual({ kind: 'unknown', family: null });
    expect(r.entry).toBeUndefined();
    expect(r.facts).toMatchObject({
      contextWindow: 272_000,
      reasoningEfforts: null,
      defaultReasoningEffort: null,
      supportsReasoningSummaries: false,
      applyPatchToolType: 'function',
      parallelToolCalls: false,
      supportsVerbosity: false,
    });
  });

  it('applies catalog facts with unknowns replaced by safe values', () => {
    const spark = lookupModel(C, 'gpt-5.3-codex-spark').facts;
    expect(spark.inputModalities).toEqual(['text']);
    // The catalog does not say which efforts spark takes: a configured one is sent as set.
    expect(spark.reasoningEfforts).toBeNull();
    expect(spark.applyPatchToolType).toBe('function');
  });
});

describe('retired models and notices', () => {
  it('follows successor chains to the first current model', () => {
    expect(successorChain(C, 'gpt-5')).toEqual(['gpt-5', 'gpt-5.1', 'gpt-5.2']);
    expect(successorChain(C, 'gpt-5.2-codex')).toEqual(['gpt-5.2-codex', 'gpt-5.3-codex']);
    expect(successorChain(C, 'gpt-5-codex')).toEqual(['gpt-5-codex', 'gpt-5.1-codex', 'gpt-5.1-codex-max']);
    expect(successorChain(C, 'gpt-5-codex-mini')).toEqual(['gpt-5-codex-mini', 'gpt-5.1-codex-mini']);
    expect(successorChain(C, 'gpt-5.4')).toEqual(['gpt-5.4']);
  });

  it('stops on a cycle in a user catalog', () => {
    const cyclic = catalogFromFile(
      'c.json',
      JSON.stringify({ default_model: 'x', models: [{ slug: 'x' }, { slug: 'a', status: 'retired', successor: 'b' }, { slug: 'b', status: 'retired', successor: 'a' }] }),
    );
    expect(successorChain(cyclic, 'a')).toEqual(['a', 'b']);
  });

  it('warns with the chain and how to switch', () => {
    expect(retirementNotice(C, lookupModel(C, 'gpt-5'))).toBe(
      'model gpt-5 is retired: gpt-5 → gpt-5.1 → gpt-5.2; switch with `opencodex -m gpt-5.2` or model = "gpt-5.2" in config.toml',
    );
    expect(retirementNotice(C, lookupModel(C, 'gpt-5.1-codex-max'))).toMatch(
      /^model gpt-5.1-codex-max is retired and has no named successor; the recommended model is gpt-5.4: switch with `opencodex -m gpt-5.4`/,
    );
    expect(retirementNotice(C, lookupModel(C, 'gpt-5-codex'))).toMatch(
      /gpt-5-codex → gpt-5.1-codex → gpt-5.1-codex-max \(gpt-5.1-codex-max is retired with no named successor\); the recommended model is gpt-5.4/,
    );
    expect(retirementNotice(C, lookupModel(C, 'gpt-5-codex-mini'))).toMatch(/the catalog does not list gpt-5.1-codex-mini/);
    expect(retirementNotice(C, lookupModel(C, 'openai/gpt-5.1'))).toMatch(/^model openai\/gpt-5.1 \(gpt-5.1\) is retired: gpt-5.1 → gpt-5.2/);
    expect(retirementNotice(C, lookupModel(C, 'gpt-5.4'))).toBeNull();
    expect(retirementNotice(C, lookupModel(C, 'llama3'))).toBeNull();
  });

  it('tells once that an unknown model uses defaults', () => {
    expect(unknownModelNotice(lookupModel(C, 'llama3'))).toMatch(/^model llama3 is not in the model catalog; using safe defaults: function tools, no default reasoning effort, 272,000-token context/);
    expect(unknownModelNotice(lookupModel(C, 'gpt-5.4'))).toBeNull();
  });
});

describe('user catalog files (model_catalog_json)', () => {
  const write = (content: unknown) => {
    const path = join(mkdtempSync(join(tmpdir(), 'ocx-cat-')), 'catalog.json');
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('replaces the shipped catalog by default, as Codex does; the first current model is the default', async () => {
    const cat = await loadCatalog({ file: write({ models: [{ slug: 'old', status: 'retired' }, { slug: 'my-model', context_window: 32000 }] }) });
    expect(cat.models.map((m) => m.slug)).toEqual(['old', 'my-model']);
    expect(cat.default_model).toBe('my-model');
    expect(cat.default_from).toBe('first');
    expect(lookupModel(cat, 'gpt-5.4').entry).toBeUndefined();
    expect(lookupModel(cat, 'my-model').facts.contextWindow).toBe(32000);
  });

  it('extends and refines the shipped catalog with "mode": "extend"', async () => {
    const cat = await loadCatalog({
      file: write({ mode: 'extend', models: [{ slug: 'gpt-5.4', price: { input: 2.5 } }, { slug: 'qwen3-coder', input_modalities: ['text'] }] }),
    });
    expect(cat.default_model).toBe('gpt-5.4');
    expect(cat.default_from).toBe('shipped');
    const g = cat.models.find((m) => m.slug === 'gpt-5.4');
    expect(g?.price).toEqual({ input: 2.5, cached_input: 'unknown', output: 'unknown' });
    expect(g?.context_window).toBe(272_000);
    expect(cat.models.find((m) => m.slug === 'qwen3-coder')?.input_modalities).toEqual(['text']);
    expect(cat.models).toHaveLength(C.models.length + 1);
    expect(SHIPPED_CATALOG.models.find((m) => m.slug === 'gpt-5.4')?.price.input).toBe('unknown');
  });

  it("accepts Codex's ModelInfo field names and orders by priority", () => {
    const cat = catalogFromFile(
      'codex.json',
      JSON.stringify({
        models: [
          { slug: 'b', priority: 5, display_name: 'B', supported_reasoning_levels: [{ effort: 'low', description: 'x' }, { effort: 'high', description: 'y' }], default_reasoning_level: 'high', support_verbosity: true, truncation_policy: { mode: 'tokens', limit: 10000 }, supported_in_api: true, visibility: 'list', base_instructions: '...' },
          { slug: 'a', priority: 1, display_name: 'A' },
        ],
      }),
    );
    expect(cat.default_model).toBe('a');
    expect(cat.default_from).toBe('priority');
    expect(lookupModel(cat, 'b').facts).toMatchObject({ reasoningEfforts: ['low', 'high'], defaultReasoningEffort: 'high', supportsVerbosity: true, truncation: { mode: 'tokens', limit: 10000 } });
    expect(cat.models.find((m) => m.slug === 'b')?.surfaces.api).toBe(true);
  });

  it('takes shell_type "unified_exec" (Codex 0.171\'s current models) as a fact', () => {
    const cat = catalogFromFile('codex.json', JSON.stringify({ models: [{ slug: 'u', shell_type: 'unified_exec' }] }));
    expect(lookupModel(cat, 'u').facts.shellType).toBe('unified_exec');
  });

  it('reports a file that does not validate with the path of the bad field', async () => {
    await expect(loadCatalog({ file: write({ models: [{ slug: 'x', context_window: 'big' }] }) })).rejects.toThrow(
      /model catalog .*catalog\.json does not validate: models\[0\]\.context_window/,
    );
    await expect(loadCatalog({ file: write({ models: [{ slug: 'x', status: 'deprecated' }] }) })).rejects.toThrow(
      /models\[0\]\.status must be one of "recommended", "alternative", "retired" \(got "deprecated"\)/,
    );
    await expect(loadCatalog({ file: write({ model: [] }) })).rejects.toThrow(/does not validate: models must be an array/);
    await expect(loadCatalog({ file: write('{ nope') })).rejects.toThrow(/is not valid JSON/);
    await expect(loadCatalog({ file: write({ models: [{ slug: 'x', status: 'retired' }] }) })).rejects.toThrow(/lists no current model/);
    await expect(loadCatalog({ file: '/nonexistent/catalog.json' })).rejects.toBeInstanceOf(ConfigError);
  });
});
