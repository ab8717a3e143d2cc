/** The reasoning effort sent: what the user asked, or the nearest the catalog says the model takes at or below it. */
import { describe, expect, it } from 'vitest';
import { chooseEffort, lookupModel, REASONING_EFFORTS, SHIPPED_CATALOG, type ReasoningEffort } from '../../src/catalog/index.js';
import { REASONING_EFFORT_VALUES } from '../../src/config/schema.js';

const C = SHIPPED_CATALOG;
const choose = (slug: string, asked: ReasoningEffort | undefined) => chooseEffort(lookupModel(C, slug), asked);

describe('chooseEffort', () => {
  // [model, asked, sent]
  const table: Array<[string, ReasoningEffort | undefined, ReasoningEffort | undefined]> = [
    // nothing asked: the model's default (none for a model outside the catalog)
    ['gpt-5.4', undefined, 'xhigh'],
    ['gpt-6.2-sol', undefined, 'low'],
    ['my-local-model', undefined, undefined],
    // asked and listed: as asked
    ['gpt-5.4', 'high', 'high'],
    ['gpt-6.2-sol', 'ultra', 'ultra'],
    ['gpt-6-luna', 'max', 'max'],
    // outside the catalog, or the catalog does not say: as asked (never dropped)
    ['my-local-model', 'high', 'high'],
    ['qwen3-coder:30b', 'minimal', 'minimal'],
    ['gpt-5.3-codex-spark', 'high', 'high'],
    // not listed: the nearest below, never above
    ['gpt-5.4', 'ultra', 'xhigh'],
    ['gpt-5.4', 'max', 'xhigh'],
    ['gpt-6-luna', 'ultra', 'max'],
    ['gpt-5', 'xhigh', 'high'],
    // nothing below: the lowest it takes
    ['gpt-5.4', 'none', 'low'],
    ['gpt-5.4', 'minimal', 'low'],
    ['gpt-6.2-sol', 'none', 'low'],
  ];

  it.each(table)('%s asked %s → %s', (slug, asked, sent) => {
    expect(choose(slug, asked).effort).toBe(sent);
  });

  it('says so in one line when it sends something else', () => {
    expect(choose('gpt-5.4', 'high').note).toBeNull();
    expect(choose('my-local-model', 'high').note).toBeNull();
    expect(choose('gpt-5.4', 'ultra').note).toBe(
      'model gpt-5.4 does not take reasoning effort "ultra"; using "xhigh", the nearest it takes below it (it takes low, medium, high, xhigh)',
    );
    expect(choose('gpt-5.4', 'none').note).toBe(
      'model gpt-5.4 does not take reasoning effort "none"; using "low", the lowest it takes (it takes low, medium, high, xhigh)',
    );
    for (const [slug, asked] of [['gpt-5.4', 'minimal'], ['gpt-6-luna', 'ultra']] as const) expect(choose(slug, asked).note).not.toMatch(/\n/);
  });

  it('sends nothing when the catalog says the model takes no effort', () => {
    const r = chooseEffort({ requested: 'plain', facts: { reasoningEfforts: [], defaultReasoningEffort: null } }, 'high');
    expect(r.effort).toBeUndefined();
    expect(r.note).toMatch(/^model plain does not take reasoning effort "high" \(the catalog lists none for it\); no effort is sent$/);
  });
});

describe('effort values', () => {
  it('config.toml accepts every effort the catalog knows, max and ultra included, in the same order', () => {
    expect([...REASONING_EFFORT_VALUES]).toEqual([...REASONING_EFFORTS]);
    expect(REASONING_EFFORTS).toContain('max');
    expect(REASONING_EFFORTS).toContain('ultra');
  });
});
