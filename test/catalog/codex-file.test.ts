/** Codex 0.171's own catalog (`codex debug models` output, unchanged) as a catalog file, and the shipped copy of its facts. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogFromFile } from '../../src/catalog/file.js';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';

const FIXTURE = new URL('./fixtures/codex-0.171-models.json', import.meta.url).pathname;
const text = readFileSync(FIXTURE, 'utf8');

interface CodexModel {
  slug: string;
  display_name: string;
  priority: number;
  visibility: string;
  context_window: number;
  max_context_window: number;
  default_reasoning_level: string;
  supported_reasoning_levels: Array<{ effort: string }>;
  input_modalities: string[];
  default_verbosity: string;
  upgrade: { model: string } | null;
  shell_type: string;
}
const codex = (JSON.parse(text) as { models: CodexModel[] }).models;

describe('a Codex catalog file as model_catalog_json', () => {
  const cat = catalogFromFile(FIXTURE, text);

  it('loads unchanged, every model in priority order', () => {
    expect(cat.models).toHaveLength(14);
    expect(cat.models.map((m) => m.priority)).toEqual([...codex.map((m) => m.priority)].sort((a, b) => a - b));
    expect(cat.origin).toEqual({ kind: 'file', path: FIXTURE });
  });

  it('picks its default as Codex does: the lowest priority among listed models', () => {
    expect(cat.default_model).toBe('gpt-6.2-sol');
    expect(cat.default_from).toBe('priority');
  });

  it('keeps the facts, new efforts and unified_exec included', () => {
    const sol = lookupModel(cat, 'gpt-6.2-sol').facts;
    expect(sol).toMatchObject({
      contextWindow: 500_000,
      reasoningEfforts: ['low', 'medium', 'high', 'xhigh', 'max', 'ultra'],
      defaultReasoningEffort: 'low',
      shellType: 'unified_exec',
      applyPatchToolType: 'freeform',
      webSearchToolType: 'text_and_image',
      supportsVerbosity: true,
      defaultVerbosity: 'low',
      truncation: { mode: 'tokens', limit: 10_000 },
    });
    expect(cat.models.find((m) => m.slug === 'codex-auto-review')?.hidden).toBe(true);
    expect(cat.models.find((m) => m.slug === 'gpt-5.5')).toMatchObject({ hidden: false, upgrade: 'gpt-6-sol', max_context_window: 272_000 });
  });

  it('ignores fields and values it does not know instead of failing', () => {
    const future = JSON.parse(text) as { models: Array<Record<string, unknown>> };
    const m = future.models[0] as Record<string, unknown>;
    m.shell_type = 'quantum_exec';
    m.tool_mode = 'something_new';
    m.apply_patch_tool_type = 'diff3';
    m.web_search_tool_type = 'video';
    m.default_verbosity = 'loud';
    m.default_reasoning_summary = 'haiku';
    m.input_modalities = ['text', 'image', 'audio'];
    m.supported_reasoning_levels = [{ effort: 'low' }, { effort: 'hyper', description: 'new' }, { effort: 'ultra' }];
    m.default_reasoning_level = 'hyper';
    m.truncation_policy = { mode: 'paragraphs', limit: 3 };
    m.brand_new_field = { nested: [1, 2] };
    const cat2 = catalogFromFile('future.json', JSON.stringify(future));
    const e = cat2.models.find((x) => x.slug === m.slug);
    expect(e).toMatchObject({
      shell_type: 'unknown',
      apply_patch_tool_type: 'unknown',
      web_search_tool_type: 'unknown',
      default_verbosity: 'unknown',
      default_reasoning_summary: 'unknown',
      input_modalities: ['text', 'image'],
      reasoning_efforts: ['low', 'ultra'],
      default_reasoning_effort: 'unknown',
      truncation: 'unknown',
    });
    // unknown facts take the safe values
    expect(lookupModel(cat2, String(m.slug)).facts).toMatchObject({ shellType: 'default', applyPatchToolType: 'function', reasoningEfforts: ['low', 'ultra'] });
  });

  it('prefers a model usable with an API key for the default, then any listed one', () => {
    const cat3 = catalogFromFile('c.json', JSON.stringify({ models: [
      { slug: 'app-only', priority: 1, visibility: 'list', supported_in_api: false },
      { slug: 'hidden', priority: 2, visibility: 'hide' },
      { slug: 'api', priority: 3, visibility: 'list', supported_in_api: true },
    ] }));
    expect(cat3.default_model).toBe('api');
    const cat4 = catalogFromFile('c.json', JSON.stringify({ models: [{ slug: 'b', priority: 9 }, { slug: 'a', priority: 4, visibility: 'none' }] }));
    expect(cat4.default_model).toBe('b');
  });
});

describe("the shipped catalog carries Codex 0.171's models", () => {
  it('with the facts Codex states, next to the seed’s models', () => {
    for (const c of codex) {
      const e = SHIPPED_CATALOG.models.find((m) => m.slug === c.slug);
      expect(e, c.slug).toBeDefined();
      expect(e).toMatchObject({
        display_name: c.display_name,
        priority: c.priority,
        hidden: c.visibility !== 'list',
        context_window: c.context_window,
        max_context_window: c.max_context_window,
        reasoning_efforts: c.supported_reasoning_levels.map((l) => l.effort),
        default_reasoning_effort: c.default_reasoning_level,
        input_modalities: c.input_modalities,
        default_verbosity: c.default_verbosity,
        upgrade: c.upgrade?.model ?? null,
        shell_type: c.shell_type,
      });
      expect(e?.status).not.toBe('retired');
    }
    expect(SHIPPED_CATALOG.models).toHaveLength(12 + codex.length);
  });

  it('keeps gpt-5.4 as the default and the seed’s retirement chains', () => {
    expect(SHIPPED_CATALOG.default_model).toBe('gpt-5.4');
    expect(SHIPPED_CATALOG.models[0]?.slug).toBe('gpt-5.4');
  });
});
