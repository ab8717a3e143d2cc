/**
 * A Codex 0.171 home (test/fixtures/codex-0.171/home: config.toml, a profile file, a trusted project, the
 * sessions) copied into OPENCODEX_HOME works unchanged, the workspace path moved to a test directory.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../support/cli.js';
import { codexHome } from '../support/codex-fixtures.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, useScriptedServer, type Json } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const server = useScriptedServer();
const env = { FAKE_KEY: 'sk-fake-fixture-key', HOME: quietHome };

async function exec(home: string, cwd: string, args: string[] = []): Promise<{ thread: string; body: Json; stderr: string }> {
  server.reply(turn({ text: 'ok' }));
  const r = await runCliAsync(['-c', `model_providers.local.base_url="${server.url}"`, 'exec', '--json', ...args, 'hi'], { home, cwd, env });
  expect(r.stderr).not.toMatch(/ERROR|error:/);
  expect(r.status).toBe(0);
  return { thread: String(jsonLines(r.stdout)[0]?.thread_id), body: server.requests[server.requests.length - 1]?.body as Json, stderr: r.stderr };
}

/** The sandbox policy opencodex recorded for a thread's first turn. */
function sandboxOf(home: string, thread: string): unknown {
  const file = rolloutFiles(home).find((f) => f.includes(thread)) as string;
  const ctx = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { type: string; payload: Json })
    .find((l) => l.type === 'turn_context');
  return (ctx?.payload.sandbox_policy as Json | undefined)?.type;
}

describe('a copied Codex 0.171 home', () => {
  it('runs with its config.toml: its provider, its env_key, its default model', async () => {
    const ws = gitWorkspace();
    const { body } = await exec(codexHome({ workspace: ws }), ws);
    expect(body.model).toBe('gpt-6.2-sol');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-fake-fixture-key');
  });

  it('-p fast takes the profile file Codex 0.171 reads (<home>/fast.config.toml)', async () => {
    const ws = gitWorkspace();
    const { body } = await exec(codexHome({ workspace: ws }), ws, ['-p', 'fast']);
    expect(body.model).toBe('gpt-5.5');
  });

  it('-p fast sends the profile reasoning effort for gpt-5.5, as Codex did', async () => {
    const ws = gitWorkspace();
    const { body } = await exec(codexHome({ workspace: ws }), ws, ['-p', 'fast']);
    expect(body.reasoning).toEqual({ effort: 'high' });
  });

  it('outside the trusted project, with no sandbox chosen, the sandbox is read-only', async () => {
    const home = codexHome({ workspace: gitWorkspace() });
    const elsewhere = gitWorkspace();
    const { thread } = await exec(home, elsewhere);
    expect(sandboxOf(home, thread)).toBe('read-only');
  });

  it('in the trusted project, with no sandbox chosen, it runs in workspace-write, as Codex 0.171 did there', async () => {
    const ws = gitWorkspace();
    const home = codexHome({ workspace: ws });
    const { thread } = await exec(home, ws);
    expect(sandboxOf(home, thread)).toBe('workspace-write');
  });

  it('in the trusted project, its .codex/config.toml is layered over the user config', async () => {
    const ws = gitWorkspace();
    mkdirSync(join(ws, '.codex'));
    writeFileSync(join(ws, '.codex/config.toml'), 'model = "gpt-5.5"\n');
    const { body } = await exec(codexHome({ workspace: ws }), ws);
    expect(body.model).toBe('gpt-5.5');
  });

  it('its sessions resume in the workspace they ran in, and new ones are listed beside them', async () => {
    const ws = gitWorkspace();
    const home = codexHome({ workspace: ws });
    const { thread } = await exec(home, ws);
    const r = await runCliAsync(['sessions', '--json'], { home, cwd: ws, env });
    const ids = (JSON.parse(r.stdout) as Array<{ id: string }>).map((s) => s.id);
    expect(ids).toHaveLength(7);
    expect(ids[0]).toBe(thread);
  });
});
