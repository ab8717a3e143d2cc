/** Local compaction: which prompts a compacted history keeps, the boundary cut, the order, the auto limit. */
import { describe, expect, it } from 'vitest';
import {
  approxTokens,
  autoCompactLimit,
  compactedHistory,
  isCompactionSummary,
  keptPrompts,
  KEPT_PROMPT_TOKENS,
  SUMMARY_PREFIX,
  summaryMessageText,
  truncateMiddle,
} from '../../src/agent/index.js';
import type { ResponseItem } from '../../src/providers/index.js';
import { codexThreads, fixtureLines } from '../support/codex-fixtures.js';

const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const assistant = (text: string): ResponseItem => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const developer = (text: string): ResponseItem => ({ type: 'message', role: 'developer', content: [{ type: 'input_text', text }] });
const envContext = user('<environment_context>\n  <cwd>/w</cwd>\n</environment_context>');
const agentsMd = user('# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>\nbe nice\n</INSTRUCTIONS>');
const call = (id: string): ResponseItem => ({ type: 'function_call', call_id: id, name: 'shell_command', arguments: '{"command":"ls"}' });
const output = (id: string): ResponseItem => ({ type: 'function_call_output', call_id: id, output: 'a\nb' });
const texts = (items: readonly ResponseItem[]): string[] =>
  items.map((i) => (i.type === 'message' ? `${i.role}: ${i.content.map((p) => (p.type === 'input_image' ? '[image]' : p.text)).join('')}` : i.type));

describe('token estimate', () => {
  it('is UTF-8 bytes / 4, rounded up', () => {
    expect(approxTokens('')).toBe(0);
    expect(approxTokens('abcd')).toBe(1);
    expect(approxTokens('abcde')).toBe(2);
    expect(approxTokens('é'.repeat(4))).toBe(2); // 8 bytes
  });
});

describe('keptPrompts', () => {
  it('keeps every user prompt, oldest first, when they fit; context messages, answers and tool calls are not prompts', () => {
    const history = [developer('perms'), envContext, agentsMd, user('one'), assistant('a1'), call('c'), output('c'), user('two'), assistant('a2')];
    expect(keptPrompts(history)).toEqual(['one', 'two']);
  });

  it('keeps the most recent prompts within the budget, cuts the one at the boundary and drops older ones', () => {
    const big = (c: string) => c.repeat(4000); // 1,000 tokens each
    const history = [user(`OLDEST${big('o')}`), user(`${big('x')}MIDDLE-END`), user(big('y')), user(big('z'))];
    const kept = keptPrompts(history, 2500);
    expect(kept).toHaveLength(3);
    expect(kept[1]).toBe(big('y'));
    expect(kept[2]).toBe(big('z'));
    const cut = kept[0] as string;
    expect(cut).not.toContain('OLDEST');
    // The boundary message keeps its beginning and end, with a note about what was left out in between.
    expect(cut.startsWith('xxx')).toBe(true);
    expect(cut.endsWith('MIDDLE-END')).toBe(true);
    expect(cut).toMatch(/\[… about \d+ tokens of this message left out …\]/);
    expect(approxTokens(cut)).toBeLessThan(600);
    expect(approxTokens(cut)).toBeGreaterThan(450);
  });

  it('stops when the budget is used up exactly (no empty boundary message)', () => {
    const history = [user('a'.repeat(400)), user('b'.repeat(400))];
    expect(keptPrompts(history, 100)).toEqual(['b'.repeat(400)]);
  });

  it('does not keep an earlier summary as a prompt (the new summary covers it)', () => {
    const history = [envContext, user('one'), user(summaryMessageText('old summary')), user('two')];
    expect(keptPrompts(history)).toEqual(['one', 'two']);
  });

  it('uses a 20,000-token budget by default', () => {
    expect(KEPT_PROMPT_TOKENS).toBe(20_000);
    const history = Array.from({ length: 30 }, (_, i) => user(`${i}`.padEnd(4000, '.'))); // 1,000 tokens each
    const kept = keptPrompts(history);
    expect(kept).toHaveLength(20);
    expect(kept[0]?.startsWith('10.')).toBe(true);
  });
});

describe('truncateMiddle', () => {
  it('leaves short texts alone and never splits a multi-byte character', () => {
    expect(truncateMiddle('short', 100)).toBe('short');
    const cut = truncateMiddle('é'.repeat(1000), 101);
    expect(cut).not.toContain('\uFFFD');
    expect(cut.startsWith('é'.repeat(25))).toBe(true);
  });
});

describe('compactedHistory', () => {
  it('is the initial context, then the kept prompts, then the summary message last', () => {
    const initial = [developer('perms now'), user('<environment_context>\n  <cwd>/w</cwd>\n</environment_context>')];
    const history = [developer('perms then'), envContext, user('fix the bug'), assistant('looking'), call('c1'), output('c1'), user('also add a test'), assistant('done')];
    const out = compactedHistory({ initialContext: initial, history, summary: '  The bug is fixed in a.ts; a test remains.  ' });
    expect(texts(out)).toEqual([
      'developer: perms now',
      'user: <environment_context>\n  <cwd>/w</cwd>\n</environment_context>',
      'user: fix the bug',
      'user: also add a test',
      `user: ${SUMMARY_PREFIX}\nThe bug is fixed in a.ts; a test remains.`,
    ]);
    expect(isCompactionSummary(out[4] as ResponseItem)).toBe(true);
    expect(isCompactionSummary(out[3] as ResponseItem)).toBe(false);
    expect(isCompactionSummary(assistant(SUMMARY_PREFIX))).toBe(false);
  });

  it('knows the summary message Codex 0.171 leaves (a thread it compacted), and keeps it out of the prompts', () => {
    const compacted = fixtureLines(codexThreads.threads.compaction).find((l) => l.type === 'compacted') as { payload: { message: string } };
    const codexSummary = user(compacted.payload.message);
    expect(isCompactionSummary(codexSummary)).toBe(true);
    const out = compactedHistory({ initialContext: [], history: [user('first'), codexSummary, user('second')], summary: 'new' });
    expect(texts(out)).toEqual(['user: first', 'user: second', `user: ${SUMMARY_PREFIX}\nnew`]);
  });

  it('says so when the model wrote no summary', () => {
    expect(summaryMessageText('   ')).toBe(`${SUMMARY_PREFIX}\n(the model returned no summary)`);
  });
});

describe('autoCompactLimit', () => {
  it('is 90% of the context window unless the configured limit is lower', () => {
    expect(autoCompactLimit(undefined, 272_000)).toBe(244_800);
    expect(autoCompactLimit(100_000, 272_000)).toBe(100_000);
    expect(autoCompactLimit(500_000, 272_000)).toBe(244_800);
  });

  it('is the configured limit alone when the window is unknown, and none when neither is known', () => {
    expect(autoCompactLimit(50_000, null)).toBe(50_000);
    expect(autoCompactLimit(50_000, undefined)).toBe(50_000);
    expect(autoCompactLimit(undefined, null)).toBeUndefined();
  });
});
