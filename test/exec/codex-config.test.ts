/**
 * `exec` with what a Codex 0.171 user has: a config.toml with 0.171's new values and keys (it runs, with
 * one warning for the keys nobody knows; `--strict-config` stops it), and a trusted project (its own
 * `.codex/config.toml` applies and commands may write in the workspace without `-s`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { useScriptedServer, gitWorkspace, quietHome, type Json } from '../support/e2e.js';

const server = useScriptedServer();
const env = { MOCK_KEY: 'k', HOME: quietHome };

function home(extra = ''): string {
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 1\nsupports_web_search = true\n` +
      'model_catalog_url = "https://example.invalid/models.json"\nsupports_standalone_web_search = true\nnot_a_codex_key_either = 1\n',
  });
}

describe('exec with a Codex 0.171 config.toml', () => {
  it('runs: service_tier "priority" is sent, web_search "indexed" searches the cache, one warning lists the unknown keys', async () => {
    server.reply(turn({ text: 'ok' }));
    const r = await runCliAsync(['exec', '--json', 'hi'], {
      home: home('web_search = "indexed"\nservice_tier = "priority"\nmystery = "x"\n[tui]\nanimations = false\n'),
      cwd: gitWorkspace(),
      env,
    });
    expect(r.status, r.stderr).toBe(0);
    const body = server.requests[0]?.body as Json;
    expect(body.service_tier).toBe('priority');
    expect((body.tools as Json[]).find((t) => t.type === 'web_search')).toMatchObject({ external_web_access: false });
    const warnings = r.stdout.split('\n').filter((l) => l.includes('unrecognized configuration'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/opencodex is ignoring 2 unrecognized configuration settings: model_providers\.mock\.not_a_codex_key_either, mystery in file /);
  });

  it('--strict-config makes the unknown keys an error before any request', async () => {
    const r = await runCliAsync(['exec', '--strict-config', 'hi'], { home: home(), cwd: gitWorkspace(), env });
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: 1 unrecognized configuration setting \(--strict-config\): model_providers\.mock\.not_a_codex_key_either in file \S+ — fix or remove them, or run without --strict-config$/),
    ]);
    expect(server.requests).toHaveLength(0);
  });
});

describe('exec in a trusted project', () => {
  it("applies the project's .codex/config.toml and runs commands in workspace-write without -s", async () => {
    const ws = gitWorkspace({ '.codex/config.toml': 'model = "gpt-5.2"\n' });
    const touch = { name: 'shell_command', arguments: { command: 'touch made-here.txt' }, callId: 'c1' };
    server.reply(turn({ toolCalls: [touch] }), turn({ text: 'done' }));
    const r = await runCliAsync(['exec', 'make a file'], { home: home(`[projects.${JSON.stringify(ws)}]\ntrust_level = "trusted"\n`), cwd: ws, env });
    expect(r.status, r.stderr).toBe(0);
    expect((server.requests[0]?.body as Json).model).toBe('gpt-5.2');
    expect(existsSync(join(ws, 'made-here.txt'))).toBe(true);
  });

  it('an undecided project stays read-only and its config is not read', async () => {
    const ws = gitWorkspace({ '.codex/config.toml': 'model = "gpt-5.2"\n' });
    const touch = { name: 'shell_command', arguments: { command: 'touch made-here.txt' }, callId: 'c1' };
    server.reply(turn({ toolCalls: [touch] }), turn({ text: 'done' }));
    const r = await runCliAsync(['exec', 'make a file'], { home: home(), cwd: ws, env });
    expect(r.status, r.stderr).toBe(0);
    expect((server.requests[0]?.body as Json).model).toBe('gpt-5.4');
    expect(existsSync(join(ws, 'made-here.txt'))).toBe(false);
    expect(r.stderr).toMatch(/not loading project config \S+\/\.codex\/config\.toml: to load it, trust the project/);
  });
});
