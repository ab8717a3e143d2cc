/**
 * What `exec` sends for the model the user names (issue #17): new slugs are never taken for a retired
 * model, the configured effort is sent (or the nearest the catalog allows, said in one line), and
 * model_context_window / model_supports_reasoning_summaries adjust the facts for the session.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, useScriptedServer, type Json } from '../support/e2e.js';

const server = useScriptedServer();

function homeFor(wire: 'responses' | 'chat', extra = ''): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\n${extra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "${wire}"\n`,
  });
}

async function exec(args: string[], home: string) {
  server.reply(turn({ text: 'done' }));
  const r = await runCliAsync(['exec', '--skip-git-repo-check', ...args, 'hi'], { home, cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome } });
  return { ...r, body: (server.requests[server.requests.length - 1]?.body ?? {}) as Json };
}

const toolNames = (body: Json): string[] => ((body.tools ?? []) as Json[]).map((t) => String(t.name ?? (t.function as Json | undefined)?.name));

describe('new model slugs', () => {
  it('-m gpt-5.5 gets its own facts: no retirement warning, unified exec, freeform apply_patch, its default effort', async () => {
    const r = await exec(['--json', '-m', 'gpt-5.5'], homeFor('responses'));
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/retired/);
    expect(r.body.model).toBe('gpt-5.5');
    // Its catalog entry (Codex 0.171) says unified_exec: exec_command/write_stdin, not gpt-5's argv shell.
    expect(toolNames(r.body)).toEqual(expect.arrayContaining(['exec_command', 'write_stdin']));
    expect(toolNames(r.body)).not.toContain('shell');
    expect((r.body.tools as Json[]).find((t) => t.name === 'apply_patch')).toMatchObject({ type: 'custom' });
    expect(r.body.reasoning).toEqual({ effort: 'medium' });
  });

  it('an unknown newer version (gpt-5.9) runs on safe defaults with one notice, never gpt-5’s facts', async () => {
    const r = await exec(['--json', '-m', 'gpt-5.9'], homeFor('responses'));
    expect(r.status).toBe(0);
    const errors = jsonLines(r.stdout).filter((e) => (e.item as Json | undefined)?.type === 'error');
    expect(errors).toHaveLength(1);
    expect(String((errors[0]?.item as Json).message)).toMatch(/^model gpt-5\.9 is not in the model catalog; using safe defaults/);
    expect(r.stdout).not.toMatch(/retired/);
    expect(toolNames(r.body)).toContain('shell');
    expect((r.body.tools as Json[]).find((t) => t.name === 'apply_patch')).toMatchObject({ type: 'function' });
    expect(r.body).not.toHaveProperty('reasoning');
  });

  it('a dated snapshot of a retired model still warns, naming the model', async () => {
    const r = await exec(['-m', 'gpt-5-2025-08-07'], homeFor('responses'));
    expect(r.stderr).toMatch(/warning: model gpt-5-2025-08-07 \(gpt-5\) is retired: gpt-5 → gpt-5\.1 → gpt-5\.2/);
  });
});

describe.each(['responses', 'chat'] as const)('reasoning effort over %s', (wire) => {
  const sent = (body: Json): unknown => (wire === 'responses' ? (body.reasoning as Json | undefined)?.effort : body.reasoning_effort);

  it('sends a configured effort to a model outside the catalog, and the banner shows it', async () => {
    const r = await exec(['-m', 'my-local-model', '-c', 'model_reasoning_effort=high'], homeFor(wire));
    expect(r.status).toBe(0);
    expect(sent(r.body)).toBe('high');
    expect(r.stderr).toMatch(/\nreasoning effort: high\n/);
  });

  it('sends the nearest supported effort below an unsupported one and says so in one line; the banner shows what is sent', async () => {
    const r = await exec(['-m', 'gpt-5.4', '-c', 'model_reasoning_effort=ultra'], homeFor(wire));
    expect(r.status).toBe(0);
    expect(sent(r.body)).toBe('xhigh');
    expect(r.stderr).toMatch(/\nreasoning effort: xhigh\n/);
    const notes = r.stderr.split('\n').filter((l) => l.includes('does not take reasoning effort'));
    expect(notes).toEqual(['warning: model gpt-5.4 does not take reasoning effort "ultra"; using "xhigh", the nearest it takes below it (it takes low, medium, high, xhigh)']);
  });

  it('never sends a dearer effort than asked: "none" on gpt-5.4 becomes its lowest, low', async () => {
    const r = await exec(['-m', 'gpt-5.4', '-c', 'model_reasoning_effort=none'], homeFor(wire));
    expect(sent(r.body)).toBe('low');
    expect(r.stderr).toMatch(/warning: model gpt-5\.4 does not take reasoning effort "none"; using "low", the lowest it takes/);
  });

  it('accepts max and ultra in config.toml and sends them where the model takes them', async () => {
    const r = await exec(['-m', 'gpt-6.2-sol'], homeFor(wire, 'model_reasoning_effort = "ultra"'));
    expect(r.status).toBe(0);
    expect(sent(r.body)).toBe('ultra');
    expect(r.stderr).not.toMatch(/does not take/);
  });
});

describe('config overrides of the model facts', () => {
  const windowOf = (home: string): unknown => {
    const file = rolloutFiles(home)[0] as string;
    const started = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Json).find((l) => (l.payload as Json).type === 'task_started');
    return (started?.payload as Json).model_context_window;
  };

  it('model_context_window sets the window, clamped to the model’s maximum', async () => {
    const home = homeFor('responses', 'model_context_window = 100000');
    await exec(['-m', 'gpt-5.4'], home);
    expect(windowOf(home)).toBe(100_000);
    const clamped = homeFor('responses', 'model_context_window = 5000000');
    await exec(['-m', 'gpt-5.4'], clamped);
    expect(windowOf(clamped)).toBe(1_000_000);
    const unknown = homeFor('responses', 'model_context_window = 32768');
    await exec(['-m', 'my-local-model'], unknown);
    expect(windowOf(unknown)).toBe(32_768);
  });

  it('model_supports_reasoning_summaries = true sends the reasoning block with the summary for an unknown model', async () => {
    const r = await exec(['-m', 'my-local-model', '-c', 'model_reasoning_summary=detailed'], homeFor('responses', 'model_supports_reasoning_summaries = true'));
    expect(r.body.reasoning).toEqual({ summary: 'detailed' });
    expect(r.body.include).toEqual(['reasoning.encrypted_content']);
    const without = await exec(['-m', 'my-local-model', '-c', 'model_reasoning_summary=detailed'], homeFor('responses'));
    expect(without.body).not.toHaveProperty('reasoning');
  });
});

describe('resuming with the thread’s model', () => {
  it('says in one line when the configured effort is not one the resumed model takes, and sends the nearest', async () => {
    const home = homeFor('responses', 'model = "my-local-model"');
    const cwd = gitWorkspace();
    const env = { MOCK_KEY: 'k', HOME: quietHome };
    server.reply(turn({ text: 'first' }), turn({ text: 'second' }));
    expect((await runCliAsync(['exec', '-m', 'gpt-5.4', 'hi'], { home, cwd, env })).status).toBe(0);
    // config.toml names a model outside the catalog (which takes any effort); the resumed thread keeps
    // gpt-5.4, which does not take "ultra".
    const r = await runCliAsync(['exec', '-c', 'model_reasoning_effort=ultra', 'resume', '--last', 'again'], { home, cwd, env });
    expect(r.status).toBe(0);
    expect(server.requests[1]?.body).toMatchObject({ model: 'gpt-5.4', reasoning: { effort: 'xhigh' } });
    expect(r.stderr.split('\n').filter((l) => l.includes('does not take reasoning effort "ultra"'))).toHaveLength(1);
  });
});
