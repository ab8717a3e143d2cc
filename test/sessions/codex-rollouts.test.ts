/**
 * Sessions written by the real Codex 0.171 (test/fixtures/codex-0.171), copied into an opencodex home:
 * resumed by id, name and --last, listed, forked, continued over Chat Completions, and read when they hold
 * records opencodex does not know. What a resumed thread sends is compared with what Codex itself sent when
 * it resumed the same thread (requests.json, `resume:<id>`).
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRollout, rolloutPath } from '../../src/sessions/index.js';
import { uuidv7 } from '../../src/shared/index.js';
import { makeHome, runCliAsync } from '../support/cli.js';
import { codexHome, codexResumeRequest, codexThreads, digestLong, fixtureLines, type CodexRequest } from '../support/codex-fixtures.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, useScriptedServer, type Json } from '../support/e2e.js';
import { turn, type RecordedRequest } from '../support/scripted-server.js';

const server = useScriptedServer();
const T = codexThreads.threads;
const PROMPT = codexThreads.replayPrompt;
const env = { FAKE_KEY: 'sk-fake-fixture-key', HOME: quietHome };

/** opencodex with the copied config, its `local` provider pointed at the scripted server. */
function run(home: string, args: string[], cwd = gitWorkspace(), extra: string[] = []) {
  return runCliAsync(['-c', `model_providers.local.base_url="${server.url}"`, ...extra, ...args], { home, cwd, env });
}

type Item = Record<string, unknown>;

/**
 * Codex's request items as opencodex is meant to send them: without the provider's item ids, `status`
 * (kept on web searches), Codex's internal metadata, `"content": null` on reasoning, and the empty
 * `annotations` / `logprobs` of output text.
 */
function stripCodex(item: Item): Item {
  const { id: _id, status, internal_chat_message_metadata_passthrough: _meta, ...rest } = item;
  const out: Item = { ...rest };
  if (item.type === 'web_search_call' && status !== undefined) out.status = status;
  if (item.type === 'reasoning' && out.content === null) delete out.content;
  if (Array.isArray(out.content)) {
    out.content = (out.content as Item[]).map((p) => {
      const { annotations: _a, logprobs: _l, ...part } = p;
      return part;
    });
  }
  return out;
}

const isDeveloper = (i: Item | undefined): boolean => i?.type === 'message' && i.role === 'developer';

/** The history part of a request's input: without the new prompt and the settings messages put just before it. */
function historyOf(input: Item[]): Item[] {
  const h = input.slice(0, -1);
  while (isDeveloper(h[h.length - 1])) h.pop();
  return h;
}

/** The base instructions a thread recorded in its `session_meta`. */
function baseInstructions(id: string): string {
  const meta = fixtureLines(id).find((l) => l.type === 'session_meta') as { payload: { base_instructions: { text: string } } };
  return meta.payload.base_instructions.text;
}

/**
 * What opencodex sent on resuming `id` is what Codex sent on resuming it, except that Codex declares its
 * code-mode tools in an `additional_tools` item (opencodex sends its own tools in `tools`) and puts the base
 * instructions in a first developer message, where opencodex sends the thread's recorded base instructions
 * as `instructions`. (For gpt-5.5 Codex drops one line of them, about updating checklists, from what it sends.)
 */
function expectSameHistory(ours: RecordedRequest, codex: CodexRequest, id: string, o: { webSearch?: boolean } = {}): void {
  const body = ours.body as Json;
  const oursInput = body.input as Item[];
  expect(oursInput[oursInput.length - 1]).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: PROMPT }] });
  // Hosted web searches go only to a provider that says it takes them (`supports_web_search`).
  const dropped = new Set(['additional_tools', ...(o.webSearch ? [] : ['web_search_call'])]);
  const theirs = (codex.body.input as Item[]).filter((i) => !dropped.has(String(i.type))).map(stripCodex);
  const first = theirs.shift();
  expect(first).toMatchObject({ type: 'message', role: 'developer' });
  expect(body.instructions).toBe(baseInstructions(id));
  expect(digestLong(historyOf(oursInput))).toEqual(historyOf(theirs));
  expect(body.model).toBe(codex.body.model);
  expect(ours.rawBody).not.toContain('"content":null');
  expect(ours.rawBody).not.toContain('additional_tools');
}

const files = (home: string, id: string): string[] => rolloutFiles(home).filter((f) => f.includes(id));

describe('resuming sessions Codex 0.171 wrote', () => {
  it.each(Object.entries(T))('%s: exec resume sends the history Codex sends and keeps the thread', async (_name, id) => {
    const home = codexHome();
    server.reply(turn({ text: 'continued' }));
    const r = await run(home, ['exec', '--json', '--skip-git-repo-check', 'resume', id, PROMPT]);
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(r.status).toBe(0);
    const events = jsonLines(r.stdout);
    expect(events[0]).toEqual({ type: 'thread.started', thread_id: id });
    expect(events.some((e) => e.type === 'turn.completed')).toBe(true);
    expect(server.requests).toHaveLength(1);
    expectSameHistory(server.requests[0] as RecordedRequest, codexResumeRequest(id), id);
    expect((server.requests[0]?.body as Json).prompt_cache_key).toBe(id);
  });

  it('in the Codex SDK form (options before resume, prompt on stdin), as the SDK resumes the thread it started', async () => {
    const home = codexHome();
    server.reply(turn({ text: 'continued' }));
    const r = await runCliAsync(
      ['exec', '--experimental-json', '--config', `model_providers.local.base_url="${server.url}"`, '--skip-git-repo-check', 'resume', T.sdk],
      { home, cwd: gitWorkspace(), env: { ...env, CODEX_INTERNAL_ORIGINATOR_OVERRIDE: 'codex_sdk_ts' }, input: PROMPT },
    );
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)[0]).toEqual({ type: 'thread.started', thread_id: T.sdk });
    expectSameHistory(server.requests[0] as RecordedRequest, codexResumeRequest(T.sdk), T.sdk);
    expect(server.requests[0]?.headers.originator).toBe('codex_sdk_ts');
    expect(server.requests[0]?.headers['session-id']).toBe(T.sdk);
  });

  it('with a provider that takes web search, the searches Codex recorded are replayed too', async () => {
    const home = codexHome();
    server.reply(turn({ text: 'continued' }));
    const r = await run(home, ['exec', '--json', '--skip-git-repo-check', 'resume', T.classic, PROMPT], undefined, ['-c', 'model_providers.local.supports_web_search=true']);
    expect(r.status).toBe(0);
    expectSameHistory(server.requests[0] as RecordedRequest, codexResumeRequest(T.classic), T.classic, { webSearch: true });
    expect((server.requests[0]?.body as Json).input).toContainEqual({ type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'codex rollout format' } });
  });

  it('appends to the thread file (a rolled-back thread: its latest segment), and resumes again from it', async () => {
    const home = codexHome();
    const [first, segment] = files(home, T.rollback).sort((a, b) => a.length - b.length) as [string, string];
    const before = readFileSync(first, 'utf8');
    server.reply(turn({ text: 'second answer' }), turn({ text: 'third answer' }));
    expect((await run(home, ['exec', '--json', '--skip-git-repo-check', 'resume', T.rollback, 'one more'])).status).toBe(0);
    expect(readFileSync(first, 'utf8')).toBe(before);
    expect(readFileSync(segment, 'utf8')).toContain('one more');
    // Codex numbers its records and will not resume a file whose last record has no `ordinal`: the numbering goes on.
    const ordinals = readFileSync(segment, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(ordinals.length).toBeGreaterThan(3);
    ordinals.forEach((rec, i) => {
      expect(Object.keys(rec).slice(0, 3)).toEqual(['timestamp', 'ordinal', 'type']);
      if (i > 0) expect(rec.ordinal).toBe((ordinals[i - 1]?.ordinal as number) + 1);
    });
    expect((await run(home, ['exec', '--json', '--skip-git-repo-check', 'resume', T.rollback, 'and again'])).status).toBe(0);
    const input = JSON.stringify((server.requests[1]?.body as Json).input);
    for (const text of ['Propose a plan.', 'Plan: add a CHANGELOG.', 'one more', 'second answer', 'and again']) expect(input).toContain(text);
    // The turn Codex rolled back stays out.
    expect(input).not.toContain('A bolder plan');
    expect(input).not.toContain('Plan B');
  });

  it('by name, by --last in the thread directory, and --last --all from anywhere', async () => {
    const ws = gitWorkspace();
    const home = codexHome({ workspace: ws });
    // The code-mode thread was used last.
    const latest = files(home, T.codeMode)[0] as string;
    const later = new Date(Date.now() + 60_000);
    utimesSync(latest, later, later);
    server.reply(turn({ text: 'a' }), turn({ text: 'b' }), turn({ text: 'c' }));
    const byName = await run(home, ['exec', '--json', 'resume', 'hello-file', PROMPT], ws);
    expect(byName.status).toBe(0);
    expect(jsonLines(byName.stdout)[0]).toEqual({ type: 'thread.started', thread_id: T.classic });
    const last = await run(home, ['exec', '--json', 'resume', '--last', PROMPT], ws);
    expect(jsonLines(last.stdout)[0]).toEqual({ type: 'thread.started', thread_id: T.codeMode });
    const anywhere = await run(home, ['exec', '--json', '--skip-git-repo-check', 'resume', '--last', '--all', PROMPT]);
    expect(jsonLines(anywhere.stdout)[0]).toEqual({ type: 'thread.started', thread_id: T.codeMode });
    expect(server.requests.map((q) => (q.body as Json).prompt_cache_key)).toEqual([T.classic, T.codeMode, T.codeMode]);
  });

  it('sessions lists each thread once, with its model, first prompt and name', async () => {
    const home = codexHome();
    const r = await run(home, ['sessions', '--all', '--json']);
    expect(r.status).toBe(0);
    const listed = JSON.parse(r.stdout) as Array<{ id: string; model: string | null; first_prompt: string | null; name: string | null; cwd: string; path: string }>;
    const byId = new Map(listed.map((s) => [s.id, s]));
    expect(listed).toHaveLength(Object.keys(T).length);
    expect(byId.get(T.codeMode)).toMatchObject({ model: 'gpt-6.2-sol', first_prompt: 'What files are in this workspace?', name: null, cwd: codexThreads.workspace });
    expect(byId.get(T.classic)).toMatchObject({ model: 'gpt-5.5', first_prompt: 'Add hello.txt saying hello', name: 'hello-file' });
    expect(byId.get(T.compaction)).toMatchObject({ first_prompt: 'Remember that the build uses esbuild.' });
    // A Codex fork starts with its source's turns; a rolled-back thread is its latest segment.
    expect(byId.get(T.fork)).toMatchObject({ model: 'gpt-6.2-sol', first_prompt: 'What files are in this workspace?', name: 'forked-listing' });
    expect(byId.get(T.rollback)).toMatchObject({ model: 'gpt-5.5', first_prompt: 'Propose a plan.' });
    expect(byId.get(T.rollback)?.path).toMatch(new RegExp(`${T.rollback}_[0-9a-f-]{36}\\.jsonl$`));
    expect(byId.get(T.sdk)).toMatchObject({ first_prompt: 'Say hi.' });
  });
});

describe('forking sessions Codex 0.171 wrote', () => {
  it.each([
    ['a fork Codex made', 'fork' as const],
    ['a thread Codex rolled back', 'rollback' as const],
  ])('exec fork of %s writes one whole file that resumes without the files it came from', async (_what, key) => {
    const home = codexHome();
    server.reply(turn({ text: 'forked answer' }), turn({ text: 'later answer' }));
    const r = await run(home, ['exec', '--json', '--skip-git-repo-check', 'fork', T[key], PROMPT]);
    expect(r.status).toBe(0);
    const forkId = String(jsonLines(r.stdout)[0]?.thread_id);
    expect(forkId).not.toBe(T[key]);
    expectSameHistory(server.requests[0] as RecordedRequest, codexResumeRequest(T[key]), T[key]);
    const [file] = files(home, forkId);
    const meta = (JSON.parse(readFileSync(file as string, 'utf8').split('\n')[0] as string) as { payload: Json }).payload;
    expect(meta).toMatchObject({ id: forkId, forked_from_id: T[key] });
    expect(meta.forked_from_ordinal_exclusive).toBeUndefined();
    expect(meta.history_base).toBeUndefined();
    if (meta.session_id !== undefined) expect(meta.session_id).toBe(forkId);

    // Only the fork's file is left: it holds the whole history.
    for (const f of rolloutFiles(home)) if (f !== file) rmSync(f);
    expect((await run(home, ['exec', '--json', '--skip-git-repo-check', 'resume', forkId, 'later'])).status).toBe(0);
    const input = JSON.stringify((server.requests[1]?.body as Json).input);
    expect(input).toContain(key === 'fork' ? 'What files are in this workspace?' : 'Propose a plan.');
    expect(input).toContain('forked answer');
  });

  it('a Codex fork whose source file is missing is a one-line error naming the thread and the fix', async () => {
    const home = codexHome();
    for (const f of files(home, T.codeMode)) rmSync(f);
    const r = await run(home, ['exec', '--skip-git-repo-check', 'resume', T.fork, PROMPT]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`continues thread ${T.codeMode}, whose session file is not in`);
    expect(r.stderr).toMatch(/copy that thread's rollout file there too/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('a Codex session continued over Chat Completions', () => {
  it('leaves out what Chat cannot carry (reasoning, encrypted or not), saying so, and replays the rest', async () => {
    const home = codexHome();
    server.reply(turn({ text: 'over chat' }));
    const chat = `model_providers.localchat={ name = "Local chat", base_url = "${server.url}", env_key = "FAKE_KEY", wire_api = "chat" }`;
    const r = await run(home, ['exec', '--json', '--skip-git-repo-check', 'resume', T.codeMode, PROMPT], undefined, ['-c', chat, '-c', 'model_provider="localchat"']);
    expect(r.status).toBe(0);
    const notes = jsonLines(r.stdout).filter((e) => (e.item as Json | undefined)?.type === 'error').map((e) => String((e.item as Json).message));
    expect(notes.join('\n')).toMatch(/3 reasoning items from another model or provider left out/);
    const req = server.requests[0] as RecordedRequest;
    expect(req.wire).toBe('chat');
    expect(req.rawBody).not.toContain('gAAAAenc');
    expect(req.rawBody).not.toContain('reasoning_content');
    const messages = (req.body as Json).messages as Item[];
    const texts = JSON.stringify(messages);
    for (const text of ['What files are in this workspace?', 'The workspace holds README.md.', 'It is a one-line Markdown title.', PROMPT]) expect(texts).toContain(text);
    // The freeform code-mode call and its output stay paired as a tool call and its result.
    const call = messages.find((m) => Array.isArray(m.tool_calls)) as Item;
    const callId = ((call.tool_calls as Item[])[0] as Item).id;
    expect(messages.find((m) => m.role === 'tool')).toMatchObject({ tool_call_id: callId });
  });
});

describe('records and items opencodex does not know', () => {
  const unknown = [
    { timestamp: '2026-12-02T00:00:00.000Z', ordinal: 100, type: 'future_record', payload: { anything: true } },
    { timestamp: '2026-12-02T00:00:00.001Z', ordinal: 101, type: 'response_item', payload: { type: 'future_item', data: 1 } },
    { timestamp: '2026-12-02T00:00:00.002Z', ordinal: 102, type: 'response_item', payload: { type: 'local_shell_call', call_id: 'call_ls', action: { type: 'exec', command: ['ls'] } } },
    { timestamp: '2026-12-02T00:00:00.003Z', ordinal: 103, type: 'response_item', payload: { type: 'function_call_output', call_id: 'call_ls', output: 'README.md' } },
    {
      timestamp: '2026-12-02T00:00:00.004Z',
      ordinal: 104,
      type: 'response_item',
      payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'kept text' }, { type: 'input_audio', data: 'x' }], brand_new_field: 1 },
    },
    { timestamp: '2026-12-02T00:00:00.005Z', ordinal: 105, type: 'response_item', payload: { type: 'reasoning', summary: null, content: null, encrypted_content: null } },
  ];

  it('skips and counts them in one note, and sends what remains', async () => {
    const home = codexHome();
    const file = files(home, T.sdk)[0] as string;
    appendFileSync(file, unknown.map((l) => `${JSON.stringify(l)}\n`).join(''));
    server.reply(turn({ text: 'fine' }));
    const r = await run(home, ['exec', '--skip-git-repo-check', 'resume', T.sdk, PROMPT]);
    expect(r.status).toBe(0);
    const notes = r.stderr.split('\n').filter((l) => l.includes('were left out') || l.includes('were skipped'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('future_item ×1');
    expect(notes[0]).toContain('local_shell_call ×1');
    expect(notes[0]).toContain('function_call_output without its call ×1');
    expect(notes[0]).toContain('message part input_audio ×1');
    expect(notes[0]).toContain('records of types it does not know (future_record ×1) were skipped');
    const raw = (server.requests[0] as RecordedRequest).rawBody;
    for (const gone of ['future_item', 'local_shell_call', 'call_ls', 'input_audio', 'brand_new_field', 'null']) expect(raw).not.toContain(gone);
    const input = (server.requests[0]?.body as Json).input as Item[];
    expect(input).toContainEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'kept text' }] });
    expect(input).toContainEqual({ type: 'reasoning', summary: [] });
  });

  it('a torn last line of a Codex file is skipped with a warning, and the numbering goes on after it', async () => {
    const home = codexHome();
    const file = files(home, T.sdk)[0] as string;
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const lastOrdinal = (JSON.parse(lines[lines.length - 1] as string) as Json).ordinal as number;
    appendFileSync(file, `{"timestamp":"2026-12-02T00:00:00.000Z","ordinal":${lastOrdinal + 1},"type":"response_item","payload":{"type":"mess`);
    server.reply(turn({ text: 'fine' }));
    const r = await run(home, ['exec', '--skip-git-repo-check', 'resume', T.sdk, PROMPT]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/is incomplete \(the run was stopped while writing it\); it was skipped/);
    const after = readFileSync(file, 'utf8').trimEnd().split('\n').slice(lines.length + 1).map((l) => JSON.parse(l) as Json);
    expect(after[0]).toMatchObject({ ordinal: lastOrdinal + 2, type: 'event_msg', payload: { type: 'torn_line_skipped' } });
    after.forEach((rec, i) => expect(rec.ordinal).toBe(lastOrdinal + 2 + i));
  });

  it('the record types Codex 0.171 writes are read without a note', async () => {
    const home = codexHome();
    server.reply(turn({ text: 'ok' }));
    const r = await run(home, ['exec', '--skip-git-repo-check', 'resume', T.compaction, PROMPT]);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/were left out|were skipped/);
  });
});

describe('loadRollout on Codex 0.171 files', () => {
  const home = codexHome();
  /** A thread's file: its latest segment when it has several. */
  const fileOf = (id: string): string => files(home, id).sort((a, b) => b.length - a.length)[0] as string;
  const texts = (id: string): string[] =>
    loadRollout(fileOf(id)).history.flatMap((i) => (i.type === 'message' ? i.content.flatMap((p) => (p.type === 'input_image' ? [] : [p.text.slice(0, 40)])) : []));

  it('forks that refer to each other are an error naming the loop, not an endless read', () => {
    const h = makeHome();
    const [p, q] = [uuidv7(), uuidv7()];
    const write = (id: string, from: string): string => {
      const path = rolloutPath(h, id);
      mkdirSync(dirname(path), { recursive: true });
      const meta = { id, forked_from_id: from, forked_from_ordinal_exclusive: 5, timestamp: new Date().toISOString(), cwd: '/w', model_provider: 'p', base_instructions: { text: '' } };
      writeFileSync(path, `${JSON.stringify({ timestamp: meta.timestamp, ordinal: 0, type: 'session_meta', payload: meta })}\n`);
      return path;
    };
    const pPath = write(p, q);
    write(q, p);
    expect(() => loadRollout(pPath)).toThrow(/refer to each other in a loop/);
  });

  it('a compacted thread starts from the replacement history', () => {
    const t = texts(T.compaction);
    expect(t.filter((x) => x.startsWith('Another language model started'))).toHaveLength(1);
    expect(t).not.toContain('Noted: the build uses esbuild.');
    expect(t).toContain('It uses esbuild.');
  });

  it('a rolled-back thread keeps only the turns before the rollback', () => {
    const t = texts(T.rollback);
    expect(t).toContain('Propose a plan.');
    expect(t).not.toContain('A bolder plan, please.');
  });

  it('a fork takes its source history, usage and turn context, and reasoning without null content', () => {
    const loaded = loadRollout(fileOf(T.fork));
    expect(loaded.meta.id).toBe(T.fork);
    expect(loaded.usage?.input_tokens).toBeGreaterThan(0);
    expect(loaded.lastTurnContext?.model).toBe('gpt-6.2-sol');
    expect(loaded.firstPrompt).toBe('What files are in this workspace?');
    expect(loaded.warnings).toEqual([]);
    const reasoning = loaded.history.filter((i) => i.type === 'reasoning');
    expect(reasoning).toHaveLength(4);
    for (const r of reasoning) expect(r).not.toHaveProperty('content');
  });
});
