/** Unit tests of the sessions layer: recorder, reader, listing, carry-over rules, history.jsonl. */
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import type { ResponseItem } from '../../src/providers/index.js';
import {
  appendHistory,
  carryHistory,
  findSession,
  listSessions,
  loadRollout,
  openRollout,
  readHistory,
  type ItemOrigin,
  type SessionMeta,
} from '../../src/sessions/index.js';
import { uuidv7 } from '../../src/shared/index.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ocx-sessions-'));

function meta(cwd = '/w', id = uuidv7()): SessionMeta {
  return { id, timestamp: new Date().toISOString(), cwd, originator: 't', cli_version: '0', source: 'exec', model_provider: 'p', base_instructions: { text: 'base' } };
}
const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const assistant = (text: string): ResponseItem => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const ctx = (model: string, provider = 'p') => ({ turn_id: 't', cwd: '/w', approval_policy: 'never', sandbox_policy: { type: 'read-only' }, model, model_provider: provider, summary: 'auto' });

function recorded(home: string, build: (rec: ReturnType<typeof openRollout>) => void, m = meta()): string {
  const rec = openRollout(home, m, { secrets: ['sk-very-secret-value'] });
  build(rec);
  rec.close();
  return rec.path;
}

describe('recorder and reader', () => {
  it('creates the file on the first record, one JSON line per record, secrets redacted', () => {
    const home = tmp();
    const rec = openRollout(home, meta());
    expect(() => statSync(rec.path)).toThrow();
    rec.turnContext(ctx('m1'));
    rec.item(user('my key is sk-very-secret-value'));
    rec.close();
    const path = recorded(home, (r) => r.item(user('my key is sk-very-secret-value')));
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('sk-very-secret-value');
    expect(text).toContain('[REDACTED]');
    expect(text.split('\n').filter(Boolean).map((l) => JSON.parse(l).type)).toEqual(['session_meta', 'response_item']);
  });

  it('rebuilds history with origins, usage, compactions, rollbacks and answers for unanswered calls', () => {
    const home = tmp();
    const path = recorded(home, (r) => {
      r.turnContext(ctx('m1'));
      r.item(user('one'));
      r.item({ type: 'reasoning', summary: [], encrypted_content: 'x' });
      r.item(assistant('a1'));
      r.event({ type: 'token_count', info: { total_token_usage: { input_tokens: 5, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0 }, last_token_usage: { input_tokens: 5, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0 }, model_context_window: 1 } });
      r.turnContext(ctx('m2', 'q'));
      r.item(user('two'));
      r.item({ type: 'function_call', call_id: 'c1', name: 'shell', arguments: '{}' });
    });
    const loaded = loadRollout(path);
    expect(loaded.history.map((i) => i.type)).toEqual(['message', 'reasoning', 'message', 'message', 'function_call', 'function_call_output']);
    expect(loaded.history[5]).toEqual({ type: 'function_call_output', call_id: 'c1', output: 'aborted' });
    expect(loaded.origins.map((o) => `${o.provider}/${o.model}`)).toEqual(['p/m1', 'p/m1', 'p/m1', 'q/m2', 'q/m2', 'q/m2']);
    expect(loaded.usage?.input_tokens).toBe(5);
    expect(loaded.lastTurnContext?.model).toBe('m2');
    expect(loaded.firstPrompt).toBe('one');

    appendFileSync(path, `${JSON.stringify({ timestamp: 't', type: 'event_msg', payload: { type: 'thread_rolled_back', num_turns: 1 } })}\n`);
    expect(loadRollout(path).history).toHaveLength(3);
    appendFileSync(path, `${JSON.stringify({ timestamp: 't', type: 'compacted', payload: { message: 's', replacement_history: [user('summary')] } })}\n`);
    expect(loadRollout(path).history).toEqual([user('summary')]);
    appendFileSync(path, `${JSON.stringify({ timestamp: 't', type: 'compacted', payload: { message: 'legacy summary' } })}\n`);
    expect(loadRollout(path).history).toEqual([user('summary'), user('legacy summary')]);
    // What the thread showed stays for display: the compactions add their summaries after it.
    const shown = loadRollout(path).shown;
    expect(shown.slice(0, 3)).toEqual(loaded.history.slice(0, 3));
    expect(shown.slice(3)).toEqual([user('summary'), user('legacy summary')]);
    // A rollback after that removes the turn it undid from what is shown too.
    appendFileSync(path, `${JSON.stringify({ timestamp: 't', type: 'response_item', payload: user('three') })}\n`);
    appendFileSync(path, `${JSON.stringify({ timestamp: 't', type: 'response_item', payload: assistant('answer three') })}\n`);
    expect(loadRollout(path).shown.slice(5)).toEqual([user('three'), assistant('answer three')]);
    appendFileSync(path, `${JSON.stringify({ timestamp: 't', type: 'event_msg', payload: { type: 'thread_rolled_back', num_turns: 1 } })}\n`);
    expect(loadRollout(path).shown).toEqual(shown);
  });

  it('skips a torn last line with a warning; a bad middle line is an error with its number; a repaired file reads cleanly', () => {
    const home = tmp();
    const m = meta();
    const path = recorded(home, (r) => r.item(user('kept')), m);
    appendFileSync(path, '{"timestamp":"x","type":"resp');
    const torn = loadRollout(path);
    expect(torn.history).toEqual([user('kept')]);
    expect(torn.warnings[0]).toMatch(/the last line \(3\) .* incomplete/);

    const rec = openRollout(home, m, { existing: path });
    rec.item(user('after'));
    rec.close();
    const repaired = loadRollout(path);
    expect(repaired.history).toEqual([user('kept'), user('after')]);
    expect(repaired.warnings[0]).toMatch(/line 3 of .* was cut off/);

    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = 'not json';
    writeFileSync(path, lines.join('\n'));
    expect(() => loadRollout(path)).toThrow(/corrupt at line 2/);
    writeFileSync(path, 'garbage\n');
    expect(() => loadRollout(path)).toThrow(/corrupt at line 1/);
    writeFileSync(path, `${JSON.stringify({ timestamp: 't', type: 'response_item', payload: user('x') })}\n`);
    expect(() => loadRollout(path)).toThrow(/not a session file/);
  });
});

describe('finding and listing', () => {
  it('lists by cwd from heads and tails, newest first; finds by id, prefix, --last; clear errors', () => {
    const home = tmp();
    const a = recorded(home, (r) => {
      r.turnContext(ctx('first-model'));
      r.event({ type: 'user_message', message: 'hello a' });
      r.item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'x'.repeat(400_000) }] });
      r.turnContext(ctx('later-model'));
    }, meta('/a'));
    const idB = uuidv7(Date.now() + 1000);
    recorded(home, (r) => r.event({ type: 'user_message', message: 'hello b' }), meta('/b', idB));
    const inA = listSessions(home, { cwd: '/a' });
    expect(inA).toHaveLength(1);
    expect(inA[0]).toMatchObject({ cwd: '/a', model: 'later-model', first_prompt: 'hello a', path: a });
    expect(listSessions(home, { cwd: '/a', all: true }).map((s) => s.cwd)).toEqual(['/b', '/a']);
    expect(findSession(home, { id: inA[0]?.id, cwd: '/x' })).toBe(a);
    expect(findSession(home, { id: idB.slice(0, 30), cwd: '/x' })).toMatch(idB);
    expect(findSession(home, { last: true, cwd: '/a' })).toBe(a);
    expect(() => findSession(home, { last: true, cwd: '/c' })).toThrow(/no earlier session in \/c/);
    expect(() => findSession(home, { id: 'nope', cwd: '/a' })).toThrow(/no session with id or name nope/);
  });
});

describe('carrying history to another model or provider', () => {
  const gpt54 = lookupModel(SHIPPED_CATALOG, 'gpt-5.4');
  const spark = lookupModel(SHIPPED_CATALOG, 'gpt-5.3-codex-spark');
  const from: ItemOrigin = { provider: 'p', model: 'gpt-5.4' };
  const items: ResponseItem[] = [
    { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'data:image/png;base64,AA' }, { type: 'input_text', text: 'see' }] },
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 's' }], encrypted_content: 'enc' },
    { type: 'function_call', call_id: 'bad id!', name: 'shell', arguments: '{}' },
    { type: 'function_call_output', call_id: 'bad id!', output: 'ok' },
    { type: 'custom_tool_call', call_id: 'c2', name: 'apply_patch', input: '*** Begin Patch' },
    { type: 'custom_tool_call_output', call_id: 'c2', output: 'done' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }], phase: 'final_answer' },
  ];
  const origins = items.map(() => from);

  it('keeps everything, untouched, for the same provider and model', () => {
    const out = carryHistory(items, origins, { provider: 'p', model: gpt54 });
    expect(out.history).toEqual(items);
    expect(out.history.every((item, i) => item === items[i])).toBe(true);
    expect(out.notes).toEqual([]);
  });

  it('drops reasoning, renames ids, strips phase, and notes images for a text-only model', () => {
    const out = carryHistory(items, origins, { provider: 'q', model: spark });
    const h = out.history;
    expect(h.some((i) => i.type === 'reasoning')).toBe(false);
    expect(h[0]).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: '[image omitted: gpt-5.3-codex-spark takes text only]' }, { type: 'input_text', text: 'see' }] });
    const call = h.find((i) => i.type === 'function_call') as Extract<ResponseItem, { type: 'function_call' }>;
    expect(call.call_id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(h.find((i) => i.type === 'function_call_output')).toMatchObject({ call_id: call.call_id });
    expect(h[h.length - 1]).toEqual({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] });
    const notes = out.notes.join('\n');
    expect(notes).toMatch(/1 reasoning item from another model or provider left out/);
    expect(notes).toMatch(/1 tool call id renamed to ids q accepts/);
    expect(notes).toMatch(/1 image in the history replaced by a note: gpt-5\.3-codex-spark takes text only/);
  });

  it('replays freeform calls as function calls for a model that takes apply_patch as a function', () => {
    const fn = { ...gpt54, requested: 'fn-model', facts: { ...gpt54.facts, applyPatchToolType: 'function' as const } };
    const h = carryHistory(items, origins, { provider: 'p', model: fn }).history;
    expect(h).toContainEqual({ type: 'function_call', call_id: 'c2', name: 'apply_patch', arguments: JSON.stringify({ input: '*** Begin Patch' }) });
    expect(h).toContainEqual({ type: 'function_call_output', call_id: 'c2', output: 'done' });
  });
});

describe('history.jsonl', () => {
  it('appends one line per prompt, honours persistence = "none" and trims to max_bytes', () => {
    const home = tmp();
    appendHistory(home, {}, { conversation_id: 'c', text: 'one', ts: 1 });
    appendHistory(home, { history: { persistence: 'none' } }, { conversation_id: 'c', text: 'hidden' });
    expect(readHistory(home)).toEqual([{ conversation_id: 'c', ts: 1, text: 'one' }]);
    for (let i = 0; i < 50; i++) appendHistory(home, { history: { max_bytes: 1000 } }, { conversation_id: 'c', text: `prompt ${i}`, ts: 2 });
    expect(statSync(join(home, 'history.jsonl')).size).toBeLessThanOrEqual(1000);
    const kept = readHistory(home);
    expect(kept[kept.length - 1]?.text).toBe('prompt 49');
    expect(readHistory(home, { limit: 2 }).map((e) => e.text)).toEqual(['prompt 48', 'prompt 49']);
  });
});
