/**
 * Web search end to end (codex-compat.md §2.3, §4.2–4.3, §6.2): which web_search tool `exec` offers for
 * each setting, the web_search items a hosted search produces in JSONL and human output, and how the
 * searches are replayed, resumed and dropped.
 */
import { Codex } from '@openai/codex-sdk';
import { describe, expect, it } from 'vitest';
import { CLI, makeHome, runCliAsync } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { useScriptedServer, gitWorkspace, quietHome, jsonLines, type Json } from '../support/e2e.js';

const server = useScriptedServer();

/** A home whose `mock` provider has web search and whose `plain` provider does not (both the scripted server). */
function home(extra = '', mock = 'supports_web_search = true\n'): string {
  const provider = (id: string, settings: string) =>
    `[model_providers.${id}]\nname = "${id}"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 1\n${settings}`;
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n${provider('mock', mock)}\n${provider('plain', '')}\n${provider('chatty', 'wire_api = "chat"\nsupports_web_search = true\n')}`,
  });
}

const env = { MOCK_KEY: 'k', HOME: quietHome };

function exec(args: string[], h = home(), cwd = gitWorkspace()) {
  return runCliAsync(['exec', ...args], { home: h, cwd, env });
}

/** The web_search tool of the n-th request (undefined when none was sent). */
function searchTool(n = 0): Json | undefined {
  const tools = (server.requests[n]?.body?.tools ?? []) as Json[];
  return tools.find((t) => t.type === 'web_search');
}

describe('exec: which web_search tool is offered', () => {
  it('cached by default, live with --config web_search="live", --search or danger-full-access; none when disabled', async () => {
    const cases: Array<{ args: string[]; extra?: string; want: Json | undefined }> = [
      { args: [], want: { type: 'web_search', external_web_access: false, search_content_types: ['text', 'image'] } },
      { args: ['--config', 'web_search="live"'], want: { type: 'web_search', external_web_access: true, search_content_types: ['text', 'image'] } },
      { args: ['--search'], want: { type: 'web_search', external_web_access: true, search_content_types: ['text', 'image'] } },
      { args: ['-s', 'danger-full-access'], want: { type: 'web_search', external_web_access: true, search_content_types: ['text', 'image'] } },
      { args: ['-s', 'danger-full-access'], extra: 'web_search = "disabled"', want: undefined },
      { args: ['-m', 'gpt-5.3-codex'], want: { type: 'web_search', external_web_access: false } },
    ];
    for (const c of cases) {
      server.reset();
      server.reply(turn({ text: 'ok' }));
      const r = await exec(['--json', ...c.args, 'hi'], home(c.extra ?? ''));
      expect(r.status, r.stderr).toBe(0);
      expect(searchTool(), c.args.join(' ')).toEqual(c.want);
      // Hosted tools go last, after the function tools.
      if (c.want) expect(((server.requests[0]?.body?.tools ?? []) as Json[]).at(-1)).toEqual(c.want);
    }
  });

  it('not offered by a provider without supports_web_search, nor over Chat Completions', async () => {
    for (const provider of ['plain', 'chatty']) {
      server.reset();
      server.reply(turn({ text: 'ok' }));
      const r = await exec(['--json', '-c', `model_provider="${provider}"`, '--search', 'hi']);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.stringify(server.requests[0]?.body?.tools)).not.toContain('web_search');
    }
  });

  it('the SDK webSearchMode reaches exec as --config web_search="…"', async () => {
    server.reply(turn({ webSearches: [{ id: 'ws_sdk', action: { type: 'search', query: 'sdk query' } }], text: 'searched' }));
    const sdkEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(OPENAI|CODEX)_/.test(k)) sdkEnv[k] = v;
    Object.assign(sdkEnv, { OPENCODEX_HOME: makeHome(), HOME: quietHome, NO_COLOR: '1' });
    const codex = new Codex({ codexPathOverride: CLI, baseUrl: server.url, apiKey: 'sk-sdk-test', env: sdkEnv });
    const thread = codex.startThread({ workingDirectory: gitWorkspace(), model: 'gpt-5.4', webSearchMode: 'live' });
    const result = await thread.run('look it up');
    expect(searchTool()).toEqual({ type: 'web_search', external_web_access: true, search_content_types: ['text', 'image'] });
    expect(result.items[0]).toEqual({ id: 'ws_sdk', type: 'web_search', query: 'sdk query', action: { type: 'search', query: 'sdk query' } });
    expect(result.finalResponse).toBe('searched');
  });
});

describe('exec: hosted web searches', () => {
  it('JSONL has the web_search item events in Codex shape, and the next request replays the search', async () => {
    server.reply(
      turn({
        webSearches: [
          { id: 'ws_1', action: { type: 'search', query: 'opencodex release notes' } },
          { id: 'ws_2', action: { type: 'other' } },
        ],
        toolCalls: [{ name: 'shell_command', arguments: { command: 'echo hi' }, callId: 'c1' }],
      }),
      turn({ text: 'Here is what I found.' }),
    );
    const r = await exec(['--json', 'what is new?']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    // Codex flattens the item into its envelope: `id` twice, ours then the provider's.
    expect(lines.filter((l) => l.includes('"type":"web_search"'))).toEqual([
      '{"type":"item.started","item":{"id":"item_0","type":"web_search","id":"ws_1","query":"","action":{"type":"other"}}}',
      '{"type":"item.completed","item":{"id":"item_0","type":"web_search","id":"ws_1","query":"opencodex release notes","action":{"type":"search","query":"opencodex release notes"}}}',
      '{"type":"item.started","item":{"id":"item_1","type":"web_search","id":"ws_2","query":"","action":{"type":"other"}}}',
      '{"type":"item.completed","item":{"id":"item_1","type":"web_search","id":"ws_2","query":"","action":{"type":"other"}}}',
    ]);
    const events = jsonLines(r.stdout);
    expect(events.map((e) => `${String(e.type)}:${String((e.item as Json | undefined)?.type ?? '')}`)).toEqual([
      'thread.started:',
      'turn.started:',
      'item.started:web_search',
      'item.completed:web_search',
      'item.started:web_search',
      'item.completed:web_search',
      'item.started:command_execution',
      'item.completed:command_execution',
      'item.completed:agent_message',
      'turn.completed:',
    ]);
    // The follow-up request replays the search (no id) before the call; the `other` one is left out (#6945).
    const input = (server.requests[1]?.body?.input ?? []) as Json[];
    const kinds = input.map((i) => String(i.type));
    expect(input.filter((i) => i.type === 'web_search_call')).toEqual([
      { type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'opencodex release notes' } },
    ]);
    expect(kinds.indexOf('web_search_call')).toBeLessThan(kinds.indexOf('function_call'));
  });

  it('human output prints `web search: <query>`', async () => {
    server.reply(turn({ webSearches: [{ action: { type: 'search', queries: ['first query', 'second query'] } }], text: 'done' }));
    const r = await exec(['what is new?']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('\nweb search: first query ...\n');
    expect(r.stdout).toBe('done\n');
  });

  it('a resumed thread replays its searches to the same provider and drops them for a provider without web search', async () => {
    const h = home();
    const cwd = gitWorkspace();
    server.reply(turn({ webSearches: [{ id: 'ws_r', action: { type: 'open_page', url: 'https://example.com/notes' } }], text: 'read it' }));
    const first = await exec(['--json', 'read the notes'], h, cwd);
    expect(first.status, first.stderr).toBe(0);
    const id = String(jsonLines(first.stdout)[0]?.thread_id);

    server.reply(turn({ text: 'again' }));
    const same = await exec(['--json', 'resume', id, 'and now?'], h, cwd);
    expect(same.status, same.stderr).toBe(0);
    expect(((server.requests[1]?.body?.input ?? []) as Json[]).filter((i) => i.type === 'web_search_call')).toEqual([
      { type: 'web_search_call', status: 'completed', action: { type: 'open_page', url: 'https://example.com/notes' } },
    ]);

    server.reply(turn({ text: 'elsewhere' }));
    const other = await exec(['-c', 'model_provider="plain"', 'resume', id, 'and elsewhere?'], h, cwd);
    expect(other.status, other.stderr).toBe(0);
    expect(JSON.stringify(server.requests[2]?.body?.input)).not.toContain('web_search_call');
    expect(other.stderr).toContain('1 web search left out of the history: plain has no web search');
  });
});
